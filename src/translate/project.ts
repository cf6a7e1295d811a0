import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { languageLabel } from '../i18n/language-tag.js';
import { displayPath, SCHEMAS_DIR } from '../paths.js';
import { UsageError, type ProjectConfig } from '../project/config.js';
import { loadCourseFile, type CourseSource } from '../project/course-file.js';
import { readSourceText } from '../source/text-file.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Alignment } from './align.js';
import { alignCues, captionTracks, variantCaptions, type CaptionTrack, type VariantCaptions } from './captions.js';
import { partsHash, segmentLesson, TITLE_MAX, type SegmentedLesson, type TranslationBlock, type Unit } from './segment.js';

// What the translate commands read: each course's source lessons and course texts, and their variants in a language.

export interface SourceLesson {
  /** Absolute path of the source lesson. */
  file: string;
  shown: string;
  id: string;
  segmented: SegmentedLesson;
  /** The captions files its audio and video directives use (cues: units `cap/STEM/N`). */
  captions: CaptionTrack[];
}

export interface CourseTexts {
  file: string;
  shown: string;
  units: Unit[];
}

export interface TranslatableCourse {
  source: CourseSource;
  lessons: SourceLesson[];
  texts: CourseTexts;
}

/** NAME.LANG.md beside NAME.md. */
export function variantFile(sourceFile: string, lang: string): string {
  return sourceFile.replace(/\.md$/, `.${lang}.md`);
}

/** The configured languages a project translates into (every one but the course's source language). */
export function targetLanguage(config: ProjectConfig, lang: string | undefined, course?: CourseSource): string {
  const tags = config.languages.map((l) => l.tag);
  const targets = tags.filter((t) => t !== course?.language);
  const list = targets.length ? targets.map(languageLabel).join(', ') : 'none';
  if (!lang) throw new UsageError('which language? give --lang', `Languages of this project besides the source: ${list}.`);
  if (!tags.includes(lang)) throw new UsageError(`\`${lang}\` is not a language of this project`, `Add it to \`languages:\` in ${path.basename(config.file)}, or use one of: ${list}.`);
  if (course && lang === course.language) throw new UsageError(`\`${lang}\` is the source language of course \`${course.id}\``, `Translate into another language: ${list}.`);
  return lang;
}

/** Loads the courses to translate; a course.yaml that does not load is a usage error (run `hocso validate`). */
export function loadCourses(config: ProjectConfig, only?: readonly string[]): TranslatableCourse[] {
  const courses: TranslatableCourse[] = [];
  for (const entry of config.courses) {
    const loaded = loadCourseFile(entry.dir, config.root, new Map());
    if (!loaded.course) {
      const first = loaded.diagnostics[0];
      throw new UsageError(`cannot read ${first ? `${first.file}:${first.line}: ${first.message}` : path.join(entry.dir, 'course.yaml')}`, 'Run `hocso validate` and fix the course first.');
    }
    if (only?.length && !only.includes(loaded.course.id)) continue;
    const lessons: SourceLesson[] = [];
    for (const module of loaded.course.modules) {
      for (const entryFile of module.lessons) {
        const segmented = segmentLesson(readSourceText(entryFile.file));
        const captions = captionTracks(segmented, entryFile.file, loaded.course.root, config.root, loaded.course.language);
        lessons.push({ file: entryFile.file, shown: displayPath(entryFile.file, config.root), id: segmented.lessonId ?? path.basename(entryFile.file, '.md'), segmented, captions });
      }
    }
    courses.push({ source: loaded.course, lessons, texts: courseTexts(loaded.course, config.root) });
  }
  if (only?.length) {
    const missing = only.filter((id) => !courses.some((c) => c.source.id === id));
    if (missing.length) throw new UsageError(`no course \`${missing[0]}\` in this project`, `Courses: ${config.courses.length ? 'see `courses:` in the config' : 'none'}.`);
  }
  return courses;
}

/** The course texts as units: `course/title`, `course/description`, `course/modules/MID/title|description`. */
function courseTexts(course: CourseSource, root: string): CourseTexts {
  const file = path.join(course.root, 'course.yaml');
  const doc = parseDocument(readSourceText(file), { keepSourceTokens: false });
  const text = readSourceText(file);
  const lineOf = (keys: (string | number)[]): number => {
    const node = doc.getIn(keys, true) as { range?: [number, number] } | undefined;
    return node?.range ? text.slice(0, node.range[0]).split('\n').length : 1;
  };
  const units: Unit[] = [];
  const add = (id: string, type: Unit['type'], value: string | undefined, keys: (string | number)[], maxLength?: number): void => {
    const t = value?.replace(/\s+/g, ' ').trim();
    if (t) units.push({ id, type, parts: [{ kind: 'text', text: t }], line: lineOf(keys), slot: { in: 'yaml', path: keys }, ...(maxLength ? { maxLength } : {}) });
  };
  add('course/title', 'course-title', course.title, ['title'], TITLE_MAX);
  add('course/description', 'course-description', course.description, ['description']);
  course.modules.forEach((m, i) => {
    add(`course/modules/${m.id}/title`, 'module-title', m.title, ['modules', i, 'title'], TITLE_MAX);
    add(`course/modules/${m.id}/description`, 'module-description', m.description, ['modules', i, 'description']);
  });
  return { file, shown: displayPath(file, root), units };
}

