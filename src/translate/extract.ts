import { languageLabel } from '../i18n/language-tag.js';
import type { ProjectConfig } from '../project/config.js';
import { align, asSourcePlaceholders } from './align.js';
import { placeholders, plainText, type Part } from './inline.js';
import { loadVariant, recordedHashes, translatedCourseTexts, type TranslatableCourse } from './project.js';
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
  question: 'quiz question',
  choice: 'quiz answer choice',
  feedback: 'feedback shown when the learner picks this choice',
  'course-title': 'course title',
  'course-description': 'course description',
  'module-title': 'module title',
  'module-description': 'module description',
};

const KIND_NAMES: Record<string, string> = {
  strong: 'bold', emphasis: 'italic', delete: 'strikethrough', link: 'link', image: 'inline image (its description)', code: 'code, keep as is', html: 'HTML', break: 'line break', other: 'markup',
};

/** One line telling the translator what each placeholder of the unit is. */
export function placeholderNote(parts: readonly Part[], style: 'po' | 'xliff'): string | undefined {
  const list = placeholders(parts);
  if (!list.length) return undefined;
  const items = list.map((p) => {
    const tag = style === 'po' ? (p.kind === 'pc' ? `<${p.id}>…</${p.id}>` : `<${p.id}/>`) : `${p.kind} ${p.id}`;
    const what = KIND_NAMES[p.what] ?? 'markup';
    const shown = p.kind === 'ph' ? ` ${p.original.replace(/\s+/g, ' ').trim()}` : p.what === 'link' ? ` to ${p.close.replace(/^\]\(|\)$/g, '')}` : '';
    return `${tag} = ${what}${shown}`;
  });
  return `Placeholders: ${items.join('; ')}. Keep each one exactly once, moved to where the sentence needs it; ${style === 'po' ? 'translate the text between <N> and </N>' : 'translate the text inside pc'}.`;
}

export function extractCourse(config: ProjectConfig, course: TranslatableCourse, lang: string): Extraction {
  const groups: ExtractedGroup[] = [];
  const texts = translatedCourseTexts(course, lang);
  groups.push({ key: 'course', original: course.texts.shown, title: course.source.title, units: extractUnits(course.texts.units, texts.units, texts.recorded, { file: course.texts.shown, context: `Course ${course.source.id}: ${course.source.title}`, prefix: '' }) });
  for (const lesson of course.lessons) {
    const variant = loadVariant(lesson, lang, config.root);
    const units = extractUnits(lesson.segmented.units, variant?.segmented.units, recordedHashes(variant), { file: lesson.shown, context: `Lesson ${lesson.id}: ${lesson.segmented.title ?? ''}`, prefix: `${lesson.id}/` });
    groups.push({ key: lesson.id, original: lesson.shown, title: lesson.segmented.title ?? lesson.id, units });
  }
  return { course: course.source.id, srcLang: course.source.language, trgLang: lang, groups };
}

function extractUnits(source: readonly Unit[], variant: readonly Unit[] | undefined, recorded: Record<string, string>, where: { file: string; context: string; prefix: string }): ExtractedUnit[] {
  const aligned = align(source, variant, recorded);
  return aligned.units.map((a) => {
    const notes = [`${where.context}. This text: ${TYPE_NOTES[a.unit.type]}.`];
    if (a.unit.maxLength) notes.push(`Max length: ${a.unit.maxLength} characters (${a.unit.type === 'question' || a.unit.type === 'choice' ? 'SCORM 2004 interactions cut longer texts' : 'LMS titles are cut beyond it'}).`);
    let target: Part[] | undefined;
    if (a.target) {
      target = asSourcePlaceholders(a.target.parts, a.unit.parts);
      if (!target) notes.push(`The current translation has other markup than the source, so it is not pre-filled: "${plainText(a.target.parts)}".`);
    }
    if (a.status === 'stale') notes.push('The source changed since this was translated: check the translation against the new source text.');
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
