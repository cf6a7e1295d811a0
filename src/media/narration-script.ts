// What a lesson's narration says, in order: chapters that follow its headings, each a list of sentences. Sentences are
// the unit of synthesis and of timing (each becomes one caption cue), so they are short and never span two blocks.
//   chapter 1  the lesson title, then its objectives, then any text before the first heading;
//   <h1–h3>    starts a chapter named by the heading (whose text is also read); <h4–h6> is read as a sentence;
//   prose      paragraphs, list items, table rows (with their column headers), lines of code blocks;
//   steps      "Bước 1. …"; callouts start with their title or "Mẹo:" / "Cảnh báo:" / "Lưu ý:";
//   figures    "Hình: ALT", then the caption; quizzes "Câu hỏi: …", then "Lựa chọn A: …" per choice (never which is
//              right, never feedback, and never the choices of a fill-in question: they are its answers);
//   audio and video are not read.
// HTML is parsed (hast-util-raw → parse5), so entities are decoded and markup never reaches the speech engine.
// narrationTargets() gives the same script plus, for every sentence, the element of the lesson it was read from (for
// EPUB media overlays, which highlight that element while its sentences play).
import type { Element, ElementContent, Nodes as HastNodes, Root as HastRoot } from 'hast';
import { raw } from 'hast-util-raw';
import type { Block, Lesson, Quiz } from '../model/course.js';
import { fill, narrationWords, type NarrationWords } from '../render/ui-strings.js';

export interface NarrationChapterScript {
  title: string;
  sentences: string[];
}

export interface NarrationScript {
  /** The language the sentences are written in (the lesson's). */
  language: string;
  chapters: NarrationChapterScript[];
}

/** The narration of a lesson: deterministic, from the model only. */
export function narrationScript(lesson: Lesson): NarrationScript {
  return narrationTargets(lesson).script;
}

/**
 * The element of a lesson a sentence is read from. Blocks are named by their path: the index in lesson.blocks, then,
 * inside a callout, the index in its blocks, inside steps, the step's index and the index in that step's blocks.
 *   title                 the lesson title;
 *   objectives            the words before the objectives ("Sau bài này, bạn sẽ:"); objective: one of them (its index
 *                         in lesson.objectives);
 *   element               an element of a prose block's HTML as parseNarrationHtml parses it, by child indices from the
 *                         fragment's root (every child counted, text too); [] is the block itself (inline text at its top);
 *                         a paragraph, list item, heading, code block, or a whole table (its rows and caption);
 *   callout-title         a callout's own title, read alone when its body says nothing (otherwise it is said before the
 *                         body's first sentence, whose element is the target);
 *   figure / caption      a figure's alt text / its caption;
 *   question / choice     a quiz's question / its choice by index.
 * A prefix said before a sentence ("Bước 1.", "Mẹo:") belongs to that sentence's element.
 */
export type NarrationTarget =
  | { kind: 'title' }
  | { kind: 'objectives' }
  | { kind: 'objective'; index: number }
  | { kind: 'element'; block: number[]; element: number[] }
  | { kind: 'callout-title'; block: number[] }
  | { kind: 'figure'; block: number[] }
  | { kind: 'caption'; block: number[] }
  | { kind: 'question'; block: number[] }
  | { kind: 'choice'; block: number[]; choice: number };

export interface NarrationScriptWithTargets {
  script: NarrationScript;
  /** Parallel to script.chapters[c].sentences: where each sentence comes from. */
  targets: NarrationTarget[][];
}

/** The narration of a lesson (exactly narrationScript's) and the element each sentence is read from. */
export function narrationTargets(lesson: Lesson): NarrationScriptWithTargets {
  const writer = new ScriptWriter(narrationWords(lesson.language));
  writer.lessonStart(lesson);
  writer.blocks(lesson.blocks, []);
  const { chapters, targets } = writer.finish();
  return { script: { language: lesson.language, chapters }, targets };
}

/** The block a target's path names (see NarrationTarget), if there is one. */
export function blockAtPath(blocks: readonly Block[], blockPath: readonly number[]): Block | undefined {
  let list: readonly Block[] = blocks;
  let block: Block | undefined;
  for (let i = 0; i < blockPath.length; i++) {
    block = list[blockPath[i]!];
    if (!block || i === blockPath.length - 1) return block;
    if (block.kind === 'callout') list = block.blocks;
    else if (block.kind === 'steps') list = block.steps[blockPath[++i]!] ?? [];
    else return undefined;
  }
  return block;
}

