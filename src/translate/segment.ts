import { createHash } from 'node:crypto';
import type { ListItem, Paragraph, PhrasingContent, RootContent } from 'mdast';
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive';
import { LineCounter, parseDocument } from 'yaml';
import { CALLOUT_VARIANTS } from '../model/course.js';
import { choiceId } from '../source/lesson-body.js';
import { splitLesson } from '../source/lesson-file.js';
import { parseMarkdown } from '../source/markdown.js';
import { canonicalParts, inlineParts, labelEnd, normalizeSpace, plainText, unescapeMarkdown, type Part, type WriteContext } from './inline.js';

// A lesson cut into translatable units, each with a stable id (see docs/translate.md, "Segment ids"):
//   title, objectives/N, keywords/N                       front matter (N from 1)
//   b/N                                                   body units outside quizzes, in document order (N from 1)
//   quiz/QID/question[/N], quiz/QID/choice/CID[/feedback[/N]]   quizzes, by their authored ids
//   cap/STEM/N                                            cues of a captions file the lesson uses (captions.ts)
// Body ids are positional: inserting a paragraph shifts the ids after it. Every translation records the hash of the
// source text it was made from, so a shifted id never passes for a translation of the new text: it is stale, and
// alignment by hash (align.ts) finds the translation where it moved.

export type UnitType =
  | 'title' | 'objective' | 'keyword'
  | 'heading' | 'paragraph' | 'list-item' | 'table-cell' | 'callout-title' | 'alt' | 'caption' | 'media-title'
  | 'question' | 'choice' | 'feedback'
  | 'cue'
  | 'course-title' | 'course-description' | 'module-title' | 'module-description';

/** Where a unit's text stands in its file, to be replaced by a translation. */
export type Slot =
  | { in: 'yaml'; path: (string | number)[] }
  | { in: 'body'; start: number; end: number; context: WriteContext }
  | { in: 'body'; start: number; end: number; context: 'alt' | 'title' | 'attribute'; quote?: string }
  /** A cue of a WebVTT file: its payload is `count` lines from the 0-based line `first`; `start`/`end` in seconds. */
  | { in: 'vtt'; first: number; count: number; start: number; end: number };

export interface Unit {
  /** Relative to the lesson (`b/3`) or the course (`course/title`). */
  id: string;
  type: UnitType;
  parts: Part[];
  /** 1-based line in the file. */
  line: number;
  slot: Slot;
  /** Where a target caps the text (SCORM 2004 interaction descriptions: 250). */
  maxLength?: number;
  /** More context for the translator (a cue's timing). */
  note?: string;
}

/** An `::audio` or `::video` directive of a lesson, in document order, with its `captions=` attribute if any. */
export interface MediaDirective {
  name: 'audio' | 'video';
  /** 1-based line of the directive. */
  line: number;
  /** The attribute's value, and its range in the file (quotes included, offsets into the whole file text). */
  captions?: { value: string; start: number; end: number };
}

export interface SegmentedLesson {
  /** The front matter's id, when it has one. */
  lessonId?: string;
  title?: string;
  units: Unit[];
  /** The whole file and where the body starts in it. */
  text: string;
  bodyStart: number;
  /** The front matter between the `---` lines (YAML text), and its first line in the file. */
  frontMatter?: string;
  frontMatterLine: number;
  /** A variant's `translation` block. */
  translation?: TranslationBlock;
  /** The lesson's audio and video directives, in document order. */
  media: MediaDirective[];
}

export interface TranslationBlock {
  from?: string;
  status?: string;
  /** Segment id → hash of the source text it was translated from. */
  segments: Record<string, string>;
}

/** SCORM 2004 caps interaction descriptions and fill-in answers (localized_string_type SPM). */
export const INTERACTION_MAX = 250;
/** IMS CP titles of items and organizations (SPM 200 in SCORM 2004). */
export const TITLE_MAX = 200;

/** Hash of a unit's text: NFC, spaces collapsed, placeholders by what they hold. 8 hex digits. */
export function partsHash(parts: readonly Part[]): string {
  return createHash('sha256').update(JSON.stringify(canonicalParts(parts))).digest('hex').slice(0, 8);
}

