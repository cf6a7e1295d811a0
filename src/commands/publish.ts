import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileProject } from '../compile/compile-project.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { REPORT_FORMATS, type ReportFormat } from '../diagnostics/reporters.js';
import { buildLanguages, languageChain, localizeCourse } from '../i18n/localize.js';
import { displayPath } from '../paths.js';
import { UsageError, type ProjectConfig } from '../project/config.js';
import { catalogFor } from '../publish/catalog.js';
import { deltaBetween } from '../publish/delta.js';
import { copyShards, expectedUnits, formatProblems, mergeShards, shardFolders, verifyShards } from '../publish/merge.js';
import { CATALOG_FILE, DELTA_FILE, manifestFor, nextVersion, readManifest, RELEASE_FILE, releasedVersions } from '../publish/release.js';
import { EXIT_CONTENT_ERRORS, EXIT_OK, openProject, printDiagnostics, progress, type Io } from '../cli/context.js';
import { build } from './build.js';

export interface PublishOptions {
  config?: string;
  /** Release name (default: one more than the highest numeric release: 1, 2, 3 …). */
  version?: string;
  /** Releases folder (default: OUTPUT/releases). */
  out?: string;
  /** How the build's diagnostics are reported (pretty, json, junit, sarif, github). */
  format?: string;
  /** Instead of building: the output folders of `hocso build` runs (shards) that together hold the whole build. */
  merge?: string[];
  /** A remote build cache for the build (as `hocso build --cache-url`). */
  cacheUrl?: string;
}

const VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]*$/;

/**
 * Builds every configured target and language (or, with --merge, takes them from the output folders of shard builds)
 * into a private staging folder inside the releases folder, adds release.json, catalog.json (OPDS 2.0) and delta.json
 * (against the latest release), then renames the staging folder to RELEASES/VERSION. Any failure removes the staging
 * folder: nothing is published.
 */
