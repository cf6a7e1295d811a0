// Benchmark: cold `hocso build` against a cold Eleventy 3 build of the same lessons.
//
//   npm run bench                      sizes 100 and 1000
//   npm run bench -- 100 1000 5000     other sizes
//   npm run bench -- 200 --keep        keep the generated projects and outputs
//   npm run bench -- --media           only the media section (images/s, cold vs warm rebuild, text-to-speech)
//   npm run bench -- 100 --no-media    skip the media section
//   npm run bench -- --incremental     only incremental rebuilds (incremental.ts): one-lesson edit and no-change
//                                      rebuild times at N = 1000 and 5000 (or the sizes given)
//   options: --runs=N (default 3), --seed=N (default 1), --keep,
//            --media-images=N (default 12: reduced from 24 to fit ~4 min on 2 cores), --media-runs=N (default 3),
//            --media-rebuild-runs=N (default 1)
//
// The media section (media.ts, after the sizes) times image encoding against a plain sharp loop, a cold and a warm
// rebuild of a course with photos, audio, video and narration (the warm one must encode nothing: the bench fails
// otherwise), and text-to-speech speed.
// Each size is also packaged as SCORM 1.2, SCORM 2004, cmi5 and xAPI (build + verify), with the zip's size reported.
// For each size N a synthetic project (see corpus.ts) is written to a fresh folder under
// os.tmpdir(). Each measurement is a new Node process (cold start, cold module loading), timed
// from spawn to exit with performance.now(), run --runs times with a fresh output folder; the
// median is reported. hocso reports its peak memory through HOCSO_STATS_FILE: when that variable
// is set, `hocso build` writes { "maxRssBytes": n, "lessons": n, "workers": n } to that file at exit.
//
// Results: a table on stdout, the same data as JSON on stdout's last line and in
// <tmp>/hocso-bench-XXXX/bench-results.json (kept even without --keep).

import { runChild, type ChildResult } from './child.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { scormRuntimeScript } from '../targets/scorm/runtime.js';
import { xapiRuntimeScript } from '../targets/xapi/runtime.js';
import { directorySize, generateCorpus } from './corpus.js';
import type { MediaOptions, MediaResult } from './media.js';

const HERE = path.dirname(fileURLToPath(import.meta.url)); // <root>/dist/bench
const PACKAGE_ROOT = path.resolve(HERE, '..', '..');
const HOCSO_BIN = path.join(PACKAGE_ROOT, 'bin', 'hocso.js');
const HOCSO_MAIN = path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');
const ELEVENTY_RUNNER = path.join(HERE, 'eleventy-run.js');

interface Options {
  sizes: number[];
  runs: number;
  seed: number;
  keep: boolean;
  /** 'only': the media section alone (--media); 'skip': without it (--no-media). */
  media: 'with' | 'only' | 'skip';
  /** --incremental: the incremental-rebuild section alone, for `sizes`. */
  incremental: boolean;
  /** Unset: media.ts's MEDIA_DEFAULTS. */
  mediaImages?: number;
  mediaRuns?: number;
  mediaRebuildRuns?: number;
}

interface ToolResult {
  ok: boolean;
  wallMs: number[];
  medianMs: number | null;
  peakRssBytes: number | null;
  htmlFiles: number | null;
  error?: string;
}

interface HocsoResult extends ToolResult {
  lessons: number;
  lessonsPerSec: number | null;
  workers: number | null;
}

/** A SCORM build of the same corpus: time, and what the package weighs. */
interface PackageResult extends ToolResult {
  target: string;
  zipBytes: number | null;
  /** Compressed bytes of one text-only lesson (SCO or AU): its page, plus the shared assets every lesson loads. */
  scoBytes: number | null;
}

interface SizeResult {
  lessons: number;
  corpusBytes: number;
  corpusMB: number;
  dir: string | null;
  hocso: HocsoResult;
  eleventy: ToolResult;
  ratio: number | null;
  packages: PackageResult[];
}