export function unitHash(unit: Unit): string {
  return partsHash(unit.parts);
}

function textParts(text: string): Part[] {
  const t = normalizeSpace(text).trim();
  return t ? [{ kind: 'text', text: t }] : [];
}

/** Cuts a lesson file (source or variant) into units. Never throws on odd Markdown: what it cannot place it skips. */
export function segmentLesson(fileText: string): SegmentedLesson {
  const { body, bodyLine } = splitLesson(fileText);
  const bodyStart = fileText.length - body.length;
  const units: Unit[] = [];
  let frontMatter: string | undefined;
  let lessonId: string | undefined;
  let title: string | undefined;
  let translation: TranslationBlock | undefined;
  if (bodyStart > 0) {
    frontMatter = fileText.slice(fileText.indexOf('\n') + 1, bodyStart).replace(/\n?---[ \t]*\n?$/, '\n');
    const lines = new LineCounter();
    const doc = parseDocument(frontMatter, { lineCounter: lines, uniqueKeys: false });
    const lineOf = (path: (string | number)[]): number => {
      const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
      return node?.range ? lines.linePos(node.range[0]).line + 1 : 1;
    };
    const data = doc.errors.length ? undefined : (doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null);
    if (data && typeof data === 'object') {
      if (typeof data.id === 'string') lessonId = data.id;
      if (typeof data.title === 'string') {
        title = data.title;
        units.push({ id: 'title', type: 'title', parts: textParts(data.title), line: lineOf(['title']), slot: { in: 'yaml', path: ['title'] }, maxLength: TITLE_MAX });
      }
      for (const key of ['objectives', 'keywords'] as const) {
        const list = data[key];
        if (!Array.isArray(list)) continue;
        list.forEach((value, i) => {
          if (typeof value !== 'string' && typeof value !== 'number') return;
          units.push({ id: `${key}/${i + 1}`, type: key === 'objectives' ? 'objective' : 'keyword', parts: textParts(String(value)), line: lineOf([key, i]), slot: { in: 'yaml', path: [key, i] } });
        });
      }
      translation = translationBlock(data.translation);
    }
  }
  const segmenter = new BodySegmenter(body, bodyStart, bodyLine);
  units.push(...segmenter.units());
  return { ...(lessonId ? { lessonId } : {}), ...(title !== undefined ? { title } : {}), units: units.filter((u) => hasText(u.parts)), text: fileText, bodyStart, ...(frontMatter !== undefined ? { frontMatter } : {}), frontMatterLine: 2, ...(translation ? { translation } : {}), media: segmenter.media };
}

/** A unit of nothing but codes (a choice that is only `code`) gives a translator nothing to do. */
export function hasText(parts: readonly Part[]): boolean {
  return parts.some((p) => (p.kind === 'text' ? p.text.trim() !== '' : p.kind === 'pc' ? hasText(p.children) : false));
}

function translationBlock(value: unknown): TranslationBlock | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const t = value as { from?: unknown; status?: unknown; segments?: unknown };
  const segments: Record<string, string> = {};
  if (t.segments && typeof t.segments === 'object') for (const [k, v] of Object.entries(t.segments)) segments[k] = String(v);
  return { ...(typeof t.from === 'string' ? { from: t.from } : {}), ...(typeof t.status === 'string' ? { status: t.status } : {}), segments };
}

type Namer = () => string;

class BodySegmenter {
  private readonly out: Unit[] = [];
  readonly media: MediaDirective[] = [];
  private block = 0;
  private readonly lineStarts: number[] = [];

