import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT_CONTENT_ERRORS, EXIT_OK, openProject, printDiagnostics, type Io } from '../cli/context.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { languageLabel } from '../i18n/language-tag.js';
import { writeFileAtomically } from '../output/atomic-file.js';
import { displayPath, PACKAGE_ROOT } from '../paths.js';
import { UsageError, type ProjectConfig } from '../project/config.js';
import { extractCourse } from '../translate/extract.js';
import { ImportFormatError } from '../translate/imported.js';
import { ImportRefused, importTranslations } from '../translate/import.js';
import { toPo } from '../translate/po.js';
import { loadCourses, targetLanguage } from '../translate/project.js';
import { formatStatusTable, projectStatus } from '../translate/status.js';
import { toXliff } from '../translate/xliff.js';

export const TRANSLATE_FORMATS = ['xliff', 'po'] as const;
export const STATUS_FORMATS = ['table', 'json'] as const;

function projectConfig(io: Io, explicit: string | undefined): ProjectConfig {
  const opened = openProject(io.cwd, explicit);
  if (!opened.config || hasErrors(opened.diagnostics)) {
    printDiagnostics(io, opened.diagnostics);
    throw new UsageError('the project config has errors', 'Run `hocso validate` and fix them first.');
  }
  return opened.config;
}

function generator(): string {
  try {
    return `hocso ${(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;
  } catch {
    return 'hocso';
  }
}

export interface ExtractOptions {
  lang?: string;
  format?: string;
  out?: string;
  course?: string[];
  config?: string;
}

/** `hocso translate extract --lang L [--format xliff|po] [--out FILE] [--course ID]` */
export function translateExtract(io: Io, options: ExtractOptions): number {
  const format = (options.format ?? 'xliff') as (typeof TRANSLATE_FORMATS)[number];
  if (!TRANSLATE_FORMATS.includes(format)) throw new UsageError(`unknown format \`${options.format}\``, 'Formats: xliff (XLIFF 2.1), po (GNU gettext).');
  const config = projectConfig(io, options.config);
  const courses = loadCourses(config, options.course);
  if (courses.length > 1) throw new UsageError('this project has several courses: extract one per file', `Add --course with one of: ${courses.map((c) => c.source.id).join(', ')}.`);
  const course = courses[0];
  if (!course) throw new UsageError('the project has no course to translate');
  const lang = targetLanguage(config, options.lang, course.source);
  const extraction = extractCourse(config, course, lang);
  const text = format === 'po' ? toPo(extraction, generator()) : toXliff(extraction);
  const units = extraction.groups.flatMap((g) => g.units);
  const summary = `${units.length} segments of ${course.source.id} for ${languageLabel(lang)}: ${units.filter((u) => u.state === 'translated').length} translated, ${units.filter((u) => u.state === 'stale').length} stale, ${units.filter((u) => u.state === 'new').length} to translate`;
  if (options.out) {
    const file = path.resolve(io.cwd, options.out);
    writeFileAtomically(file, text);
    io.stderr(`Wrote ${displayPath(file, io.cwd)}: ${summary}.\n`);
  } else {
    io.stdout(text);
    io.stderr(`${summary}.\n`);
  }
  return EXIT_OK;
}

export interface ImportCommandOptions {
  force?: boolean;
  dryRun?: boolean;
  config?: string;
}

