import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bodyStats, compileProject, loadCourseSources, type LoadedSources } from '../compile/compile-project.js';
import { compareDiagnostics, hasErrors } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { Framework } from '../frameworks/framework.js';
import { languageLabel } from '../i18n/language-tag.js';
import { buildLanguages, languageChain, localizeCourse } from '../i18n/localize.js';
import { lessonsOf, type Course } from '../model/course.js';
import { writeDirAtomically, type FileTree } from '../output/atomic-dir.js';
import type { CourseSource } from '../project/course-file.js';
import { BuildCache, buildCacheDir, outputDigest, type UnitRecord } from '../build-cache/build-cache.js';
import { BodyCache } from '../build-cache/body-cache.js';
import { FileHashes } from '../build-cache/file-hashes.js';
import { parseCacheUrl, RemoteStore, TieredStore } from '../build-cache/remote.js';
import { parseShard, shardSlice } from '../build-cache/shard.js';
import { LocalStore, sha256 } from '../build-cache/store.js';
import { WrittenOutputs } from '../build-cache/written-outputs.js';
import { mediaCacheDir } from '../media/cache.js';
import { writeFileAtomically } from '../output/atomic-file.js';
import { zipFiles } from '../output/zip.js';
import { renderScormPackage, SCORM_VERSIONS } from '../targets/scorm/package.js';
import { verifyPackageZip } from '../verify/package.js';
import { DEFAULT_IRI_BASE } from '../targets/xapi/iris.js';
import { renderXapiPackage, XAPI_PROFILES } from '../targets/xapi/package.js';
import { displayPath } from '../paths.js';
import { TARGETS, UsageError, type LanguageSetting, type ProjectConfig, type Target } from '../project/config.js';
import { renderWebBundle } from '../targets/web.js';
import type { FontProblem } from '../fonts/course-fonts.js';
import { workerCountFor } from '../compile/body-pool.js';
import { mediaStats } from '../media/images.js';
import { prepareMedia } from '../media/prepare.js';
import { renderAudioBundle } from '../targets/audio.js';
import { renderTextBundle } from '../targets/text.js';
import { renderEpubFiles, zipEpub } from '../targets/epub.js';
import { renderPrintPdf } from '../targets/print.js';
import { findChromium, requireChromium } from '../tools/chromium.js';
import { renderVideoBundle, slideVideoStats } from '../targets/video.js';
import { audioStats } from '../media/audio.js';
import { videoStats } from '../media/video.js';
import { speechStats } from '../media/speech.js';
import { checkBudgets } from '../media/budgets.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { REPORT_FORMATS, type ReportFormat } from '../diagnostics/reporters.js';
import { EXIT_CONTENT_ERRORS, EXIT_OK, openProject, printDiagnostics, progress, type Io } from '../cli/context.js';

export interface BuildOptions {
  config?: string;
  target?: string[];
  course?: string[];
  lang?: string[];
  out?: string;
  singleSco?: boolean;
  /** How diagnostics are reported (pretty, json, junit, sarif, github); machine formats print one document to stdout. */
  format?: string;
  /** I/N: build only that deterministic slice of the units (course × language × target). */
  shard?: string;
  /** false (--no-cache): neither use nor fill the build cache; every output is rendered and written. */
  cache?: boolean;
  /** A remote build cache shared by machines (HTTP GET/PUT); also $HOCSO_CACHE_URL. */
  cacheUrl?: string;
  /** The output folder is a fresh staging folder (publish): nothing to compare with, nothing to remember about it. */
  scratchOut?: boolean;
}

/**
 * Validates everything, then writes each bundle atomically; with any error nothing is written.
 * Pretty diagnostics are printed as each phase finds them; a machine format collects them and prints one document on
 * stdout when the build ends (not after a usage mistake, which exits 2 with its message alone).
 */
export async function build(io: Io, options: BuildOptions): Promise<number> {
  const format = (options.format ?? 'pretty') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown format \`${options.format}\``, `Formats: ${REPORT_FORMATS.join(', ')}.`);
  if (format === 'pretty') return buildWith(io, options, (diagnostics) => printDiagnostics(io, diagnostics));
  const collected: Diagnostic[] = [];
  const code = await buildWith(io, options, (diagnostics) => { collected.push(...diagnostics); });
  printDiagnostics(io, collected, format, { command: 'build' });
  return code;
}

