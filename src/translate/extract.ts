import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { languageLabel } from '../i18n/language-tag.js';
import { UsageError, type ProjectConfig } from '../project/config.js';
import { align, asSourcePlaceholders, type AlignedUnit } from './align.js';
import { placeholders, plainText, type Part } from './inline.js';
import { captionsState, loadVariant, recordedHashes, translatedCourseTexts, type TranslatableCourse } from './project.js';
import { partsHash, type Unit, type UnitType } from './segment.js';

// The extraction: what goes into an XLIFF or PO file, independent of the format.

export interface ExtractedUnit {
  /** The full segment id: `LESSON/b/3`, `course/title`. */
  id: string;
  /** The id inside its file group (`b/3`); XLIFF unit ids are derived from it. */
  localId: string;
  type: UnitType;
  source: Part[];
  sourceHash: string;
  /** The variant's current translation, pre-filled (placeholders numbered as the source's). */
  target?: Part[];
  /** Hash of the variant's text for this unit when extracted (absent: it had none): import compares it to spot conflicts. */
  targetHash?: string;
  state: 'new' | 'translated' | 'stale';
  notes: string[];
  /** Where the source text is. */
  ref: { file: string; line: number };
  maxLength?: number;
}

export interface ExtractedGroup {
  /** The lesson id, or `course`. */
  key: string;
  /** The source file, as shown (relative to the project). */
  original: string;
  title: string;
  units: ExtractedUnit[];
}

export interface Extraction {
  course: string;
  srcLang: string;
  trgLang: string;
  groups: ExtractedGroup[];
}

const TYPE_NOTES: Record<UnitType, string> = {
  title: 'lesson title',
  objective: 'learning objective (what the learner can do afterwards)',
  keyword: 'search keyword',
  heading: 'section heading',
  paragraph: 'paragraph',
  'list-item': 'list item',
  'table-cell': 'table cell',
  'callout-title': 'title of a tip / warning / note box',
  alt: 'image description for people who cannot see it (alt text)',
  caption: 'image caption',
  'media-title': 'title of an audio or video clip',
  cue: 'caption (subtitle) of an audio or video clip, shown on screen while it plays',
  question: 'quiz question',
  choice: 'quiz answer choice',
  feedback: 'feedback shown when the learner picks this choice',
  'course-title': 'course title',
  'course-description': 'course description',
  'module-title': 'module title',
  'module-description': 'module description',
};

const KIND_NAMES: Record<string, string> = {
  strong: 'bold', emphasis: 'italic', delete: 'strikethrough', link: 'link', image: 'inline image (its description)', code: 'code, keep as is', html: 'HTML', break: 'line break', voice: 'speaker', timestamp: 'time mark (karaoke), keep as is', other: 'markup',
};

/** One line telling the translator what each placeholder of the unit is. */
export function placeholderNote(parts: readonly Part[], style: 'po' | 'xliff'): string | undefined {
  const list = placeholders(parts);
  if (!list.length) return undefined;
  const items = list.map((p) => {
    const tag = style === 'po' ? (p.kind === 'pc' ? `<${p.id}>…</${p.id}>` : `<${p.id}/>`) : `${p.kind} ${p.id}`;
    const what = KIND_NAMES[p.what] ?? 'markup';
    const original = p.kind === 'ph' ? p.original.replace(/\s+/g, ' ').trim() : '';
    const shown = p.kind === 'ph' ? (original ? ` ${original}` : '') : p.what === 'link' ? ` to ${p.close.replace(/^\]\(|\)$/g, '')}` : p.what === 'voice' ? ` ${p.open}` : '';
    return `${tag} = ${what}${shown}`;
  });
  return `Placeholders: ${items.join('; ')}. Keep each one exactly once, moved to where the sentence needs it; ${style === 'po' ? 'translate the text between <N> and </N>' : 'translate the text inside pc'}.`;
}

/**
 * The extraction of a course into `lang`. A captions file with errors (the source's, or the variant's own) is a
 * usage error listing them at their lines: nothing is extracted rather than a file without those cues.
 */
