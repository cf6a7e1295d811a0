import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../paths.js';
import { UsageError, type ProjectConfig } from '../project/config.js';
import { findSourceFile, normalizeSourceText } from '../source/text-file.js';
import { writeFileAtomically } from '../output/atomic-file.js';
import { parseWebVtt } from '../media/webvtt.js';
import { align, type AlignedUnit } from './align.js';
import { alignCues, pointCaptions, readCaptions, translatedCaptionsFile, translatedCaptionsHref, writeCaptions, type CaptionsPointer, type CaptionTrack } from './captions.js';
import { ImportFormatError, resolveTarget, taggedNodes, taggedText, type ImportedFile, type ImportedUnit } from './imported.js';
import { plainText, type Part } from './inline.js';
import { parsePo } from './po.js';
import { captionsState, courseSegmentsAllowed, loadCourses, loadVariant, recordedHashes, targetLanguage, translatedCourseTexts, variantFile, type LoadedVariant, type SourceLesson, type TranslatableCourse } from './project.js';
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
  /**
   * Where warnings go once the import is done (each is also in `report.warnings`): by default standard error, as
   * `warning: …` lines.
   */
  warn?: (message: string) => void;
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
  /** Anything else import left for a person to check (captions a variant does not use, a file replaced …). */
  warnings: string[];
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
  /** A caption cue: the index of its track in the lesson's `captions`. */
  track?: number;
}

interface Accepted {
  located: Located;
  incoming: ImportedUnit;
  parts: Part[];
  recorded: string;
}

type Decision = 'confirmed' | 'skipped' | 'conflict' | 'updated';

