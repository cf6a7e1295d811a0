import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../paths.js';
import { UsageError, type ProjectConfig } from '../project/config.js';
import { normalizeSourceText } from '../source/text-file.js';
import { writeFileAtomically } from '../output/atomic-file.js';
import { align } from './align.js';
import { ImportFormatError, resolveTarget, taggedNodes, taggedText, type ImportedFile, type ImportedUnit } from './imported.js';
import { plainText } from './inline.js';
import { parsePo } from './po.js';
import { courseSegmentsAllowed, loadCourses, loadVariant, recordedHashes, targetLanguage, translatedCourseTexts, variantFile, type TranslatableCourse } from './project.js';
import { partsHash, preview, type Unit } from './segment.js';
import { parseXliff } from './xliff.js';
import { writeVariant, type UnitText } from './write.js';
import { editYaml } from './yaml-edit.js';

// `hocso translate import FILE`: every translated unit of the file goes into its variant (NAME.LANG.md) or into
// course.yaml `translations.LANG`. Nothing is written unless the whole file is sound.

/** Files larger than this are refused before parsing (a lesson course's translations are far smaller). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

export interface ImportOptions {
  /** Import even units whose source changed since extraction (they are recorded as stale). */
  force?: boolean;
  /** Check everything, write nothing. */
  dryRun?: boolean;
}

export interface ImportProblem {
  file: string;
  line: number;
  message: string;
}

export interface Conflict {
  id: string;
  /** Where the variant's own (kept) text is. */
  file: string;
  line: number;
  /** Where the incoming text went. */
  keptIn?: string;
  incoming: string;
}

export interface ImportReport {
  lang: string;
  course: string;
  written: string[];
  /** Units whose translation was written (new or changed). */
  updated: number;
  /** Units confirmed without a change of text (their source hash was refreshed). */
  confirmed: number;
  /** Units left out: no translation, fuzzy, or unchanged. */
  skipped: number;
  fuzzy: number;
  conflicts: Conflict[];
  /** Units imported although their source changed (with --force): stale at once. */
  forcedStale: string[];
  /** Variants rebuilt from their source because its units changed; the previous file is kept beside. */
  rebuilt: { file: string; previous: string }[];
  /** Ids of the file that the source no longer has (with --force: ignored). */
  unknown: string[];
  /** Translations longer than a target keeps (SCORM 2004 interactions: 250 characters). */
  tooLong: { id: string; line: number; length: number; max: number }[];
}

export class ImportRefused extends Error {
  constructor(message: string, readonly problems: ImportProblem[], readonly hint?: string) {
    super(message);
  }
}