const PACKAGE_TARGETS = ['scorm12', 'scorm2004', 'cmi5', 'xapi'] as const;

function parseArgs(argv: string[]): Options {
  const opts: Options = { sizes: [], runs: 3, seed: 1, keep: false, media: 'with', incremental: false };
  for (const arg of argv) {
    if (arg === '--keep') opts.keep = true;
    else if (arg === '--incremental') opts.incremental = true;
    else if (arg === '--media') opts.media = 'only';
    else if (arg === '--no-media') opts.media = 'skip';
    else if (arg.startsWith('--media-images=')) opts.mediaImages = positiveInt(arg.slice(15), '--media-images');
    else if (arg.startsWith('--media-runs=')) opts.mediaRuns = positiveInt(arg.slice(13), '--media-runs');
    else if (arg.startsWith('--media-rebuild-runs=')) opts.mediaRebuildRuns = positiveInt(arg.slice(21), '--media-rebuild-runs');
    else if (arg.startsWith('--runs=')) opts.runs = positiveInt(arg.slice(7), '--runs');
    else if (arg.startsWith('--seed=')) opts.seed = positiveInt(arg.slice(7), '--seed');
    else if (/^\d+$/.test(arg)) opts.sizes.push(positiveInt(arg, 'size'));
    else throw new UsageError(`unknown argument: ${arg}`);
  }
  if (opts.media === 'only' && opts.sizes.length) throw new UsageError('--media runs the media section alone: give no sizes with it');
  if (opts.incremental && opts.media === 'only') throw new UsageError('--media and --incremental are separate sections: run them one at a time');
  if (opts.sizes.length === 0 && opts.incremental) opts.sizes = [1000, 5000];
  if (opts.sizes.length === 0 && opts.media !== 'only') opts.sizes = [100, 1000];
  return opts;
}

class UsageError extends Error {}

function positiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} must be a positive integer, got "${text}"`);
  return n;
}

function readStats(file: string): Record<string, unknown> | null {
  try {
    const data: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function countHtml(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) n += countHtml(full);
    else if (entry.name.endsWith('.html')) n += 1;
  }
  return n;
}

function describeFailure(what: string, r: ChildResult): string {
  const status = r.error ? `could not start: ${r.error.message}` : r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
  let text = `${what} failed (${status})`;
  const stderr = r.stderr.trim();
  const stdout = r.stdout.trim();
  if (stderr) text += `\n--- stderr ---\n${tail(stderr)}`;
  if (stdout) text += `\n--- stdout ---\n${tail(stdout)}`;
  return text;
}

function tail(text: string, max = 4000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

function rm(target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
}

async function benchHocso(dir: string, n: number, runs: number, extraArgs: string[] = []): Promise<HocsoResult> {
  const result: HocsoResult = { ok: false, wallMs: [], medianMs: null, peakRssBytes: null, htmlFiles: null, lessons: n, lessonsPerSec: null, workers: null };
  if (!fs.existsSync(HOCSO_BIN) || !fs.existsSync(HOCSO_MAIN)) {
    result.error = `hocso is not built: ${fs.existsSync(HOCSO_BIN) ? HOCSO_MAIN : HOCSO_BIN} is missing (run \`npm run build\`; the CLI entry point dist/cli/main.js must export main())`;
    return result;
  }
  const config = path.join(dir, 'hocso.config.yaml');
  const outDir = path.join(dir, 'out-hocso');
  const statsFile = path.join(dir, 'stats.json');
  for (let r = 0; r < runs; r++) {
    rm(outDir);
    rm(statsFile);
    // --no-cache: every run is a cold build (the build cache would answer runs 2 and 3).
    const child = await runChild([HOCSO_BIN, 'build', '--no-cache', '--config', config, '--out', outDir, ...extraArgs], dir, { ...process.env, HOCSO_STATS_FILE: statsFile });
    if (child.code !== 0) {
      result.error = describeFailure(`hocso build ${extraArgs.join(' ')} (N=${n}, run ${r + 1})`, child);
      return result;
    }
    result.wallMs.push(child.ms);
    const stats = readStats(statsFile);
    const rss = num(stats?.['maxRssBytes']);
    if (rss !== null) result.peakRssBytes = Math.max(result.peakRssBytes ?? 0, rss);
    const lessons = num(stats?.['lessons']);
    if (lessons !== null) result.lessons = lessons;
    const workers = num(stats?.['workers']);
    if (workers !== null) result.workers = workers;
    if (r === 0) result.htmlFiles = countHtml(outDir);
  }
  result.ok = true;
  result.medianMs = median(result.wallMs);
  if (result.medianMs) result.lessonsPerSec = result.lessons / (result.medianMs / 1000);
  return result;
}