  constructor(private readonly body: string, private readonly offset: number, private readonly bodyLine: number) {
    for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 10) this.lineStarts.push(i);
  }

  units(): Unit[] {
    this.blocks(parseMarkdown(this.body).children, 'paragraph', () => `b/${++this.block}`);
    return this.out;
  }

  private line(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lineStarts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return this.bodyLine + lo;
  }

  private push(id: string, type: UnitType, parts: Part[], start: number, end: number, context: WriteContext | 'alt' | 'title' | 'attribute', extra: { quote?: string; maxLength?: number } = {}): void {
    const slot = { in: 'body' as const, start: start + this.offset, end: end + this.offset, context, ...(extra.quote ? { quote: extra.quote } : {}) } as Slot;
    this.out.push({ id, type, parts, line: this.line(start), slot, ...(extra.maxLength ? { maxLength: extra.maxLength } : {}) });
  }

  private inline(id: string, type: UnitType, children: readonly PhrasingContent[], context: WriteContext = 'inline', maxLength?: number): void {
    if (children.length === 0) return;
    const start = children[0]!.position?.start.offset ?? 0;
    const end = children[children.length - 1]!.position?.end.offset ?? 0;
    const parts = inlineParts(children, this.body);
    if (parts.length === 0) return;
    this.push(id, type, parts, start, end, context, maxLength ? { maxLength } : {});
  }

  /** Block content; `type` is what a paragraph here is (a list item's, a feedback's …), `name` gives the next id. */
  private blocks(nodes: readonly RootContent[], type: UnitType, name: Namer, maxLength?: number): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'heading':
          this.inline(name(), 'heading', node.children, 'heading');
          break;
        case 'paragraph':
          if (loneImage(node)) this.image(node, name);
          else this.inline(name(), type, node.children, 'inline', maxLength);
          break;
        case 'list':
          for (const item of node.children) this.blocks(item.children as RootContent[], type === 'paragraph' ? 'list-item' : type, name, maxLength);
          break;
        case 'blockquote':
          this.blocks(node.children, type, name, maxLength);
          break;
        case 'table':
          for (const row of node.children) for (const cell of row.children) this.inline(name(), 'table-cell', cell.children, 'table-cell');
          break;
        case 'containerDirective':
          this.container(node, type, name);
          break;
        case 'leafDirective':
          this.leaf(node, name);
          break;
        default:
          // code, html, thematic breaks, definitions: not text for translators
          break;
      }
    }
  }

  private image(paragraph: Paragraph, name: Namer): void {
    const image = loneImage(paragraph)!;
    const start = image.position?.start.offset ?? 0;
    const raw = this.body.slice(start, image.position?.end.offset ?? start);
    const close = labelEnd(raw, 1);
    if (!raw.startsWith('![') || close < 0) return;
    this.push(name(), 'alt', textParts(unescapeMarkdown(raw.slice(2, close))), start + 2, start + close, 'alt');
    const title = titleRange(raw, close + 1);
    if (title) this.push(name(), 'caption', textParts(unescapeMarkdown(raw.slice(title.start, title.end))), start + title.start, start + title.end, 'title', { quote: title.quote });
  }

  private container(node: ContainerDirective, type: UnitType, name: Namer): void {
    if (node.name === 'quiz') return this.quiz(node);
    const [first, ...rest] = node.children;
    const labelled = first?.type === 'paragraph' && (first.data as { directiveLabel?: boolean } | undefined)?.directiveLabel;
    if (labelled) this.inline(name(), (CALLOUT_VARIANTS as readonly string[]).includes(node.name) ? 'callout-title' : 'paragraph', first.children);
    this.blocks((labelled ? rest : node.children) as RootContent[], type, name);
  }

  private leaf(node: LeafDirective, name: Namer): void {
    if (node.children.length) this.inline(name(), node.name === 'audio' || node.name === 'video' ? 'media-title' : 'paragraph', node.children);
    const start = node.position?.start.offset ?? 0;
    const raw = this.body.slice(start, node.position?.end.offset ?? start);
    const value = attributeValue(raw, 'title');
    if (value) this.push(name(), 'media-title', textParts(value.text), start + value.start, start + value.end, 'attribute');
    if (node.name === 'audio' || node.name === 'video') {
      const captions = attributeValue(raw, 'captions');
      this.media.push({ name: node.name, line: this.line(start), ...(captions ? { captions: { value: captions.text, start: this.offset + start + captions.start, end: this.offset + start + captions.end } } : {}) });
    }
  }

  private quiz(node: ContainerDirective): void {
    const qid = node.attributes?.id?.trim() || `_${this.block + 1}`;
    const type = node.attributes?.type?.trim() || 'single';
    const listIndex = node.children.findIndex((c) => c.type === 'list' && c.children.some((item) => item.checked !== null && item.checked !== undefined));
    const question = node.children.slice(0, listIndex === -1 ? node.children.length : listIndex) as RootContent[];
    let q = 0;
    this.blocks(question, 'question', () => (++q === 1 ? `quiz/${qid}/question` : `quiz/${qid}/question/${q}`), INTERACTION_MAX);
    const list = listIndex === -1 ? undefined : node.children[listIndex];
    if (list?.type === 'list') {
      list.children.forEach((item: ListItem, index) => {
        const cid = choiceId(type, index);
        const [label, ...feedback] = item.children;
        const base = `quiz/${qid}/choice/${cid}`;
        if (label?.type === 'paragraph') this.inline(base, 'choice', label.children, 'inline', type === 'fill' ? INTERACTION_MAX : undefined);
        let f = 0;
        this.blocks(feedback as RootContent[], 'feedback', () => (++f === 1 ? `${base}/feedback` : `${base}/feedback/${f}`));
      });
    }
    if (listIndex !== -1) this.blocks(node.children.slice(listIndex + 1) as RootContent[], 'paragraph', () => `b/${++this.block}`);
  }
}

