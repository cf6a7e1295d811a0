// Child process of the benchmark: one cold Eleventy 3 build of a folder of Markdown lessons.
//
//   node dist/bench/eleventy-run.js INPUT_DIR OUTPUT_DIR [STATS_FILE]
//
// Uses Eleventy's defaults (markdown-it, gray-matter front matter, data cascade) with
// templateFormats restricted to Markdown. Run it with the corpus root as the working directory, so
// that no eleventy.config.js of the repository is picked up. At exit it writes
// { "maxRssBytes": n, "files": n } to STATS_FILE when given.

import fs from 'node:fs';

/** The slice of Eleventy's API used here (the package ships no TypeScript types for its main entry). */
interface EleventyUserConfig {
  setTemplateFormats(formats: string | string[]): void;
  setQuietMode(quiet: boolean): void;
}
interface EleventyInstance {
  write(): Promise<unknown>;
}
type EleventyConstructor = new (
  input: string,
  output: string,
  options: { quietMode?: boolean; config?: (cfg: EleventyUserConfig) => void | Promise<void> },
) => EleventyInstance;

async function run(): Promise<number> {
  const [input, output, statsFile] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('usage: eleventy-run.js INPUT_DIR OUTPUT_DIR [STATS_FILE]\n');
    return 2;
  }
  // A non-literal specifier keeps TypeScript from looking for declarations Eleventy does not ship.
  const specifier: string = '@11ty/eleventy';
  const mod = (await import(specifier)) as { default: EleventyConstructor };
  const Eleventy = mod.default;
  const elev = new Eleventy(input, output, {
    quietMode: true,
    config(cfg) {
      cfg.setTemplateFormats(['md']);
    },
  });
  const result = await elev.write();
  if (statsFile) {
    const files = countWritten(result);
    fs.writeFileSync(statsFile, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, files }));
  }
  return 0;
}

/** Eleventy 3's write() resolves to [passthroughCopy results, template results]; count the templates. */
function countWritten(result: unknown): number | null {
  if (Array.isArray(result) && Array.isArray(result[1])) return (result[1] as unknown[]).length;
  return null;
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`eleventy-run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