/** The course texts already translated into `lang` (course.yaml `translations.LANG`), as units with the same ids. */
export function translatedCourseTexts(course: TranslatableCourse, lang: string): { units: Unit[]; recorded: Record<string, string> } {
  const t = course.source.translations?.[lang] as (CourseSource['translations'][string] & { segments?: Record<string, string> }) | undefined;
  if (!t) return { units: [], recorded: {} };
  const text = readSourceText(course.texts.file);
  const doc = parseDocument(text);
  const lineOf = (keys: (string | number)[]): number => {
    const node = doc.getIn(keys, true) as { range?: [number, number] } | undefined;
    return node?.range ? text.slice(0, node.range[0]).split('\n').length : 1;
  };
  const units: Unit[] = [];
  const add = (id: string, type: Unit['type'], value: string | undefined, keys: string[]): void => {
    const v = value?.replace(/\s+/g, ' ').trim();
    if (v) units.push({ id, type, parts: [{ kind: 'text', text: v }], line: lineOf(keys), slot: { in: 'yaml', path: keys } });
  };
  const base = ['translations', lang];
  add('course/title', 'course-title', t.title, [...base, 'title']);
  add('course/description', 'course-description', t.description, [...base, 'description']);
  for (const m of course.source.modules) {
    add(`course/modules/${m.id}/title`, 'module-title', t.modules?.[m.id]?.title, [...base, 'modules', m.id, 'title']);
    add(`course/modules/${m.id}/description`, 'module-description', t.modules?.[m.id]?.description, [...base, 'modules', m.id, 'description']);
  }
  const recorded = readCourseSegments(text, lang);
  if (!courseSegmentsAllowed()) {
    // course.yaml cannot record hashes yet: a course text counts as translated from the current source.
    for (const u of units) {
      const source = course.texts.units.find((s) => s.id === u.id);
      if (source) recorded[u.id] = partsHash(source.parts);
    }
  }
  return { units, recorded };
}

function readCourseSegments(text: string, lang: string): Record<string, string> {
  const data = parseDocument(text).toJS() as { translations?: Record<string, { segments?: Record<string, unknown> }> } | null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data?.translations?.[lang]?.segments ?? {})) out[k] = String(v);
  return out;
}

let segmentsAllowed: boolean | undefined;

/**
 * Whether course.yaml may record `translations.LANG.segments` (source hashes of the course texts): true once
 * schemas/course.schema.json declares it. Until then course texts are written without hashes.
 */
export function courseSegmentsAllowed(): boolean {
  if (segmentsAllowed === undefined) {
    try {
      const schema = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'course.schema.json'), 'utf8')) as { properties?: { translations?: { additionalProperties?: { properties?: Record<string, unknown>; additionalProperties?: unknown } } } };
      const item = schema.properties?.translations?.additionalProperties;
      segmentsAllowed = Boolean(item && (item.properties?.segments || item.additionalProperties !== false));
    } catch {
      segmentsAllowed = false;
    }
  }
  return segmentsAllowed;
}

export interface LoadedVariant {
  file: string;
  shown: string;
  segmented: SegmentedLesson;
  translation: TranslationBlock;
}

/** A lesson's variant in `lang`, when it exists. */
export function loadVariant(lesson: SourceLesson, lang: string, root: string): LoadedVariant | undefined {
  const file = variantFile(lesson.file, lang);
  if (!existsSync(file)) return undefined;
  const segmented = segmentLesson(readSourceText(file));
  return { file, shown: displayPath(file, root), segmented, translation: segmented.translation ?? { segments: {} } };
}

/** Recorded hashes of a variant, keyed by unit id (as written in `translation.segments`). */
export function recordedHashes(variant: LoadedVariant | undefined): Record<string, string> {
  return variant?.translation.segments ?? {};
}

/** A source captions track of a lesson, what the variant shows for it, and how its cues align (when both are sound). */
export interface TrackState {
  track: CaptionTrack;
  current: VariantCaptions;
  /** Undefined when the source file or the variant's own file has errors (see `problems`). */
  alignment?: Alignment;
  problems: Diagnostic[];
}

/** Every captions track of a lesson, in a language. */
export function captionsState(lesson: SourceLesson, variant: LoadedVariant | undefined, lang: string, root: string): TrackState[] {
  return lesson.captions.map((track) => {
    const current = variantCaptions(track, lesson.segmented, variant, lang, root);
    const problems = [...track.source.problems, ...(current.file?.problems ?? [])];
    // The variant's hashes were recorded for STEM.LANG.vtt: a file of its own, made by hand, is not vouched for by them.
    const recorded = current.kind === 'own' ? {} : recordedHashes(variant);
    return { track, current, problems, ...(problems.length ? {} : { alignment: alignCues(track, current, recorded) }) };
  });
}