export async function publish(io: Io, options: PublishOptions): Promise<number> {
  if (options.version !== undefined && !VERSION.test(options.version)) {
    throw new UsageError(`\`${options.version}\` is not a usable version`, 'A version is letters, digits, dots, hyphens, underscores and plus signs, starting with a letter or digit (e.g. 3 or 2025.1).');
  }
  const format = (options.format ?? 'pretty') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown format \`${options.format}\``, `Formats: ${REPORT_FORMATS.join(', ')}.`);
  const shards = options.merge ? shardFolders(options.merge, io.cwd) : undefined;
  const opened = openProject(io.cwd, options.config);
  if (!opened.config || hasErrors(opened.diagnostics)) {
    printDiagnostics(io, opened.diagnostics);
    io.stderr('Publish stopped: fix the errors above. Nothing was published.\n');
    return EXIT_CONTENT_ERRORS;
  }
  const config = opened.config;
  const releases = options.out ? path.resolve(io.cwd, options.out) : path.join(config.outputDir, 'releases');
  const version = options.version ?? nextVersion(releases);
  const target = path.join(releases, version);
  const refuse = (): never => {
    throw new UsageError(`release ${version} already exists in ${displayPath(releases, io.cwd)}`, 'A published release is never overwritten: choose another --version (without it, the next number is used).');
  };
  if (existsSync(target)) refuse();
  const previous = releasedVersions(releases).at(-1);

  mkdirSync(releases, { recursive: true });
  const staging = mkdtempSync(path.join(releases, '.staging-'));
  try {
    const targetShown = displayPath(target, io.cwd);
    const filled = shards
      ? await mergeInto(io, format, opened.diagnostics, config, shards, releases, staging)
      : await buildInto(io, options, config, staging, targetShown);
    if (typeof filled === 'number') {
      io.stderr('Nothing was published.\n');
      return filled;
    }
    const project = filled;
    const manifest = manifestFor(version, staging, project.courses, previous);
    const entries = project.courses.flatMap((course) => buildLanguages(config.languages, course).map((setting) => ({ course: localizeCourse(course, languageChain(setting, course)).course, language: setting.tag })));
    const delta = previous ? deltaBetween(readManifest(path.join(releases, previous)), manifest) : undefined;
    writeFileSync(path.join(staging, RELEASE_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(path.join(staging, CATALOG_FILE), `${JSON.stringify(catalogFor(manifest, entries, project.frameworks), null, 2)}\n`);
    if (delta) writeFileSync(path.join(staging, DELTA_FILE), `${JSON.stringify(delta, null, 2)}\n`);
    // Another publish may have taken the name meanwhile: renaming onto it would fail or, for an empty folder, replace it.
    if (existsSync(target)) refuse();
    renameSync(staging, target);

    const bytes = manifest.files.reduce((n, f) => n + f.size, 0);
    io.stderr(`Published release ${version} in ${targetShown}: ${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'}, ${bytes} bytes.\n`);
    if (delta) io.stderr(`  since ${delta.from}: ${delta.added.length} added, ${delta.changed.length} changed, ${delta.removed.length} removed (${delta.bytes} bytes to download: ${DELTA_FILE})\n`);
    return EXIT_OK;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

type Compiled = Awaited<ReturnType<typeof compileProject>>;

/** Builds the whole project into the staging folder; returns the compiled project (course metadata), or the exit code. */
async function buildInto(io: Io, options: PublishOptions, config: ProjectConfig, staging: string, targetShown: string): Promise<Compiled | number> {
  // The build's own messages name the staging folder: show the release folder instead.
  const stagingShown = displayPath(staging, io.cwd);
  const buildIo: Io = { ...io, stderr: (text) => io.stderr(text.split(stagingShown).join(targetShown)) };
  const code = await build(buildIo, { ...(options.config ? { config: options.config } : {}), ...(options.format ? { format: options.format } : {}), out: staging, scratchOut: true, ...(options.cacheUrl ? { cacheUrl: options.cacheUrl } : {}) });
  if (code !== EXIT_OK) return code;
  // Course metadata (titles per language, competencies) for the manifest and the catalog.
  const project = await compileProject(config);
  if (hasErrors(project.diagnostics)) {
    printDiagnostics(io, project.diagnostics);
    return EXIT_CONTENT_ERRORS;
  }
  return project;
}

/**
 * --merge: checks that the shard folders hold together exactly what an unsharded build writes (see publish/merge.ts),
 * verifies their packages, and copies them into the staging folder. Diagnostics (the project's, the packages') are
 * reported in the format asked for, as one document for the machine formats; problems with the folders themselves
 * go to stderr.
 */
async function mergeInto(io: Io, format: ReportFormat, opened: readonly Diagnostic[], config: ProjectConfig, shards: readonly string[], releases: string, staging: string): Promise<Compiled | number> {
  // Pretty diagnostics are printed as they are found; a machine format prints them all as one document at the end.
  const collected: Diagnostic[] = [];
  const report = (diagnostics: readonly Diagnostic[]): void => {
    if (format === 'pretty') printDiagnostics(io, diagnostics);
    else collected.push(...diagnostics);
  };
  report(opened);
  try {
    const project = await compileProject(config, { onProgress: progress(io, 'Compiling lessons') });
    report(project.diagnostics);
    if (hasErrors(project.diagnostics)) {
      io.stderr('Publish stopped: fix the errors above.\n');
      return EXIT_CONTENT_ERRORS;
    }
    const merged = mergeShards(shards, expectedUnits(config, project.courses), io.cwd, releases);
    if (merged.ignored.length) io.stderr(`Ignored ${merged.ignored.length} hidden file${merged.ignored.length === 1 ? '' : 's'} outside the built units (e.g. ${merged.ignored[0]}).\n`);
    if (merged.problems.length) {
      io.stderr(formatProblems(merged.problems));
      io.stderr(`Publish stopped: the ${shards.length === 1 ? 'folder does' : `${shards.length} folders do`} not hold exactly the build of the project.\n`);
      return EXIT_CONTENT_ERRORS;
    }
    const verified = await verifyShards(merged, io.cwd);
    report(verified.diagnostics);
    if (verified.problems.length || hasErrors(verified.diagnostics)) {
      io.stderr(formatProblems(verified.problems));
      io.stderr('Publish stopped: a file of the shards failed verification (copied in part, or altered?): build that shard again.\n');
      return EXIT_CONTENT_ERRORS;
    }
    copyShards(merged, staging);
    io.stderr(`Merged ${merged.units.length} unit${merged.units.length === 1 ? '' : 's'} (${merged.files.size} files) from ${shards.length} folder${shards.length === 1 ? '' : 's'}.\n`);
    return project;
  } finally {
    if (format !== 'pretty') printDiagnostics(io, collected, format, { command: 'publish' });
  }
}