async function benchPackage(dir: string, n: number, runs: number, target: string): Promise<PackageResult> {
  const built = await benchHocso(dir, n, runs, ['--target', target]);
  const result: PackageResult = { ...built, target, zipBytes: null, scoBytes: null };
  if (!built.ok) return result;
  const folder = path.join(dir, 'out-hocso', target);
  const zip = fs.readdirSync(folder).find((f) => f.endsWith('.zip'));
  if (!zip) return { ...result, ok: false, error: `no zip in ${folder}` };
  result.zipBytes = fs.statSync(path.join(folder, zip)).size;
  const entries = await zipEntries(path.join(folder, zip));
  const firstLesson = entries.find((e) => e.name.startsWith('lessons/'));
  result.scoBytes = entries.filter((e) => e === firstLesson || e.name.startsWith('assets/')).reduce((sum, e) => sum + e.compressedSize, 0);
  return result;
}

/** Names and compressed sizes from the zip's central directory. */
function zipEntries(file: string): Promise<{ name: string; compressedSize: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${file}`));
      const entries: { name: string; compressedSize: number }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, compressedSize: entry.compressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The package runtimes as packages ship them and a learner downloads them: gzipped bytes. */
function runtimeGzipBytes(): Record<string, number> {
  const gz = (script: string): number => zlib.gzipSync(script, { level: 9 }).length;
  return { 'hocso-scorm.js': gz(scormRuntimeScript()), 'hocso-xapi.js': gz(xapiRuntimeScript()) };
}

async function benchEleventy(dir: string, n: number, runs: number): Promise<ToolResult> {
  const result: ToolResult = { ok: false, wallMs: [], medianMs: null, peakRssBytes: null, htmlFiles: null };
  const input = path.join(dir, 'courses', 'bench', 'lessons');
  const outDir = path.join(dir, 'out-eleventy');
  const statsFile = path.join(dir, 'eleventy-stats.json');
  for (let r = 0; r < runs; r++) {
    rm(outDir);
    rm(statsFile);
    // cwd = corpus root: Eleventy looks for its config file there and finds none (defaults apply).
    const child = await runChild([ELEVENTY_RUNNER, input, outDir, statsFile], dir, { ...process.env });
    if (child.code !== 0) {
      result.error = describeFailure(`Eleventy (N=${n}, run ${r + 1})`, child);
      return result;
    }
    result.wallMs.push(child.ms);
    const rss = num(readStats(statsFile)?.['maxRssBytes']);
    if (rss !== null) result.peakRssBytes = Math.max(result.peakRssBytes ?? 0, rss);
    if (r === 0) result.htmlFiles = countHtml(outDir);
  }
  result.ok = true;
  result.medianMs = median(result.wallMs);
  return result;
}

const fmt = {
  ms: (v: number | null): string => (v === null ? 'n/a' : v.toFixed(0)),
  rate: (v: number | null): string => (v === null ? 'n/a' : v.toFixed(1)),
  mb: (v: number | null): string => (v === null ? 'n/a' : (v / (1024 * 1024)).toFixed(1)),
  ratio: (v: number | null): string => (v === null ? 'n/a' : v.toFixed(2)),
  kb: (v: number | null): string => (v === null ? 'n/a' : (v / 1024).toFixed(1)),
};

/** A Markdown table with right-aligned columns, ready to paste into an issue note. */
function printTableRows(header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: string[]): string => '| ' + cells.map((cell, c) => cell.padStart(widths[c] ?? 0)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|');
  for (const row of rows) console.log(line(row));
}

function printPackageTable(results: SizeResult[]): void {
  const header = ['N', 'target', 'build ms (median)', 'vs web build', 'peak RSS MB', 'zip KB', 'one text lesson KB'];
  const rows = results.flatMap((r) =>
    r.packages.map((p) => [
      String(r.lessons),
      p.target,
      p.ok ? fmt.ms(p.medianMs) : 'FAILED',
      fmt.ratio(p.medianMs !== null && r.hocso.medianMs ? p.medianMs / r.hocso.medianMs : null),
      fmt.mb(p.peakRssBytes),
      fmt.kb(p.zipBytes),
      fmt.kb(p.scoBytes),
    ]),
  );
  printTableRows(header, rows);
}

function printTable(results: SizeResult[]): void {
  const header = ['N', 'corpus MB', 'hocso ms (median)', 'lessons/s', 'hocso peak RSS MB', 'workers', 'Eleventy ms (median)', 'Eleventy RSS MB', 'hocso/Eleventy'];
  const rows = results.map((r) => [
    String(r.lessons),
    r.corpusMB.toFixed(2),
    r.hocso.ok ? fmt.ms(r.hocso.medianMs) : 'FAILED',
    fmt.rate(r.hocso.lessonsPerSec),
    fmt.mb(r.hocso.peakRssBytes),
    r.hocso.workers === null ? 'n/a' : String(r.hocso.workers),
    r.eleventy.ok ? fmt.ms(r.eleventy.medianMs) : 'FAILED',
    fmt.mb(r.eleventy.peakRssBytes),
    fmt.ratio(r.ratio),
  ]);
  printTableRows(header, rows);
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`bench: ${e.message}\nusage: npm run bench -- [N ...] [--runs=3] [--seed=1] [--keep] [--media | --no-media | --incremental] [--media-images=12] [--media-runs=3] [--media-rebuild-runs=1]`);
      return 2;
    }
    throw e;
  }

  const cores = os.availableParallelism();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const benchRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hocso-bench-'));
  console.log(`hocso benchmark — ${cores} cores (${cpu}), Node ${process.version}, ${os.platform()} ${os.arch()}`);
  if (opts.incremental) {
    const { printIncrementalReport, runIncrementalBench } = await import('./incremental.js');
    const rows = await runIncrementalBench(HOCSO_BIN, benchRoot, opts.sizes, opts.runs, opts.seed, opts.keep);
    printIncrementalReport(rows);
    const resultsFile = path.join(benchRoot, 'bench-results.json');
    fs.writeFileSync(resultsFile, JSON.stringify({ date: new Date().toISOString(), machine: { cores, cpu, node: process.version }, runs: opts.runs, incremental: rows }, null, 2) + '\n');
    console.log(`results: ${resultsFile}`);
    return 0;
  }
  if (opts.sizes.length) console.log(`sizes: ${opts.sizes.join(', ')} lessons; ${opts.runs} cold runs each (median reported); work dir ${benchRoot}`);
  else console.log(`media section only; work dir ${benchRoot}`);

  const results: SizeResult[] = [];
  let failed = false;
  for (const n of opts.sizes) {
    const dir = path.join(benchRoot, `n${n}`);
    const t0 = performance.now();
    generateCorpus(dir, n, opts.seed);
    const corpusBytes = directorySize(path.join(dir, 'courses'));
    console.log(`\nN=${n}: corpus ${(corpusBytes / (1024 * 1024)).toFixed(2)} MB generated in ${(performance.now() - t0).toFixed(0)} ms`);

    const hocso = await benchHocso(dir, n, opts.runs);
    if (hocso.ok) {
      console.log(`  hocso    runs (ms): ${hocso.wallMs.map((v) => v.toFixed(0)).join(', ')}; ${hocso.htmlFiles} HTML files`);
    } else {
      failed = true;
      console.error(`  ${hocso.error ?? 'hocso failed'}`);
    }
    const eleventy = await benchEleventy(dir, n, opts.runs);
    if (eleventy.ok) {
      console.log(`  Eleventy runs (ms): ${eleventy.wallMs.map((v) => v.toFixed(0)).join(', ')}; ${eleventy.htmlFiles} HTML files`);
    } else {
      failed = true;
      console.error(`  ${eleventy.error ?? 'Eleventy failed'}`);
    }

    const packages: PackageResult[] = [];
    for (const target of PACKAGE_TARGETS) {
      const built = await benchPackage(dir, n, opts.runs, target);
      packages.push(built);
      if (built.ok) console.log(`  ${target} runs (ms): ${built.wallMs.map((v) => v.toFixed(0)).join(', ')}; zip ${fmt.kb(built.zipBytes)} KB`);
      else {
        failed = true;
        console.error(`  ${built.error ?? `${target} failed`}`);
      }
    }

    const ratio = hocso.medianMs !== null && eleventy.medianMs ? hocso.medianMs / eleventy.medianMs : null;
    results.push({ lessons: n, corpusBytes, corpusMB: corpusBytes / (1024 * 1024), dir: opts.keep ? dir : null, hocso, eleventy, ratio, packages });
    if (!opts.keep) rm(dir);
  }

  let media: MediaResult | null = null;
  let mediaWarmEncoded = false;
  if (opts.media !== 'skip') {
    const { MEDIA_DEFAULTS, runMediaBench } = await import('./media.js'); // loaded only here: sharp, the compiler, eSpeak
    const mediaOptions: MediaOptions = {
      images: opts.mediaImages ?? MEDIA_DEFAULTS.images,
      runs: opts.mediaRuns ?? MEDIA_DEFAULTS.runs,
      rebuildRuns: opts.mediaRebuildRuns ?? MEDIA_DEFAULTS.rebuildRuns,
      seed: opts.seed,
      keep: opts.keep,
    };
    media = await runMediaBench(benchRoot, mediaOptions);
    if (media.errors.length) failed = true;
    mediaWarmEncoded = media.rebuild !== null && !media.rebuild.warmEncodedNothing;
  }

  if (results.length) {
    console.log('');
    printTable(results);
    console.log('');
    printPackageTable(results);
    const runtime = runtimeGzipBytes();
    console.log(`runtimes as shipped, gzipped: ${Object.entries(runtime).map(([name, bytes]) => `${name} ${bytes} B`).join(', ')}; "one text lesson" = one lesson page + shared assets, as compressed in the zip.`);
    console.log(`\nmachine: ${cores} cores; peak RSS is the maximum over the runs; hocso/Eleventy < 1 means hocso is faster.`);
    if (results.some((r) => r.hocso.ok && r.hocso.peakRssBytes === null)) {
      console.log('note: hocso wrote no HOCSO_STATS_FILE, so its memory and worker count are n/a.');
    }
  }
  if (media) {
    const { printMediaReport } = await import('./media.js');
    printMediaReport(media, cores);
  }

  const json = {
    date: new Date().toISOString(),
    machine: { cores, cpu, node: process.version, platform: `${os.platform()} ${os.arch()}`, totalMemBytes: os.totalmem() },
    runs: opts.runs,
    seed: opts.seed,
    runtimeGzipBytes: runtimeGzipBytes(),
    results,
    media,
  };
  const resultsFile = path.join(benchRoot, 'bench-results.json');
  fs.writeFileSync(resultsFile, JSON.stringify(json, null, 2) + '\n');
  console.log(`results: ${resultsFile}${opts.keep ? ' (projects kept next to it)' : ''}`);
  if (mediaWarmEncoded) console.error(`bench: FAILED: the warm rebuild encoded media instead of reading the cache: ${media?.rebuild?.warmProblems.join('; ')}`);
  if (failed) console.error(mediaWarmEncoded ? 'bench: failed (see above)' : 'bench: at least one build failed (see above)');
  console.log(JSON.stringify(json));
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  },
);