export function extractCourse(config: ProjectConfig, course: TranslatableCourse, lang: string): Extraction {
  const groups: ExtractedGroup[] = [];
  const texts = translatedCourseTexts(course, lang);
  groups.push({ key: 'course', original: course.texts.shown, title: course.source.title, units: extractUnits(course.texts.units, texts.units, texts.recorded, { file: course.texts.shown, context: `Course ${course.source.id}: ${course.source.title}`, prefix: '' }) });
  const problems = new Map<string, Diagnostic>();
  for (const lesson of course.lessons) {
    const variant = loadVariant(lesson, lang, config.root);
    const where = { file: lesson.shown, context: `Lesson ${lesson.id}: ${lesson.segmented.title ?? ''}`, prefix: `${lesson.id}/` };
    const units = extractUnits(lesson.segmented.units, variant?.segmented.units, recordedHashes(variant), where);
    for (const state of captionsState(lesson, variant, lang, config.root)) {
      for (const d of state.problems) problems.set(`${d.file}\0${d.line}\0${d.message}`, d);
      if (state.alignment) units.push(...extractAligned(state.alignment.units, { ...where, file: state.track.source.shown }));
    }
    groups.push({ key: lesson.id, original: lesson.shown, title: lesson.segmented.title ?? lesson.id, units });
  }
  if (problems.size) {
    const list = [...problems.values()];
    const files = new Set(list.map((d) => d.file));
    throw new UsageError(
      `${files.size === 1 ? `the captions file ${[...files][0]} has errors` : `${files.size} captions files have errors`}; nothing was extracted:\n${list.map((d) => `${d.file}:${d.line}:${d.column}  error  ${d.message}  ${d.ruleId}`).join('\n')}`,
      'Fix the captions at the lines shown (`hocso validate` reports them too), then extract again.',
    );
  }
  return { course: course.source.id, srcLang: course.source.language, trgLang: lang, groups };
}

function extractUnits(source: readonly Unit[], variant: readonly Unit[] | undefined, recorded: Record<string, string>, where: { file: string; context: string; prefix: string }): ExtractedUnit[] {
  return extractAligned(align(source, variant, recorded).units, where);
}

function extractAligned(aligned: readonly AlignedUnit[], where: { file: string; context: string; prefix: string }): ExtractedUnit[] {
  return aligned.map((a) => {
    const notes = [`${where.context}. This text: ${TYPE_NOTES[a.unit.type]}.`];
    if (a.unit.note) notes.push(a.unit.note);
    if (a.unit.maxLength) notes.push(`Max length: ${a.unit.maxLength} characters (${a.unit.type === 'question' || a.unit.type === 'choice' ? 'SCORM 2004 interactions cut longer texts' : 'LMS titles are cut beyond it'}).`);
    let target: Part[] | undefined;
    if (a.target) {
      target = asSourcePlaceholders(a.target.parts, a.unit.parts);
      if (!target) notes.push(`The current translation has other markup than the source, so it is not pre-filled: "${plainText(a.target.parts)}".`);
    }
    if (a.status === 'stale') notes.push(a.retimed && a.recorded === a.hash ? `The timing of this caption changed since it was translated (${a.retimed}): check the translation still fits, and confirm it.` : 'The source changed since this was translated: check the translation against the new source text.');
    const unit: ExtractedUnit = {
      id: where.prefix + a.unit.id,
      localId: a.unit.id,
      type: a.unit.type,
      source: a.unit.parts,
      sourceHash: a.hash,
      ...(target ? { target } : {}),
      ...(a.target ? { targetHash: partsHash(a.target.parts) } : {}),
      state: a.status === 'missing' ? 'new' : a.status === 'translated' && target ? 'translated' : 'stale',
      notes,
      ref: { file: where.file, line: a.unit.line },
      ...(a.unit.maxLength ? { maxLength: a.unit.maxLength } : {}),
    };
    return unit;
  });
}

/** A header line naming what the file holds. */
export function extractionTitle(x: Extraction): string {
  return `Course ${x.course}, from ${languageLabel(x.srcLang)} into ${languageLabel(x.trgLang)}`;
}