/** `hocso translate import FILE [--force] [--dry-run]` */
export function translateImport(io: Io, file: string, options: ImportCommandOptions): number {
  const config = projectConfig(io, options.config);
  const absolute = path.resolve(io.cwd, file);
  try {
    const report = importTranslations(config, absolute, { warn: (message) => io.stderr(`warning: ${message}\n`), ...(options.force ? { force: true } : {}), ...(options.dryRun ? { dryRun: true } : {}) });
    const lines: string[] = [];
    for (const r of report.rebuilt) lines.push(`${r.file} no longer had the same paragraphs, list items and quizzes as its source: rewritten from the source with its translations carried over; the previous file is kept as ${r.previous}.`);
    for (const id of report.forcedStale) lines.push(`warning: \`${id}\` was translated from an older source text; imported anyway (--force) and marked stale.`);
    for (const c of report.conflicts) {
      lines.push(`conflict: \`${c.id}\` changed in ${c.file}:${c.line} since the file was extracted; kept it${c.keptIn ? `, and wrote the incoming translation to ${c.keptIn}` : ''}.`);
      lines.push(`    incoming: ${c.incoming}`);
    }
    for (const t of report.tooLong) lines.push(`warning: ${displayPath(absolute, io.cwd)}:${t.line}: \`${t.id}\` is ${t.length} characters; targets keep ${t.max} (SCORM 2004 cuts longer quiz texts, LMSs longer titles).`);
    if (report.unknown.length) lines.push(`${report.unknown.length} segment${report.unknown.length === 1 ? '' : 's'} of the file are not in the source any more (ignored): ${report.unknown.slice(0, 5).join(', ')}${report.unknown.length > 5 ? ', …' : ''}.`);
    const verb = options.dryRun ? 'Would import' : 'Imported';
    lines.push(`${verb} ${report.updated} segment${report.updated === 1 ? '' : 's'} into ${languageLabel(report.lang)}${report.confirmed ? `, confirmed ${report.confirmed}` : ''}; ${report.skipped} left as they were${report.fuzzy ? ` (${report.fuzzy} fuzzy)` : ''}${report.conflicts.length ? `; ${report.conflicts.length} conflict${report.conflicts.length === 1 ? '' : 's'}` : ''}.`);
    if (report.written.length) lines.push(`Wrote ${report.written.join(', ')}.`);
    if (report.conflicts.length) lines.push('  hint: compare each NAME.LANG.md with its NAME.LANG.conflict.md, keep the text you want in NAME.LANG.md, then delete the .conflict.md file.');
    io.stderr(lines.join('\n') + '\n');
    return report.conflicts.length ? EXIT_CONTENT_ERRORS : EXIT_OK;
  } catch (error) {
    if (error instanceof ImportFormatError) {
      io.stderr(`${displayPath(error.file, io.cwd)}:${error.line}  error  ${error.message}\n${error.hint ? `    hint: ${error.hint}\n` : ''}`);
      return EXIT_CONTENT_ERRORS;
    }
    if (error instanceof ImportRefused) {
      for (const p of error.problems) io.stderr(`${p.file}:${p.line}  error  ${p.message}\n`);
      io.stderr(`error: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      return EXIT_CONTENT_ERRORS;
    }
    throw error;
  }
}

export interface StatusOptions {
  lang?: string;
  format?: string;
  course?: string[];
  config?: string;
}

/** `hocso translate status [--lang L] [--format table|json]` */
export function translateStatus(io: Io, options: StatusOptions): number {
  const format = (options.format ?? 'table') as (typeof STATUS_FORMATS)[number];
  if (!STATUS_FORMATS.includes(format)) throw new UsageError(`unknown format \`${options.format}\``, `Formats: ${STATUS_FORMATS.join(', ')}.`);
  const config = projectConfig(io, options.config);
  if (options.lang) targetLanguage(config, options.lang);
  const status = projectStatus(config, options.lang, options.course);
  if (format === 'json') {
    io.stdout(JSON.stringify({ languages: status.map((s) => ({ ...s, percent: s.total ? Math.floor((s.translated / s.total) * 100) : 100, lessons: s.lessons.map(({ staleUnits, ...l }) => ({ ...l, percent: l.total ? Math.floor((l.translated / l.total) * 100) : 100, stale: l.stale, staleSegments: staleUnits })) })) }, null, 2) + '\n');
  } else if (status.length === 0) {
    io.stderr(`No language to translate into: add languages besides the source to \`languages:\` in ${path.basename(config.file)}.\n`);
  } else {
    io.stdout(formatStatusTable(status));
  }
  return EXIT_OK;
}


