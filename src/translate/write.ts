import { Document } from 'yaml';
import { renderCue } from './captions.js';
import { canonicalParts, escapeAlt, escapeAttribute, escapeTitle, plainText, renderMarkdown, type Part } from './inline.js';
import type { SegmentedLesson, Unit } from './segment.js';
import { editYaml } from './yaml-edit.js';

// Writing a variant: each unit's text replaced, at its exact place, by its translation; the Markdown around it is
// the file's own. A variant with the same units as its source is edited in place (only changed units are touched);
// a new one, or one whose source gained or lost units, is written from the source with the translations put in.

export interface UnitText {
  parts: Part[];
  /** Hash of the source text the translation was made from; undefined: unknown (not recorded). */
  recorded?: string;
}

const same = (a: readonly Part[], b: readonly Part[]): boolean => JSON.stringify(canonicalParts(a)) === JSON.stringify(canonicalParts(b));

/** The text to put in a unit's place in its file. */
export function renderFor(unit: Unit, parts: readonly Part[]): string {
  const slot = unit.slot;
  if (slot.in === 'yaml') return plainText(parts);
  if (slot.in === 'vtt') return renderCue(parts);
  switch (slot.context) {
    case 'alt':
      return escapeAlt(plainText(parts));
    case 'title':
      return escapeTitle(plainText(parts), 'quote' in slot && slot.quote ? slot.quote : '"');
    case 'attribute':
      return `"${escapeAttribute(plainText(parts))}"`;
    default:
      return renderMarkdown(parts, slot.context);
  }
}

interface WriteInput {
  source: SegmentedLesson;
  /** The existing variant, if any, and whether it has its source's units in the same order. */
  variant?: SegmentedLesson;
  sameStructure: boolean;
  /** The text of each source unit that has a translation, by source unit id. */
  texts: ReadonlyMap<string, UnitText>;
  from: string;
  /** More `translation.segments` entries, after the lesson's own: the cues of its captions (`cap/STEM/N`). */
  extraSegments?: Readonly<Record<string, string>>;
}

/** The variant's new file text. */
export function writeVariant(input: WriteInput): string {
  const { source, variant, texts } = input;
  const inPlace = variant !== undefined && input.sameStructure;
  const base = inPlace ? variant : source;
  const slots = inPlace ? variant.units : source.units;
  const segments: Record<string, string> = {};
  for (const unit of source.units) {
    const t = texts.get(unit.id);
    if (t?.recorded) segments[unit.id] = t.recorded;
  }
  Object.assign(segments, input.extraSegments ?? {});

  // The body: replacements from the end, so earlier offsets stay valid.
  const edits: { start: number; end: number; text: string }[] = [];
  source.units.forEach((unit, i) => {
    const slotUnit = slots[i]!;
    const t = texts.get(unit.id);
    if (!t || slotUnit.slot.in !== 'body') return;
    if (same(t.parts, slotUnit.parts)) return;
    edits.push({ start: slotUnit.slot.start, end: slotUnit.slot.end, text: renderFor(slotUnit, t.parts) });
  });
  let text = base.text;
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  const body = text.slice(base.bodyStart);

  // The front matter.
  const value = (unit: Unit): string => plainText(texts.get(unit.id)?.parts ?? unit.parts);
  const list = (prefix: string): string[] => source.units.filter((u) => u.id.startsWith(`${prefix}/`) && u.slot.in === 'yaml').map(value);
  const title = source.units.find((u) => u.id === 'title');
  const objectives = list('objectives');
  const keywords = list('keywords');
  if (inPlace && variant.frontMatter !== undefined) {
    const front = editYaml(variant.frontMatter, (doc) => {
      source.units.forEach((unit, i) => {
        const slotUnit = slots[i]!;
        const t = texts.get(unit.id);
        if (t && slotUnit.slot.in === 'yaml' && !same(t.parts, slotUnit.parts)) doc.setIn(slotUnit.slot.path, plainText(t.parts));
      });
      doc.setIn(['translation', 'from'], variant.translation?.from ?? input.from);
      if (!variant.translation?.status) doc.setIn(['translation', 'status'], 'draft');
      doc.setIn(['translation', 'segments'], doc.createNode(segments));
    });
    return `---\n${front}---\n${body}`;
  }
  const lessonId = source.lessonId ?? '';
  let front: string;
  if (variant?.frontMatter !== undefined) {
    // The variant no longer matches its source's units: keep its other keys, take the lists from the source.
    front = editYaml(variant.frontMatter, (doc) => {
      doc.setIn(['id'], lessonId);
      if (title) doc.setIn(['title'], value(title));
      doc.setIn(['objectives'], doc.createNode(objectives));
      if (keywords.length) doc.setIn(['keywords'], doc.createNode(keywords, { flow: true }));
      else doc.deleteIn(['keywords']);
      doc.setIn(['translation', 'from'], variant.translation?.from ?? input.from);
      if (!variant.translation?.status) doc.setIn(['translation', 'status'], 'draft');
      doc.setIn(['translation', 'segments'], doc.createNode(segments));
    });
  } else {
    const doc = new Document({
      id: lessonId,
      title: title ? value(title) : lessonId,
      objectives,
      ...(keywords.length ? { keywords } : {}),
      translation: { from: input.from, status: 'draft', segments },
    });
    const keywordsNode = doc.getIn(['keywords'], true) as { flow?: boolean } | undefined;
    if (keywordsNode) keywordsNode.flow = true;
    doc.commentBefore = ' A translation of the lesson beside it, written by `hocso translate import`. Competencies, mastery score,\n audience and duration come from the source. status: draft until a native speaker has reviewed it.';
    front = doc.toString({ lineWidth: 0 });
  }
  return `---\n${front}---\n${body}`;
}