/** What becomes of an incoming translation, given the variant's current text for the unit. */
function decide(item: Accepted, current: AlignedUnit): Decision {
  const currentHash = current.target ? partsHash(current.target.parts) : undefined;
  const incomingHash = partsHash(item.parts);
  if (incomingHash === currentHash) {
    // The same text: confirmed by the translator, its source hash is brought up to date (a retimed cue rewritten).
    return item.incoming.confirmed && (current.recorded !== item.recorded || current.retimed !== undefined) ? 'confirmed' : 'skipped';
  }
  // Untouched pre-filled text, while the variant moved on: the variant's is newer.
  if (incomingHash === item.incoming.targetHash && item.incoming.hashesKnown) return 'skipped';
  const variantUnchanged = item.incoming.hashesKnown ? currentHash === item.incoming.targetHash : currentHash === undefined;
  return variantUnchanged ? 'updated' : 'conflict';
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
  // Captions files with errors: their cues are not in the index; a translation for one is refused with their lines.
  const brokenTracks: { prefix: string; track: CaptionTrack }[] = [];
  course.lessons.forEach((lesson, i) => {
    for (const unit of lesson.segmented.units) index.set(`${lesson.id}/${unit.id}`, { course, lesson: i, unit });
    lesson.captions.forEach((track, k) => {
      if (track.source.problems.length) brokenTracks.push({ prefix: `${lesson.id}/${track.prefix}/`, track });
      for (const unit of track.source.units) index.set(`${lesson.id}/${unit.id}`, { course, lesson: i, unit, track: k });
    });
  });

  const report: ImportReport = { lang, course: course.source.id, written: [], updated: 0, confirmed: 0, skipped: 0, fuzzy: 0, conflicts: [], forcedStale: [], rebuilt: [], unknown: [], tooLong: [], warnings: [] };
  const problems: ImportProblem[] = [];
  const versionProblems: ImportProblem[] = [];
  const captionsProblems = new Map<string, ImportProblem>();
  const seen = new Map<string, number>();
  const accepted: Accepted[] = [];

  for (const u of imported.units) {
    const first = seen.get(u.id);
    if (first !== undefined) {
      problems.push({ file: shownFile, line: u.line, message: `segment \`${u.id}\` is in the file twice (first at line ${first})` });
      continue;
    }
    seen.set(u.id, u.line);
    const located = index.get(u.id);
    const broken = located ? undefined : brokenTracks.find((b) => u.id.startsWith(b.prefix));
    if (broken) {
      if (hasTarget(u)) for (const d of broken.track.source.problems) captionsProblems.set(`${d.file}:${d.line}:${d.message}`, { file: d.file, line: d.line, message: d.message });
      else report.skipped++;
      continue;
    }
    if (!located) {
      report.unknown.push(u.id);
      if (u.target?.length) versionProblems.push({ file: shownFile, line: u.line, message: `segment \`${u.id}\` is not in the source any more` });
      continue;
    }
    const currentHash = partsHash(located.unit.parts);
    const sameSource = u.hashesKnown ? u.sourceHash === currentHash : taggedNodes(u.source) === taggedText(located.unit.parts);
    if (!hasTarget(u) || !u.target) {
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
  if (captionsProblems.size) throw captionsRefused(captionsProblems.values());
  if (problems.length) throw new ImportRefused(`${shownFile} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written`, problems, 'Fix the translation at the lines shown: each numbered code of the source must stay, once.');
  if (versionProblems.length && !options.force) {
    throw new ImportRefused(`${shownFile} was extracted from another version of the source (${versionProblems.length} segment${versionProblems.length === 1 ? '' : 's'} changed since); nothing was written`, versionProblems, 'Extract again and carry the translations over (hocso pre-fills them), or import anyway with --force: those segments are then marked stale.');
  }

  // Per lesson (and the course texts): the new text of every unit, conflicts kept apart.
  const byLesson = new Map<number, Accepted[]>();
  for (const a of accepted) byLesson.set(a.located.lesson, [...(byLesson.get(a.located.lesson) ?? []), a]);
  const writes: { file: string; text: string }[] = [];
  const warnings: string[] = [];
  const addWrite = (file: string, text: string): void => {
    const earlier = writes.find((w) => w.file === file);
    if (!earlier) writes.push({ file, text });
    else if (earlier.text !== text) {
      warnings.push(`${displayPath(file, config.root)} is used by several lessons, whose translations of it differ: the last one was written; check it.`);
      earlier.text = text;
    }
  };

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
      if (item.located.track !== undefined) continue;
      const id = item.located.unit.id;
      const current = alignment.units.find((x) => x.unit.id === id)!;
      switch (decide(item, current)) {
        case 'confirmed':
          texts.set(id, { parts: current.target!.parts, recorded: item.recorded });
          report.confirmed++;
          changed = true;
          break;
        case 'skipped':
          report.skipped++;
          break;
        case 'conflict':
          theirs.set(id, { parts: item.parts, recorded: item.recorded });
          report.conflicts.push({ id: item.incoming.id, file: variant?.shown ?? lesson.shown, line: current.target?.line ?? current.unit.line, incoming: plainText(item.parts) });
          break;
        case 'updated':
          texts.set(id, { parts: item.parts, recorded: item.recorded });
          report.updated++;
          changed = true;
          break;
      }
    }
    const captions = importCaptions(config, lesson, variant, lang, items.filter((i) => i.located.track !== undefined), report, warnings, addWrite);
    changed ||= captions.changed;
    const target = variantFile(lesson.file, lang);
    const pointed = (text: string, warn: boolean): string => {
      const result = pointCaptions(text, target, lesson.segmented, captions.pointers, lang);
      if (warn) {
        for (const u of result.unpointed) {
          const where = displayPath(target, config.root);
          warnings.push(u.line
            ? `${where}:${u.line}: this directive has no captions attribute: add captions="${translatedCaptionsHref(u.track, lang)}" to show the translated captions.`
            : `${where} has no ::audio or ::video using ${u.track.href} any more: point its captions at ${translatedCaptionsHref(u.track, lang)} by hand.`);
        }
      }
      return result.text;
    };
    const write = (merged: ReadonlyMap<string, UnitText>): string => writeVariant({ source: lesson.segmented, ...(variant ? { variant: variant.segmented } : {}), sameStructure: alignment.sameStructure, texts: merged, from: course.source.language, extraSegments: captions.segments });
    if (changed) {
      if (variant && !alignment.sameStructure) {
        const previous = target.replace(/\.md$/, '.previous.md');
        writes.push({ file: previous, text: variant.segmented.text });
        report.rebuilt.push({ file: variant.shown, previous: displayPath(previous, config.root) });
      }
      writes.push({ file: target, text: pointed(write(texts), true) });
    }
    if (theirs.size) {
      const conflictFile = target.replace(/\.md$/, '.conflict.md');
      const merged = new Map(texts);
      for (const [id, t] of theirs) merged.set(id, t);
      writes.push({ file: conflictFile, text: pointed(write(merged), false) });
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
  report.warnings = warnings;
  const warn = options.warn ?? ((message: string): void => void process.stderr.write(`warning: ${message}\n`));
  for (const w of warnings) warn(w);
  return report;
}

function hasTarget(u: ImportedUnit): boolean {
  return Boolean(u.target && u.target.length > 0 && !(u.target.length === 1 && u.target[0]!.t === 'text' && u.target[0]!.text.trim() === ''));
}

function captionsRefused(problems: Iterable<ImportProblem>): ImportRefused {
  const list = [...problems];
  const files = new Set(list.map((p) => p.file));
  return new ImportRefused(`${files.size === 1 ? `the captions file ${[...files][0]} has errors` : `${files.size} captions files have errors`}, and the file translates its cues; nothing was written`, list, 'Fix the captions at the lines shown (`hocso validate` reports them too), then import again.');
}

/**
 * The cue translations of one lesson: each captions track whose cues changed is written to STEM.LANG.vtt (the
 * source file with the cues' texts replaced), conflicting cues to STEM.LANG.conflict.vtt. Returns the cues' source
 * hashes for the variant's `translation.segments`, where the variant's directives should point, and whether the
 * variant must be written.
 */
function importCaptions(config: ProjectConfig, lesson: SourceLesson, variant: LoadedVariant | undefined, lang: string, items: readonly Accepted[], report: ImportReport, warnings: string[], addWrite: (file: string, text: string) => void): { segments: Record<string, string>; pointers: CaptionsPointer[]; changed: boolean } {
  const segments: Record<string, string> = {};
  const pointers: CaptionsPointer[] = [];
  let changed = false;
  const recorded = recordedHashes(variant);
  const shown = (file: string): string => displayPath(file, config.root);
  captionsState(lesson, variant, lang, config.root).forEach((state, k) => {
    const { track, current } = state;
    const trackItems = items.filter((i) => i.located.track === k);
    const keepRecorded = (): void => {
      for (const [id, hash] of Object.entries(recorded)) if (id.startsWith(`${track.prefix}/`)) segments[id] = hash;
    };
    if (current.kind !== 'none' && current.href) pointers.push({ track, href: current.href });
    if (!state.alignment) {
      // The variant's own captions have errors (the source's were refused above): nothing to merge them with.
      if (trackItems.length) throw captionsRefused(state.problems.map((d) => ({ file: d.file, line: d.line, message: d.message })));
      keepRecorded();
      return;
    }
    const cueTexts = new Map<string, UnitText>();
    for (const a of state.alignment.units) if (a.target) cueTexts.set(a.unit.id, { parts: a.target.parts, ...(a.recorded ? { recorded: a.recorded } : {}) });
    const standard = translatedCaptionsFile(track, lang);
    const partsOf = (m: ReadonlyMap<string, UnitText>): Map<string, Part[]> => new Map([...m].map(([id, t]) => [id, t.parts]));

    if (current.kind === 'own') {
      // Captions made by hand, in a file of the variant's own: left as they are, and so is the directive. The
      // incoming cues update STEM.LANG.vtt (what it already translates stays), for a person to switch to.
      keepRecorded();
      if (!trackItems.length) return;
      const onDisk = findSourceFile(standard);
      const existing = onDisk ? readCaptions(onDisk, shown(standard), track.prefix) : undefined;
      if (existing?.problems.length) throw captionsRefused(existing.problems.map((d) => ({ file: d.file, line: d.line, message: d.message })));
      const base = alignCues(track, { kind: 'standard', directives: [], ...(existing ? { file: existing } : {}) }, recorded);
      const merged = new Map<string, Part[]>();
      for (const a of base.units) if (a.target) merged.set(a.unit.id, a.target.parts);
      for (const item of trackItems) merged.set(item.located.unit.id, item.parts);
      report.skipped += trackItems.length;
      addWrite(standard, writeCaptions(track.source, merged));
      const line = current.directives.find((d) => d.captions)?.line ?? 1;
      warnings.push(`${variant!.shown}:${line}: the ${lang} variant shows its own captions ${current.href}, not ${translatedCaptionsHref(track, lang)}: left it as it is. The ${trackItems.length} imported caption${trackItems.length === 1 ? '' : 's'} of ${track.source.shown} went to ${shown(standard)}; point captions= at it to use ${trackItems.length === 1 ? 'it' : 'them'}.`);
      return;
    }

    let written = false;
    const touched = new Set<string>();
    const theirs = new Map<string, Part[]>();
    const conflictFile = standard.replace(/\.vtt$/i, '.conflict.vtt');
    for (const item of trackItems) {
      const id = item.located.unit.id;
      const aligned = state.alignment.units.find((x) => x.unit.id === id)!;
      switch (decide(item, aligned)) {
        case 'confirmed':
          cueTexts.set(id, { parts: aligned.target!.parts, recorded: item.recorded });
          report.confirmed++;
          touched.add(id);
          written = true;
          break;
        case 'skipped':
          report.skipped++;
          break;
        case 'conflict':
          theirs.set(id, item.parts);
          report.conflicts.push({ id: item.incoming.id, file: current.file?.shown ?? shown(standard), line: aligned.target?.line ?? aligned.unit.line, keptIn: shown(conflictFile), incoming: plainText(item.parts) });
          break;
        case 'updated':
          cueTexts.set(id, { parts: item.parts, recorded: item.recorded });
          report.updated++;
          touched.add(id);
          written = true;
          break;
      }
    }
    for (const a of state.alignment.units) {
      const t = cueTexts.get(a.unit.id);
      // A cue rewritten with its new timing but not confirmed by the translator loses its hash: stale until it is.
      if (t?.recorded && !(written && a.retimed !== undefined && !touched.has(a.unit.id))) segments[a.unit.id] = t.recorded;
    }
    if (written) {
      const text = writeCaptions(track.source, partsOf(cueTexts));
      const bad = parseWebVtt(text, shown(standard)).problems.filter((p) => p.severity === 'error');
      if (bad.length) throw new ImportRefused(`the translated captions for ${shown(standard)} would not be valid WebVTT; nothing was written`, bad.map((p) => ({ file: shown(standard), line: p.line, message: p.message })), 'This is a bug in hocso: please report it with the file you imported.');
      if (current.kind === 'none' && existsSync(standard)) {
        const before = readFileSync(standard, 'utf8');
        if (before !== text) {
          const previous = standard.replace(/\.vtt$/i, '.previous.vtt');
          addWrite(previous, before);
          warnings.push(`${shown(standard)} existed, but the ${lang} variant did not use it: replaced by the imported captions; the previous file is kept as ${shown(previous)}.`);
        }
      }
      addWrite(standard, text);
      if (current.kind === 'none') pointers.push({ track, href: translatedCaptionsHref(track, lang) });
      changed = true;
    }
    if (theirs.size) {
      const merged = partsOf(cueTexts);
      for (const [id, parts] of theirs) merged.set(id, parts);
      addWrite(conflictFile, writeCaptions(track.source, merged));
    }
  });
  return { segments, pointers, changed };
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