// ── sentences ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Words that end in a period without ending the sentence, even before a capital (compared lowercase, without the period). */
const ABBREVIATIONS = new Set([
  // Vietnamese: TP. Hồ Chí Minh, TX., TT., Q. 1, P. 5, ThS., TS., PGS., GS., BS., KS., Th.S, VD., Tr. 12, Đ/c.
  'tp', 'tx', 'tt', 'q', 'p', 'ths', 'th.s', 'ts', 'pgs', 'pgs.ts', 'gs', 'gs.ts', 'bs', 'ks', 'vd', 'tr', 'đ/c', 'ông', 'bà',
  // English
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'no', 'vs', 'e.g', 'i.e', 'fig', 'approx', 'dept', 'inc', 'ltd', 'jr', 'sr',
]);

/** Over this many characters, a sentence is cut again at semicolons (captions stay readable). */
const LONG_SENTENCE = 220;

const BOUNDARY = /([.!?…]+)(["'”’»)\]]*)\s+/gu;
const SENTENCE_START = /^["'“‘«(\[]*[\p{Lu}\p{Nd}]/u;

/**
 * Splits text into sentences at . ! ? … followed by a space and a capital letter or digit. A period inside a word
 * ("1.5", "v.v.", "example.com") is no boundary, nor is one after a known abbreviation ("TP. Hồ Chí Minh").
 */
export function splitSentences(text: string): string[] {
  const clean = normalizeSpace(text);
  if (!clean) return [];
  const sentences: string[] = [];
  let start = 0;
  for (const match of clean.matchAll(BOUNDARY)) {
    const end = match.index + match[1]!.length + match[2]!.length;
    const rest = clean.slice(match.index + match[0].length);
    if (!SENTENCE_START.test(rest)) continue;
    if (match[1] === '.' && !match[2] && ABBREVIATIONS.has(lastWord(clean.slice(start, match.index)))) continue;
    sentences.push(clean.slice(start, end));
    start = match.index + match[0].length;
  }
  sentences.push(clean.slice(start));
  return sentences.flatMap(splitLong).filter((s) => /[\p{L}\p{N}]/u.test(s));
}

function lastWord(text: string): string {
  const words = text.split(' ');
  return (words[words.length - 1] ?? '').replace(/^["'“‘«(\[]+/u, '').toLowerCase();
}

function splitLong(sentence: string): string[] {
  if (sentence.length <= LONG_SENTENCE) return [sentence];
  const parts = sentence.split(/(?<=;)\s+/u);
  return parts.length > 1 ? parts : [sentence];
}

/** Whitespace runs (line breaks included) to one space, trimmed, NFC. */
export function normalizeSpace(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

// ── HTML to text ─────────────────────────────────────────────────────────────────────────────────────────────────────

const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'img', 'input', 'ins', 'kbd', 'label',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr',
]);
const SILENT = new Set(['script', 'style', 'template', 'audio', 'video', 'iframe', 'object', 'svg', 'math', 'hr', 'button', 'select', 'textarea']);
/** Elements that flow inside a line of text (a run of them, with text, makes a paragraph). */
export const INLINE_ELEMENTS: ReadonlySet<string> = INLINE;
/** Elements whose content is never text (scripts, players, form controls, rules). */
export const SILENT_ELEMENTS: ReadonlySet<string> = SILENT;

/** An HTML fragment as a hast tree (parse5: entities decoded, raw HTML made elements). */
export function parseHtml(html: string): HastRoot {
  return raw({ type: 'root', children: [{ type: 'raw', value: html }] } as HastRoot) as HastRoot;
}

/** A block's HTML parsed exactly as the narration reads it: the tree `element` targets index into. */
export function parseNarrationHtml(html: string): HastRoot {
  return parseHtml(html);
}

/** aria-hidden="true" or hidden: not part of the text. */
export function isHidden(element: Element): boolean {
  const hidden = element.properties?.ariaHidden;
  return String(hidden) === 'true' || element.properties?.hidden === true;
}

/**
 * How another target writes an element of inline content (a link with its URL, a picture as "[Hình: …]");
 * `children` gives the text of the element's content, written the same way. undefined: as narration reads it.
 */
export type InlineRenderer = (element: Element, children: () => string) => string | undefined;

/**
 * The text of inline content, whitespace not yet collapsed: code as its text, images as their alt, line breaks as
 * spaces (unless `render` writes an element its own way).
 */
export function inlineText(nodes: readonly (ElementContent | HastNodes)[], render?: InlineRenderer): string {
  let text = '';
  for (const node of nodes) {
    if (node.type === 'text') text += node.value;
    else if (node.type === 'element') {
      if (isHidden(node) || SILENT.has(node.tagName)) continue;
      const own = render?.(node, () => inlineText(node.children, render));
      if (own !== undefined) text += own;
      else if (node.tagName === 'br') text += ' ';
      else if (node.tagName === 'img') text += ` ${String(node.properties?.alt ?? '')} `;
      else text += (INLINE.has(node.tagName) ? '' : ' ') + inlineText(node.children, render) + (INLINE.has(node.tagName) ? '' : ' ');
    }
  }
  return text;
}

/** Plain text of an HTML fragment (a callout title, a caption). */
export function htmlText(html: string): string {
  return normalizeSpace(inlineText(parseHtml(html).children));
}

// ── the script ───────────────────────────────────────────────────────────────────────────────────────────────────────

class ScriptWriter {
  private readonly chapters: NarrationChapterScript[] = [];
  /** Parallel to chapters: the target of each sentence. */
  private readonly targets: NarrationTarget[][] = [];
  /** Where the next sentence is read from. */
  private target: NarrationTarget = { kind: 'title' };
  /** Words to say before the next sentence ("Bước 1.", "Mẹo:"), kept across a heading. */
  private prefix = '';

  constructor(private readonly words: NarrationWords) {}

  lessonStart(lesson: Lesson): void {
    const title = normalizeSpace(lesson.title);
    this.chapters.push({ title, sentences: title ? [title] : [] });
    this.targets.push(title ? [{ kind: 'title' }] : []);
    const objectives = lesson.objectives.map((text, index) => ({ text: normalizeSpace(text), index })).filter((o) => o.text);
    if (objectives.length) {
      this.target = { kind: 'objectives' };
      this.say(this.words.objectives);
      for (const { text, index } of objectives) {
        this.target = { kind: 'objective', index };
        this.say(text);
      }
    }
  }

  finish(): { chapters: NarrationChapterScript[]; targets: NarrationTarget[][] } {
    const kept = this.chapters.flatMap((c, i) => (c.sentences.length > 0 ? [i] : []));
    return { chapters: kept.map((i) => this.chapters[i]!), targets: kept.map((i) => this.targets[i]!) };
  }

  /** One sentence, after any pending prefix. */
  private say(sentence: string): void {
    const text = normalizeSpace(this.prefix ? `${this.prefix} ${sentence}` : sentence);
    this.prefix = '';
    if (!text) return;
    this.chapters[this.chapters.length - 1]!.sentences.push(text);
    this.targets[this.targets.length - 1]!.push(this.target);
  }

  private paragraph(text: string): void {
    for (const sentence of splitSentences(text)) this.say(sentence);
  }

  /**
   * Runs body with words to say before its first sentence; unused (body said nothing), they are dropped or said alone
   * (read from `alone`).
   */
  private withPrefix(prefix: string, body: () => void, alone?: NarrationTarget): void {
    const outer = this.prefix;
    const mine = normalizeSpace(`${outer} ${prefix}`);
    this.prefix = mine;
    body();
    if (this.prefix !== mine) return;
    this.prefix = '';
    if (alone) {
      this.target = alone;
      this.say(mine.replace(/:$/u, ''));
    } else this.prefix = outer;
  }

  private heading(text: string): void {
    const title = normalizeSpace(text);
    if (!title) return; // an empty heading starts nothing: what follows stays in the current chapter
    this.chapters.push({ title, sentences: [title] });
    this.targets.push([this.target]);
  }

  /** `path`: the block path of the list's parent (see NarrationTarget). */
  blocks(blocks: readonly Block[], path: readonly number[]): void {
    blocks.forEach((block, i) => this.block(block, [...path, i]));
  }

  private block(block: Block, path: number[]): void {
    switch (block.kind) {
      case 'prose':
        this.flow(parseHtml(block.html).children, path, []);
        break;
      case 'callout': {
        const title = block.titleHtml ? htmlText(block.titleHtml) : '';
        const prefix = title ? (/[.:!?…]$/u.test(title) ? title : `${title}:`) : this.words[block.variant];
        this.withPrefix(prefix, () => this.blocks(block.blocks, path), title ? { kind: 'callout-title', block: path } : undefined);
        break;
      }
      case 'steps':
        block.steps.forEach((step, i) => this.withPrefix(fill(this.words.step, { n: i + 1 }), () => this.blocks(step, [...path, i])));
        break;
      case 'figure': {
        const alt = normalizeSpace(block.alt);
        const caption = block.captionHtml ? htmlText(block.captionHtml) : '';
        this.target = { kind: 'figure', block: path };
        if (alt) this.withPrefix(this.words.figure, () => this.paragraph(alt));
        this.target = { kind: 'caption', block: path };
        if (caption && caption !== alt) this.paragraph(caption);
        break;
      }
      case 'quiz':
        this.quiz(block.quiz, path);
        break;
      case 'audio':
      case 'video':
        break;
    }
  }

  private quiz(quiz: Quiz, path: number[]): void {
    // A fill-in blank is read as a pause.
    const question = normalizeSpace(quiz.questionText.replace(/_{2,}/g, '…'));
    this.target = { kind: 'question', block: path };
    if (question) this.withPrefix(this.words.question, () => this.paragraph(question));
    if (quiz.type === 'fill') return;
    quiz.choices.forEach((choice, i) => {
      const text = normalizeSpace(choice.text);
      this.target = { kind: 'choice', block: path, choice: i };
      if (text) this.say(`${fill(this.words.option, { letter: letterOf(i) })} ${text}`);
    });
  }

  /**
   * Block-level content: runs of inline content are paragraphs, read from their parent (`parent`, an element path in
   * the prose block `block`); block elements are walked in order.
   */
  private flow(nodes: readonly (ElementContent | HastNodes)[], block: number[], parent: number[]): void {
    let inline: (ElementContent | HastNodes)[] = [];
    const flush = (): void => {
      this.target = { kind: 'element', block, element: parent };
      if (inline.length) this.paragraph(inlineText(inline));
      inline = [];
    };
    nodes.forEach((node, i) => {
      if (node.type === 'text' || (node.type === 'element' && INLINE.has(node.tagName))) {
        inline.push(node);
        return;
      }
      if (node.type !== 'element') return;
      flush();
      this.element(node, block, [...parent, i]);
    });
    flush();
  }

  private element(element: Element, block: number[], path: number[]): void {
    if (isHidden(element) || SILENT.has(element.tagName)) return;
    const tag = element.tagName;
    this.target = { kind: 'element', block, element: path };
    if (tag === 'h1' || tag === 'h2' || tag === 'h3') this.heading(inlineText(element.children));
    else if (/^h[4-6]$/.test(tag)) this.say(normalizeSpace(inlineText(element.children)));
    else if (tag === 'p' || tag === 'figcaption' || tag === 'caption' || tag === 'dt' || tag === 'summary') this.paragraph(inlineText(element.children));
    else if (tag === 'pre') {
      for (const line of inlineText(element.children).split('\n')) if (line.trim()) this.say(line);
    } else if (tag === 'table') this.table(element);
    else this.flow(element.children, block, path);
  }

  /** Row by row; with a header row, each cell is read after its column's header ("Cột: giá trị; …"). */
  private table(table: Element): void {
    const { captions, rows } = tableRows(table);
    for (const caption of captions) this.paragraph(caption);
    for (const row of rows) this.say(row);
  }
}

/**
 * A table as lines: its captions, then one line per row. With a header row, each cell follows its column's header
 * ("Cột: giá trị; …"); without one, cells are joined by commas. A table that is only a header row gives that row.
 * `cellText` writes the content of cells and captions (by default as narration reads it).
 */
export function tableRows(
  table: Element,
  cellText: (nodes: readonly ElementContent[]) => string = (nodes) => normalizeSpace(inlineText(nodes)),
): { captions: string[]; rows: string[] } {
  const rows: Element[] = [];
  const captions: string[] = [];
  const collect = (node: Element): void => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'tr') rows.push(child);
      else if (child.tagName === 'caption') captions.push(cellText(child.children));
      else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) collect(child);
    }
  };
  collect(table);
  const cellsOf = (row: Element): { text: string; header: boolean }[] =>
    row.children.flatMap((c) => (c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th') ? [{ text: cellText(c.children), header: c.tagName === 'th' }] : []));
  const first = rows[0] ? cellsOf(rows[0]) : [];
  const headers = first.length && first.every((c) => c.header) ? first.map((c) => c.text) : undefined;
  const lines: string[] = [];
  for (const row of headers ? rows.slice(1) : rows) {
    const cells = cellsOf(row);
    const parts = cells.flatMap((cell, i) => {
      if (!cell.text) return [];
      const header = headers?.[i];
      return [header && header !== cell.text ? `${header}: ${cell.text}` : cell.text];
    });
    if (parts.length) lines.push(parts.join(headers ? '; ' : ', '));
  }
  if (headers && rows.length === 1) lines.push(headers.filter(Boolean).join(', '));
  return { captions, rows: lines };
}

/** A, B, … Z, AA, AB …: the letter of the choice at index (uppercase). */
export function letterOf(index: number): string {
  let n = index;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return letters;
}