export function readImportFile(file: string): ImportedFile {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no such file: ${file}`);
  const size = statSync(file).size;
  if (size > MAX_IMPORT_BYTES) throw new ImportFormatError(file, 1, `the file is ${Math.round(size / 1048576)} MiB; hocso imports at most ${MAX_IMPORT_BYTES / 1048576} MiB`, 'Extract one course (--course) per file.');
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportFormatError(file, 1, 'the file is not UTF-8 text', 'Save it as UTF-8 (XLIFF and PO files from hocso are).');
  }
  text = normalizeSourceText(text);
  const ext = path.extname(file).toLowerCase();
  const looksXml = /^\s*</.test(text);
  if (ext === '.po' || ext === '.pot' || (!looksXml && ext !== '.xlf' && ext !== '.xliff')) return parsePo(text, file);
  return parseXliff(text, file);
}

interface Located {
  course: TranslatableCourse;
  /** The lesson's index in course.lessons, or -1 for the course texts. */
  lesson: number;
  unit: Unit;
}

export function importTranslations(config: ProjectConfig, file: string, options: ImportOptions = {}): ImportReport {
  const imported = readImportFile(file);
  const shownFile = displayPath(path.resolve(file), config.root);
  const courses = loadCourses(config);
  const course = imported.course ? courses.find((c) => c.source.id === imported.course) : courses.length === 1 ? courses[0] : undefined;
  if (!course) {
    throw new UsageError(imported.course ? `the file is for course \`${imported.course}\`, which this project does not have` : 'the file does not say which course it is for, and the project has several', `Courses: ${courses.map((c) => c.source.id).join(', ')}.`);
  }
  const lang = targetLanguage(config, imported.trgLang, course.source);
  if (imported.srcLang && imported.srcLang !== course.source.language) {
    throw new UsageError(`the file translates from \`${imported.srcLang}\`, course \`${course.source.id}\` is written in \`${course.source.language}\``, 'Extract again from this project.');
  }

  // Where each id of the file is now.
  const index = new Map<string, Located>();
  for (const unit of course.texts.units) index.set(unit.id, { course, lesson: -1, unit });
  course.lessons.forEach((lesson, i) => {
    for (const unit of lesson.segmented.units) index.set(`${lesson.id}/${unit.id}`, { course, lesson: i, unit });
  });

  const report: ImportReport = { lang, course: course.source.id, written: [], updated: 0, confirmed: 0, skipped: 0, fuzzy: 0, conflicts: [], forcedStale: [], rebuilt: [], unknown: [], tooLong: [] };
  const problems: ImportProblem[] = [];
  const versionProblems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  const accepted: { located: Located; incoming: ImportedUnit; parts: ReturnType<typeof resolveTarget>['parts'] & object; recorded: string }[] = [];

  for (const u of imported.units) {
    const first = seen.get(u.id);
    if (first !== undefined) {
      problems.push({ file: shownFile, line: u.line, message: `segment \`${u.id}\` is in the file twice (first at line ${first})` });
      continue;
    }
    seen.set(u.id, u.line);
    const located = index.get(u.id);
    if (!located) {
      report.unknown.push(u.id);
      if (u.target?.length) versionProblems.push({ file: shownFile, line: u.line, message: `segment \`${u.id}\` is not in the source any more` });
      continue;
    }
    const currentHash = partsHash(located.unit.parts);
    const sameSource = u.hashesKnown ? u.sourceHash === currentHash : taggedNodes(u.source) === taggedText(located.unit.parts);
    if (!u.target || u.target.length === 0 || (u.target.length === 1 && u.target[0]!.t === 'text' && u.target[0]!.text.trim() === '')) {
      report.skipped++;
      continue;
    }
    if (u.fuzzy) {
      report.fuzzy++;
      report.skipped++;
      continue;
    }
    const resolved = resolveTarget(u.target, located.unit.parts, u.line);
    if (!resolved.parts) {
      for (const p of resolved.problems) problems.push({ file: shownFile, line: p.line, message: `segment \`${u.id}\`: ${p.message}` });
      continue;
    }
    const length = [...plainText(resolved.parts)].length;
    if (located.unit.maxLength && length > located.unit.maxLength) report.tooLong.push({ id: u.id, line: u.line, length, max: located.unit.maxLength });
    if (!sameSource) {
      versionProblems.push({ file: shownFile, line: u.line, message: `segment \`${u.id}\`: the source text changed since this file was extracted (now: "${preview(located.unit.parts)}")` });
      if (!options.force) continue;
      report.forcedStale.push(u.id);
    }
    accepted.push({ located, incoming: u, parts: resolved.parts, recorded: u.sourceHash ?? (sameSource ? currentHash : partsHash([{ kind: 'text', text: taggedNodes(u.source) }])) });
  }
  if (problems.length) throw new ImportRefused(`${shownFile} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written`, problems, 'Fix the translation at the lines shown: each numbered code of the source must stay, once.');
  if (versionProblems.length && !options.force) {
    throw new ImportRefused(`${shownFile} was extracted from another version of the source (${versionProblems.length} segment${versionProblems.length === 1 ? '' : 's'} changed since); nothing was written`, versionProblems, 'Extract again and carry the translations over (hocso pre-fills them), or import anyway with --force: those segments are then marked stale.');
  }

  // Per lesson (and the course texts): the new text of every unit, conflicts kept apart.
  const byLesson = new Map<number, typeof accepted>();
  for (const a of accepted) byLesson.set(a.located.lesson, [...(byLesson.get(a.located.lesson) ?? []), a]);
  const writes: { file: string; text: string }[] = [];

  for (const [lessonIndex, items] of byLesson) {
    if (lessonIndex === -1) {
      const courseWrite = courseTextsWrite(course, lang, items, report);
      if (courseWrite) writes.push(courseWrite);
      continue;
    }
    const lesson = course.lessons[lessonIndex]!;
    const variant = loadVariant(lesson, lang, config.root);
    const alignment = align(lesson.segmented.units, variant?.segmented.units, recordedHashes(variant));
    const texts = new Map<string, UnitText>();
    for (const a of alignment.units) {
      if (a.target) texts.set(a.unit.id, { parts: a.target.parts, ...(a.recorded ? { recorded: a.recorded } : {}) });
    }
    const theirs = new Map<string, UnitText>();
    let changed = false;
    for (const item of items) {
      const id = item.located.unit.id;
      const current = alignment.units.find((x) => x.unit.id === id)!;
      const currentHash = current.target ? partsHash(current.target.parts) : undefined;
      const incomingHash = partsHash(item.parts);
      const extracted = item.incoming.targetHash;
      if (incomingHash === currentHash) {
        // The same text: confirmed by the translator, its source hash is brought up to date.
        if (item.incoming.confirmed && current.recorded !== item.recorded) {
          texts.set(id, { parts: current.target!.parts, recorded: item.recorded });
          report.confirmed++;
          changed = true;
        } else report.skipped++;
        continue;
      }
      if (incomingHash === extracted && item.incoming.hashesKnown) {
        // Untouched pre-filled text, while the variant moved on: the variant's is newer.
        report.skipped++;
        continue;
      }
      const variantUnchanged = item.incoming.hashesKnown ? currentHash === extracted : currentHash === undefined;
      if (!variantUnchanged) {
        theirs.set(id, { parts: item.parts, recorded: item.recorded });
        report.conflicts.push({ id: item.incoming.id, file: variant?.shown ?? lesson.shown, line: current.target?.line ?? current.unit.line, incoming: plainText(item.parts) });
        continue;
      }
      texts.set(id, { parts: item.parts, recorded: item.recorded });
      report.updated++;
      changed = true;
    }
    const target = variantFile(lesson.file, lang);
    if (changed) {
      if (variant && !alignment.sameStructure) {
        const previous = target.replace(/\.md$/, '.previous.md');
        writes.push({ file: previous, text: variant.segmented.text });
        report.rebuilt.push({ file: variant.shown, previous: displayPath(previous, config.root) });
      }
      writes.push({ file: target, text: writeVariant({ source: lesson.segmented, ...(variant ? { variant: variant.segmented } : {}), sameStructure: alignment.sameStructure, texts, from: course.source.language }) });
    }
    if (theirs.size) {
      const conflictFile = target.replace(/\.md$/, '.conflict.md');
      const merged = new Map(texts);
      for (const [id, t] of theirs) merged.set(id, t);
      writes.push({ file: conflictFile, text: writeVariant({ source: lesson.segmented, ...(variant ? { variant: variant.segmented } : {}), sameStructure: alignment.sameStructure, texts: merged, from: course.source.language }) });
      const shownConflict = displayPath(conflictFile, config.root);
      for (const c of report.conflicts) if (theirs.has(c.id.slice(lesson.id.length + 1)) && c.id.startsWith(`${lesson.id}/`)) c.keptIn = shownConflict;
    }
  }

  if (!options.dryRun) {
    for (const w of writes) {
      writeFileAtomically(w.file, w.text);
      report.written.push(displayPath(w.file, config.root));
    }
  }
  return report;
}