/** Where a build's time went, for HOCSO_TIMING (ms). */
const timings = { compile: 0, render: 0, verify: 0, write: 0 };

/** One course in one language for one target: what the build renders, caches and writes as a whole. */
interface Unit {
  course: CourseSource;
  setting: LanguageSetting;
  target: Target;
  /** The first target built for its course and language: it also checks the per-lesson media budget. */
  first: boolean;
  /** Its file or folder inside the output folder, with forward slashes. */
  relative: string;
  key?: string;
  /** What it produced: from the cache, or rendered by this build. */
  record?: UnitRecord;
  /** Its files, when they must be written (rendered now, or fetched from the cache because the output differs). */
  contents?: Map<string, Uint8Array>;
}

async function buildWith(io: Io, options: BuildOptions, report: (diagnostics: readonly Diagnostic[]) => void): Promise<number> {
  const started = performance.now();
  const targets = (options.target ?? []) as Target[];
  for (const target of targets) {
    if (!(TARGETS as readonly string[]).includes(target)) throw new UsageError(`unknown target \`${target}\``, `Targets: ${TARGETS.join(', ')}.`);
  }
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const cacheUrl = options.cache === false ? undefined : (options.cacheUrl ?? (process.env.HOCSO_CACHE_URL || undefined));
  const remote = cacheUrl ? new RemoteStore(parseCacheUrl(cacheUrl)) : undefined;
  // Each diagnostic is reported once, however many units (cached or built) carry it.
  const reported = new Set<string>();
  const emit = (list: readonly Diagnostic[]): void => {
    const fresh = list.filter((d) => {
      const id = JSON.stringify([d.file, d.line, d.column, d.ruleId, d.message]);
      return reported.has(id) ? false : (reported.add(id), true);
    });
    if (fresh.length) report([...fresh].sort(compareDiagnostics));
  };
  const opened = openProject(io.cwd, options.config);
  if (!opened.config || hasErrors(opened.diagnostics)) {
    emit(opened.diagnostics);
    return EXIT_CONTENT_ERRORS;
  }
  const config = opened.config;
  const chosen = targets.length ? targets : config.targets;
  const loaded = loadCourseSources(config);
  const diagnostics = [...opened.diagnostics, ...loaded.diagnostics];
  if (!config.iriBase && chosen.some((t) => t === 'cmi5' || t === 'xapi')) {
    diagnostics.push(diagnose('config/iri-base-missing', { file: displayPath(config.file, io.cwd) }, `no \`iriBase\` in the config: the xAPI activity ids use the placeholder ${DEFAULT_IRI_BASE}`));
  }
  if (hasErrors(diagnostics)) {
    emit(diagnostics);
    io.stderr('Build stopped: fix the errors above. Nothing was written.\n');
    return EXIT_CONTENT_ERRORS;
  }
  if (options.course) {
    const missing = options.course.filter((id) => !loaded.sources.some((c) => c.id === id));
    if (missing.length) throw new UsageError(`no course with id ${missing.map((m) => `\`${m}\``).join(', ')} in ${displayPath(config.file, io.cwd)}`, 'Course ids are the `id` keys of each course.yaml.');
  }
  const outDir = options.out ? path.resolve(io.cwd, options.out) : config.outputDir;
  const sources = loaded.sources.filter((c) => !options.course || options.course.includes(c.id));
  let units: Unit[] = sources.flatMap((course) =>
    chosenLanguages(buildLanguages(config.languages, course), options.lang).flatMap((setting) =>
      chosen.map((target, i): Unit => ({ course, setting, target, first: i === 0, relative: outputPath(target, course.id, setting.tag) })),
    ),
  );
  if (shard) units = shardSlice(units, shard);

  // The cache answers for every unit whose inputs it has seen; an output already on disk as recorded is not even read.
  const cacheRoot = mediaCacheDir(config.root);
  const stateDir = path.join(buildCacheDir(cacheRoot), 'state');
  const hashes = new FileHashes(options.cache === false ? undefined : path.join(stateDir, `files-${sha256(config.root).slice(0, 32)}.json`));
  const cache = options.cache === false ? undefined : new BuildCache(config, new TieredStore(new LocalStore(buildCacheDir(cacheRoot)), remote), hashes, [outDir, cacheRoot]);
  const written = options.cache === false || options.scratchOut ? undefined : new WrittenOutputs(stateDir, outDir);
  for (const unit of units) {
    if (!cache) break;
    const dated = (unit.target === 'epub' || unit.target === 'print') && !process.env.SOURCE_DATE_EPOCH?.trim();
    unit.key = cache.unitKey(unit.course, [unit.target, unit.setting, unit.first, unit.target.startsWith('scorm') && Boolean(options.singleSco), unit.target === 'print' ? printEngine() : '', dated ? cache.sourceTime(unit.course) : 0]);
    const record = await cache.lookup(unit.key);
    if (!record) continue;
    if (written?.isCurrent(unit.relative, outputDigest(record))) {
      unit.record = record;
      continue;
    }
    const contents = await cache.contents(record);
    if (contents) Object.assign(unit, { record, contents });
  }
  const cached = units.filter((u) => u.record);
  for (const unit of cached) diagnostics.push(...unit.record!.diagnostics);
  const fallbackNotes = new Set(cached.flatMap((u) => (u.record!.fallbackNote ? [u.record!.fallbackNote] : [])));

  const missing = units.filter((u) => !u.record);
  if (missing.length) {
    const bodyCache = cache && new BodyCache(path.join(buildCacheDir(cacheRoot), 'bodies'), cache.engine, hashes, [outDir, cacheRoot]);
    const code = await renderUnits(io, config, options, loaded, missing, bodyCache, diagnostics, emit, fallbackNotes);
    if (code !== EXIT_OK) return code;
    // Stored only once every unit of the build rendered and verified: the cache never holds what a failed build made.
    if (cache) for (const unit of missing) unit.record = await cache.save(unit.key!, unit.record!, unit.contents!);
  } else {
    emit(diagnostics);
  }

  const writeStarted = performance.now();
  const writtenNow: Unit[] = [];
  for (const unit of units) {
    // A unit rendered again (its course changed) whose bytes did not change is left alone on disk.
    if (!unit.contents || written?.isCurrent(unit.relative, outputDigest(unit.record!))) continue;
    const target = path.join(outDir, ...unit.relative.split('/'));
    if (unit.record!.kind === 'file') writeFileAtomically(target, unit.contents.get('')!);
    else await writeDirAtomically(target, unit.contents);
    written?.remember(unit.relative, outputDigest(unit.record!), unit.record!.files.map(([name]) => name));
    writtenNow.push(unit);
  }
  // An empty shard still leaves its (empty) output folder, so `publish --merge` can be given every shard's folder.
  if (shard) mkdirSync(outDir, { recursive: true });
  written?.save();
  hashes.save();
  timings.write = performance.now() - writeStarted;
  for (const warning of remote?.warnings() ?? []) io.stderr(`warning: ${warning}\n`);

  if (fallbackNotes.size) io.stderr(`Fallbacks (no variant in that language yet):\n${[...fallbackNotes].sort().join('')}`);
  const courses = new Set(units.map((u) => u.course));
  const lessons = [...courses].reduce((n, c) => n + c.modules.reduce((m, module) => m + module.lessons.length, 0), 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const unchanged = units.length - writtenNow.length;
  const summary = !units.length ? 'nothing to build in this shard' : !writtenNow.length ? `all ${units.length} outputs up to date, nothing written` : unchanged ? `${writtenNow.length} written, ${unchanged} unchanged` : `${writtenNow.length} written`;
  io.stderr(`Built ${courses.size} course${courses.size === 1 ? '' : 's'} (${lessons} lesson${lessons === 1 ? '' : 's'})${shard ? ` for shard ${shard.index}/${shard.count}` : ''} in ${seconds} s: ${summary}${writtenNow.length ? ':' : '.'}\n`);
  for (const unit of writtenNow) {
    const full = path.join(outDir, ...unit.relative.split('/'));
    io.stderr(`  ${displayPath(unit.record!.kind === 'file' ? full : unit.contents!.has('index.html') ? path.join(full, 'index.html') : `${full}${path.sep}`, io.cwd)}\n`);
  }
  writeStats(lessons);
  if (process.env.HOCSO_TIMING) {
    io.stderr(`cache: ${units.length - missing.length} of ${units.length} units from the build cache${remote ? ` (remote: ${remote.stats.hits} hits, ${remote.stats.uploads} uploads)` : ''}; lesson bodies: ${bodyStats.compiled} compiled, ${bodyStats.fromCache} from the cache\n`);
    io.stderr(`media: ${mediaStats.images} images, ${mediaStats.encoded} encoded, ${mediaStats.cacheHits} from cache, ${mediaStats.encodeMs.toFixed(0)} ms encoding\n`);
    io.stderr(`audio: ${audioStats.clips} clips, ${audioStats.encoded} encoded, ${audioStats.cacheHits} from cache; video: ${videoStats.videos} videos, ${videoStats.encoded} encoded, ${videoStats.cacheHits} from cache; slide videos: ${slideVideoStats.rendered} rendered, ${slideVideoStats.cacheHits} from cache\n`);
    io.stderr(`timing: compile ${timings.compile.toFixed(0)} ms, render ${timings.render.toFixed(0)} ms, verify ${timings.verify.toFixed(0)} ms, write ${timings.write.toFixed(0)} ms\n`);
    io.stderr(`speech: ${speechStats.lessons} lessons, ${speechStats.synthesized} synthesized, ${speechStats.cacheHits} from cache, ${speechStats.audioSeconds.toFixed(0)} s of audio in ${speechStats.synthMs.toFixed(0)} ms\n`);
  }
  return EXIT_OK;
}

/**
 * Compiles the courses of the units the cache could not answer, prepares their media, renders and verifies them.
 * On success each unit holds its record (diagnostics included) and contents; on any error nothing is written.
 */
async function renderUnits(io: Io, config: ProjectConfig, options: BuildOptions, loaded: LoadedSources, units: Unit[], bodyCache: BodyCache | undefined, diagnostics: Diagnostic[], emit: (list: readonly Diagnostic[]) => void, fallbackNotes: Set<string>): Promise<number> {
  // Fail before any media work when the print target cannot run at all.
  if (units.some((u) => u.target === 'print')) requireChromium();
  const courseIds = [...new Set(units.map((u) => u.course.id))];
  const phaseStarted = performance.now();
  const project = await compileProject(config, { courseIds, loaded, onProgress: progress(io, 'Compiling lessons'), ...(bodyCache ? { bodyCache } : {}) });
  timings.compile += performance.now() - phaseStarted;
  const compiled = new Map(project.courses.map((c) => [c.id, c]));
  const localized = new Map<string, ReturnType<typeof localizeCourse>>();
  const localizedOf = (unit: Unit): ReturnType<typeof localizeCourse> => {
    const id = `${unit.course.id}\0${unit.setting.tag}`;
    const course = compiled.get(unit.course.id)!;
    if (!localized.has(id)) localized.set(id, localizeCourse(course, languageChain(unit.setting, course)));
    return localized.get(id)!;
  };
  diagnostics.push(...project.diagnostics);
  // Media is decoded and encoded (or taken from the media cache) before rendering: an unreadable file is an error here.
  if (!hasErrors(diagnostics)) {
    const shown = [...new Set(units.map((u) => `${u.course.id}\0${u.setting.tag}`))].map((id) => {
      const unit = units.find((u) => `${u.course.id}\0${u.setting.tag}` === id)!;
      return { course: compiled.get(unit.course.id)!, lessons: lessonsOf(localizedOf(unit).course) };
    });
    diagnostics.push(...(await prepareMedia({
      courses: [...new Set(shown.map((s) => s.course))],
      shown,
      ...(config.narration ? { narration: config.narration } : {}),
      projectRoot: config.root,
      slideVideos: units.some((u) => u.target === 'video'),
    }, progress(io, 'Media', { linesFrom: 1 }))));
  }
  emit(diagnostics);
  if (hasErrors(diagnostics)) {
    io.stderr('Build stopped: fix the errors above. Nothing was written.\n');
    return EXIT_CONTENT_ERRORS;
  }

  const outDir = options.out ? path.resolve(io.cwd, options.out) : config.outputDir;
  // Everything is rendered and every package verified before the first write: a failure writes nothing.
  const overBudget: Diagnostic[] = [];
  const problems: Diagnostic[] = [];
  for (const unit of units) {
    const { course, fallbacks } = localizedOf(unit);
    const lang = unit.setting.tag;
    const fontProblems: FontProblem[] = [];
    const renderStarted = performance.now();
    const output = await renderOutput(unit.target, course, lang, project.frameworks, config, options, fontProblems);
    timings.render += performance.now() - renderStarted;
    const shownPath = displayPath(path.join(outDir, ...unit.relative.split('/')), io.cwd);
    const budgets = unit.first ? config.media : config.media && { ...(config.media.maxPackageBytes !== undefined ? { maxPackageBytes: config.media.maxPackageBytes } : {}) };
    const single = output.zip ?? output.file;
    const unitDiagnostics = [
      ...new Map(fontProblems.map((p) => [`${p.file}:${p.line}:${p.column}:${p.codePoint}`, diagnose('font/missing-glyph', p, p.message)])).values(),
      ...checkBudgets(output.files!, course, budgets, { name: shownPath, ...(single ? { zipBytes: single.length } : {}), at: { file: displayPath(config.file, io.cwd) } }),
    ];
    overBudget.push(...unitDiagnostics.filter((d) => d.ruleId !== 'font/missing-glyph'));
    const verifyStarted = performance.now();
    const verified = output.zip ? await verifyPackageZip(output.zip, shownPath) : [];
    timings.verify += performance.now() - verifyStarted;
    problems.push(...verified);
    const shownRoot = displayPath(unit.course.root, config.root);
    const courseFolder = shownRoot === '.' ? '' : `${shownRoot}/`;
    const fallbackNote = fallbacks.length ? `  ${unit.course.id} in ${languageLabel(lang)}: ${describeFallbacks(fallbacks, lessonsOf(compiled.get(unit.course.id)!).length)}\n` : undefined;
    if (fallbackNote) fallbackNotes.add(fallbackNote);
    unit.record = {
      version: 1,
      kind: single ? 'file' : 'dir',
      files: [],
      // The course's own diagnostics (its lessons, media and course.yaml) travel with each of its units.
      diagnostics: [...new Map([...diagnostics.filter((d) => d.file.startsWith(courseFolder)), ...unitDiagnostics, ...verified].map((d) => [JSON.stringify(d), d])).values()],
      ...(fallbackNote ? { fallbackNote } : {}),
    };
    unit.contents = single ? new Map([['', single]]) : new Map([...output.files!].map(([name, value]) => [name, typeof value === 'string' ? Buffer.from(value, 'utf8') : value]));
    unit.record.files = [...unit.contents].map(([name, bytes]): [string, string, number] => [name, sha256(bytes), bytes.length]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  emit(units.flatMap((u) => u.record!.diagnostics.filter((d) => d.ruleId === 'font/missing-glyph')));
  if (overBudget.length) {
    emit(overBudget);
    if (hasErrors(overBudget)) {
      io.stderr('Build stopped: over the media budget. Nothing was written.\n');
      return EXIT_CONTENT_ERRORS;
    }
  }
  emit(problems);
  if (hasErrors(problems)) {
    io.stderr('Build stopped: a package failed verification (a bug in hocso: please report it). Nothing was written.\n');
    return EXIT_CONTENT_ERRORS;
  }
  return EXIT_OK;
}

/** "6 of 6 lessons in vi", or "2 of 6 lessons in hmn (a, b), 1 in vi (c)" when only some fell back. */
function describeFallbacks(fallbacks: readonly { lesson: string; shownIn: string }[], total: number): string {
  const byLanguage = new Map<string, string[]>();
  for (const f of fallbacks) byLanguage.set(f.shownIn, [...(byLanguage.get(f.shownIn) ?? []), f.lesson]);
  const all = fallbacks.length === total && byLanguage.size === 1;
  return [...byLanguage]
    .map(([lang, lessons], i) => `${i === 0 ? `${lessons.length} of ${total} lessons` : lessons.length} in ${lang}${all ? '' : ` (${lessons.join(', ')})`}`)
    .join(', ');
}

/** --lang narrows the languages to build; a tag the project does not build is a usage mistake. */
function chosenLanguages(all: LanguageSetting[], wanted: readonly string[] | undefined): LanguageSetting[] {
  if (!wanted) return all;
  const unknown = wanted.filter((tag) => !all.some((l) => l.tag === tag));
  if (unknown.length) throw new UsageError(`the project does not build ${unknown.map((t) => `\`${t}\``).join(', ')}`, `Languages: ${all.map((l) => languageLabel(l.tag)).join(', ')} (see \`languages\` in hocso.config.yaml).`);
  return all.filter((l) => wanted.includes(l.tag));
}