function loneImage(paragraph: Paragraph): (PhrasingContent & { type: 'image' }) | undefined {
  const meaningful = paragraph.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  const first = meaningful[0];
  return meaningful.length === 1 && first?.type === 'image' ? first : undefined;
}

/** The title of `![alt](dest "title")` after the `]` at `from - 1`: its range inside the quotes. */
function titleRange(raw: string, from: number): { start: number; end: number; quote: string } | undefined {
  let i = from;
  if (raw[i] !== '(') return undefined;
  i++;
  while (/\s/.test(raw[i] ?? '')) i++;
  if (raw[i] === '<') {
    while (i < raw.length && raw[i] !== '>') i += raw[i] === '\\' ? 2 : 1;
    i++;
  } else {
    let depth = 0;
    for (; i < raw.length; i++) {
      const c = raw[i]!;
      if (c === '\\') { i++; continue; }
      if (/\s/.test(c)) break;
      if (c === '(') depth++;
      else if (c === ')') { if (depth === 0) break; depth--; }
    }
  }
  while (/\s/.test(raw[i] ?? '')) i++;
  const quote = raw[i];
  if (quote !== '"' && quote !== "'" && quote !== '(') return undefined;
  const closer = quote === '(' ? ')' : quote;
  const start = i + 1;
  for (let j = start; j < raw.length; j++) {
    if (raw[j] === '\\') { j++; continue; }
    if (raw[j] === closer) return { start, end: j, quote };
  }
  return undefined;
}

/** A directive's attribute `name=…` in its `{…}`: the value's text and its range, quotes included. */
function attributeValue(raw: string, name: string): { text: string; start: number; end: number } | undefined {
  const open = raw.lastIndexOf('{');
  if (open < 0) return undefined;
  const pattern = new RegExp(`(^|[\\s{])${name}=("([^"]*)"|'([^']*)'|([^\\s"'=<>\`}]+))`, 'g');
  const match = pattern.exec(raw.slice(open));
  if (!match) return undefined;
  const start = open + match.index + match[1]!.length + name.length + 1;
  const text = decodeEntities(match[3] ?? match[4] ?? match[5] ?? '');
  return { text, start, end: start + match[2]!.length };
}

function decodeEntities(text: string): string {
  return text.replace(/&(quot|amp|apos|lt|gt|#\d+|#x[\da-f]+);/gi, (whole, name: string) => {
    const named: Record<string, string> = { quot: '"', amp: '&', apos: "'", lt: '<', gt: '>' };
    if (named[name.toLowerCase()]) return named[name.toLowerCase()]!;
    const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
  });
}

/** A short preview of a unit's text for messages. */
export function preview(parts: readonly Part[], max = 60): string {
  const text = plainText(parts);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