/** course.yaml `translations.LANG`: title, description, module titles and descriptions (and their hashes). */
function courseTextsWrite(course: TranslatableCourse, lang: string, items: { located: Located; incoming: ImportedUnit; parts: NonNullable<ReturnType<typeof resolveTarget>['parts']>; recorded: string }[], report: ImportReport): { file: string; text: string } | undefined {
  const existing = translatedCourseTexts(course, lang);
  const alignment = align(course.texts.units, existing.units, existing.recorded);
  const sets: { path: (string | number)[]; value: string }[] = [];
  const segments: Record<string, string> = { ...existing.recorded };
  for (const item of items) {
    const id = item.located.unit.id;
    const current = alignment.units.find((x) => x.unit.id === id)!;
    const currentHash = current.target ? partsHash(current.target.parts) : undefined;
    const incomingHash = partsHash(item.parts);
    if (incomingHash === currentHash) {
      if (item.incoming.confirmed && current.recorded !== item.recorded) { segments[id] = item.recorded; report.confirmed++; } else report.skipped++;
      continue;
    }
    if (incomingHash === item.incoming.targetHash && item.incoming.hashesKnown) { report.skipped++; continue; }
    const variantUnchanged = item.incoming.hashesKnown ? currentHash === item.incoming.targetHash : currentHash === undefined;
    if (!variantUnchanged) {
      report.conflicts.push({ id, file: course.texts.shown, line: current.target?.line ?? current.unit.line, incoming: plainText(item.parts) });
      continue;
    }
    const [, , ...rest] = id.split('/');
    const keyPath = id === 'course/title' ? ['title'] : id === 'course/description' ? ['description'] : ['modules', rest[0]!, rest[1]!];
    sets.push({ path: ['translations', lang, ...keyPath], value: plainText(item.parts) });
    segments[id] = item.recorded;
    report.updated++;
  }
  if (!sets.length && JSON.stringify(segments) === JSON.stringify(existing.recorded)) return undefined;
  const text = readFileSync(course.texts.file, 'utf8');
  const updated = editYaml(text, (doc) => {
    for (const s of sets) doc.setIn(s.path, s.value);
    if (courseSegmentsAllowed() && Object.keys(segments).length) doc.setIn(['translations', lang, 'segments'], doc.createNode(segments));
  });
  return { file: course.texts.file, text: updated };
}
