import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileProject } from '../compile/compile-project.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { Framework } from '../frameworks/framework.js';
import { languageLabel } from '../i18n/language-tag.js';
import { buildLanguages, languageChain, localizeCourse } from '../i18n/localize.js';
import { lessonsOf, type Course } from '../model/course.js';
import { writeDirAtomically, type FileTree } from '../output/atomic-dir.js';
import { writeFileAtomically } from '../output/atomic-file.js';
import { zipFiles } from '../output/zip.js';
import { renderScormPackage, scormPackageName, SCORM_VERSIONS } from '../targets/scorm/package.js';
import { verifyPackageZip } from '../verify/package.js';
import { DEFAULT_IRI_BASE } from '../targets/xapi/iris.js';
import { renderXapiPackage, XAPI_PROFILES, xapiPackageName } from '../targets/xapi/package.js';
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
import { requireChromium } from '../tools/chromium.js';
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

async function buildWith(io: Io, options: BuildOptions, report: (diagnostics: readonly Diagnostic[]) => void): Promise<number> {
  const started = performance.now();
  const targets = (options.target ?? []) as Target[];
  for (const target of targets) {
    if (!(TARGETS as readonly string[]).includes(target)) throw new UsageError(`unknown target \`${target}\``, `Targets: ${TARGETS.join(', ')}.`);
  }
  const opened = openProject(io.cwd, options.config);
  if (!opened.config || hasErrors(opened.diagnostics)) {
    report(opened.diagnostics);
    return EXIT_CONTENT_ERRORS;
  }
  const config = opened.config;
  const project = await compileProject(config, { ...(options.course ? { courseIds: options.course } : {}), onProgress: progress(io, 'Compiling lessons') });
  const diagnostics = [...opened.diagnostics, ...project.diagnostics];
  const chosen = targets.length ? targets : config.targets;
  // Fail before any media work when the print target cannot run at all.
  if (chosen.includes('print')) requireChromium();
  if (!config.iriBase && chosen.some((t) => t === 'cmi5' || t === 'xapi')) {
    diagnostics.push(diagnose('config/iri-base-missing', { file: displayPath(config.file, io.cwd) }, `no \`iriBase\` in the config: the xAPI activity ids use the placeholder ${DEFAULT_IRI_BASE}`));
  }
  if (options.course) {
    const missing = options.course.filter((id) => !project.courses.some((c) => c.id === id));
    if (missing.length && !hasErrors(diagnostics)) throw new UsageError(`no course with id ${missing.map((m) => `\`${m}\``).join(', ')} in ${displayPath(config.file, io.cwd)}`, 'Course ids are the `id` keys of each course.yaml.');
  }
  // What each course shows in each language built: the lessons narrated, the targets rendered.
  const plans = project.courses.flatMap((course) =>
    chosenLanguages(buildLanguages(config.languages, course), options.lang).map((setting) => ({ course, setting, localized: localizeCourse(course, languageChain(setting, course)) })),
  );
  // Media is decoded and encoded (or taken from the media cache) before rendering: an unreadable file is an error here.
  if (!hasErrors(diagnostics)) {
    diagnostics.push(...(await prepareMedia({
      courses: project.courses,
      shown: plans.map((p) => ({ course: p.course, lessons: lessonsOf(p.localized.course) })),
      ...(config.narration ? { narration: config.narration } : {}),
      projectRoot: config.root,
      slideVideos: chosen.includes('video'),
    }, progress(io, 'Media', { linesFrom: 1 }))));
  }
  report(diagnostics);
  if (hasErrors(diagnostics)) {
    io.stderr('Build stopped: fix the errors above. Nothing was written.\n');
    return EXIT_CONTENT_ERRORS;
  }

  const compiled = performance.now();
  const outDir = options.out ? path.resolve(io.cwd, options.out) : config.outputDir;
  // Everything is rendered and every package verified before the first write: a failure writes nothing.
  const outputs: Output[] = [];
  const fallbackNotes: string[] = [];
  const fontProblems: FontProblem[] = [];
  const overBudget: Diagnostic[] = [];
  for (const { course, setting, localized } of plans) {
    if (localized.fallbacks.length) fallbackNotes.push(`  ${course.id} in ${languageLabel(setting.tag)}: ${describeFallbacks(localized.fallbacks, lessonsOf(course).length)}\n`);
    for (const [i, target] of chosen.entries()) {
      const output = await renderOutput(target, localized.course, setting.tag, project.frameworks, outDir, config, options, fontProblems);
      outputs.push(output);
      const budgets = i === 0 ? config.media : config.media && { ...(config.media.maxPackageBytes !== undefined ? { maxPackageBytes: config.media.maxPackageBytes } : {}) };
      overBudget.push(...checkBudgets(output.files!, localized.course, budgets, { name: displayPath(output.path, io.cwd), ...(output.zip ?? output.file ? { zipBytes: (output.zip ?? output.file)!.length } : {}), at: { file: displayPath(config.file, io.cwd) } }));
    }
  }
  const glyphs = new Map(fontProblems.map((p) => [`${p.file}:${p.line}:${p.column}:${p.codePoint}`, diagnose('font/missing-glyph', p, p.message)]));
  if (glyphs.size) report([...glyphs.values()]);
  if (overBudget.length) {
    report(overBudget);
    io.stderr('Build stopped: over the media budget. Nothing was written.\n');
    return EXIT_CONTENT_ERRORS;
  }
  const problems = (await Promise.all(outputs.map((o) => (o.zip ? verifyPackageZip(o.zip, displayPath(o.path, io.cwd)) : [])))).flat();
  if (problems.length) report(problems);
  if (hasErrors(problems)) {
    io.stderr('Build stopped: a package failed verification (a bug in hocso: please report it). Nothing was written.\n');
    return EXIT_CONTENT_ERRORS;
  }
  for (const output of outputs) {
    if (output.zip ?? output.file) writeFileAtomically(output.path, (output.zip ?? output.file)!);
    else await writeDirAtomically(output.path, output.files!);
  }
  const written = outputs.map((o) => (o.zip ?? o.file ? o.path : o.files!.has('index.html') ? path.join(o.path, 'index.html') : `${o.path}${path.sep}`));
  if (fallbackNotes.length) io.stderr(`Fallbacks (no variant in that language yet):\n${fallbackNotes.join('')}`);
  const lessons = project.courses.reduce((n, c) => n + lessonsOf(c).length, 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stderr(`Built ${project.courses.length} course${project.courses.length === 1 ? '' : 's'} (${lessons} lesson${lessons === 1 ? '' : 's'}) in ${seconds} s:\n`);
  for (const file of written) io.stderr(`  ${displayPath(file, io.cwd)}\n`);
  writeStats(lessons);
  if (process.env.HOCSO_TIMING) {
    io.stderr(`media: ${mediaStats.images} images, ${mediaStats.encoded} encoded, ${mediaStats.cacheHits} from cache, ${mediaStats.encodeMs.toFixed(0)} ms encoding\n`);
    io.stderr(`audio: ${audioStats.clips} clips, ${audioStats.encoded} encoded, ${audioStats.cacheHits} from cache; video: ${videoStats.videos} videos, ${videoStats.encoded} encoded, ${videoStats.cacheHits} from cache; slide videos: ${slideVideoStats.rendered} rendered, ${slideVideoStats.cacheHits} from cache\n`);
    io.stderr(`speech: ${speechStats.lessons} lessons, ${speechStats.synthesized} synthesized, ${speechStats.cacheHits} from cache, ${speechStats.audioSeconds.toFixed(0)} s of audio in ${speechStats.synthMs.toFixed(0)} ms\n`);
  }
  if (process.env.HOCSO_TIMING) io.stderr(`timing: compile ${(compiled - started).toFixed(0)} ms, render+write ${(performance.now() - compiled).toFixed(0)} ms\n`);
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
  /** The folder (web) or zip file (packages) to write. */
  path: string;
  files?: FileTree;
  /** A package: verified with `hocso verify`'s checks before anything is written. */
  zip?: Buffer;
  /** A single-file bundle (EPUB, PDF): checked by its own renderer. */
  file?: Uint8Array;
}

async function renderOutput(target: Target, course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, outDir: string, config: ProjectConfig, options: BuildOptions, fontProblems: FontProblem[]): Promise<Output> {
  const iriBase = config.iriBase ?? DEFAULT_IRI_BASE;
  if (target === 'web') return { path: path.join(outDir, target, course.id, lang), files: await renderWebBundle(course, lang, frameworks, undefined, fontProblems) };
  if (target === 'audio') {
    const bundlePath = `${target}/${course.id}/${lang}`;
    return { path: path.join(outDir, target, course.id, lang), files: renderAudioBundle(course, lang, { bundlePath, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) }) };
  }
  if (target === 'text') return { path: path.join(outDir, target, course.id, lang), files: renderTextBundle(course, lang, frameworks) };
  if (target === 'epub') {
    const files = await renderEpubFiles(course, lang, frameworks, { fontProblems });
    return { path: path.join(outDir, target, `${course.id}.${lang}.epub`), files, file: await zipEpub(files) };
  }
  if (target === 'print') {
    const pdf = await renderPrintPdf(course, lang, frameworks, { fontProblems, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) });
    return { path: path.join(outDir, target, `${course.id}.${lang}.pdf`), files: new Map([['handout.pdf', pdf]]), file: pdf };
  }
  if (target === 'video') return { path: path.join(outDir, target, course.id, lang), files: await renderVideoBundle(course, lang) };
  if (target === 'cmi5' || target === 'xapi') {
    const files = await renderXapiPackage(course, lang, frameworks, iriBase, XAPI_PROFILES[target], fontProblems);
    return { path: path.join(outDir, target, xapiPackageName(course, lang, target)), files, zip: await zipFiles(files) };
  }
  const files = await renderScormPackage(course, lang, frameworks, { version: SCORM_VERSIONS[target], singleSco: Boolean(options.singleSco), fontProblems });
  return { path: path.join(outDir, target, scormPackageName(course, lang, target)), files, zip: await zipFiles(files) };
}

/** For `npm run bench`: peak memory of the whole process (worker threads included). */
function writeStats(lessons: number): void {
  const file = process.env.HOCSO_STATS_FILE;
  if (!file) return;
  writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, lessons, workers: workerCountFor(lessons) }));
}