interface Output {
  files?: FileTree;
  /** A package: verified with `hocso verify`'s checks before anything is written. */
  zip?: Buffer;
  /** A single-file bundle (EPUB, PDF): checked by its own renderer. */
  file?: Uint8Array;
}

/** Where a target writes a course in a language, relative to the output folder: a folder, or one file. */
export function outputPath(target: Target, courseId: string, lang: string): string {
  if (target === 'web' || target === 'audio' || target === 'text' || target === 'video') return `${target}/${courseId}/${lang}`;
  if (target === 'epub') return `epub/${courseId}.${lang}.epub`;
  if (target === 'print') return `print/${courseId}.${lang}.pdf`;
  return `${target}/${courseId}.${lang}.${target}.zip`;
}

async function renderOutput(target: Target, course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, config: ProjectConfig, options: BuildOptions, fontProblems: FontProblem[]): Promise<Output> {
  const iriBase = config.iriBase ?? DEFAULT_IRI_BASE;
  if (target === 'web') return { files: await renderWebBundle(course, lang, frameworks, undefined, fontProblems) };
  if (target === 'audio') return { files: renderAudioBundle(course, lang, { bundlePath: outputPath(target, course.id, lang), ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) }) };
  if (target === 'text') return { files: renderTextBundle(course, lang, frameworks) };
  if (target === 'epub') {
    const files = await renderEpubFiles(course, lang, frameworks, { fontProblems });
    return { files, file: await zipEpub(files) };
  }
  if (target === 'print') {
    const pdf = await renderPrintPdf(course, lang, frameworks, { fontProblems, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) });
    return { files: new Map([['handout.pdf', pdf]]), file: pdf };
  }
  if (target === 'video') return { files: await renderVideoBundle(course, lang) };
  if (target === 'cmi5' || target === 'xapi') {
    const files = await renderXapiPackage(course, lang, frameworks, iriBase, XAPI_PROFILES[target], fontProblems);
    return { files, zip: await zipFiles(files) };
  }
  const files = await renderScormPackage(course, lang, frameworks, { version: SCORM_VERSIONS[target], singleSco: Boolean(options.singleSco), fontProblems });
  return { files, zip: await zipFiles(files) };
}

/** The PDF's bytes depend on the Chromium that prints it: its path and version are part of a print unit's key. */
let printEngineMemo: string | undefined;
function printEngine(): string {
  if (printEngineMemo === undefined) {
    const found = findChromium();
    const version = found ? spawnSync(found.path, ['--version'], { encoding: 'utf8', timeout: 30_000 }).stdout?.trim() : '';
    printEngineMemo = `${found?.path ?? ''}\0${version ?? ''}`;
  }
  return printEngineMemo;
}

/** For `npm run bench`: peak memory of the whole process (worker threads included). */
function writeStats(lessons: number): void {
  const file = process.env.HOCSO_STATS_FILE;
  if (!file) return;
  writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, lessons, workers: workerCountFor(lessons) }));
}
