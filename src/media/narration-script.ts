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
  const writer = new ScriptWriter(narrationWords(lesson.language));
  writer.lessonStart(lesson);
  writer.blocks(lesson.blocks);
  return { language: lesson.language, chapters: writer.finish() };
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

function normalizeSpace(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

// ── HTML to text ─────────────────────────────────────────────────────────────────────────────────────────────────────

const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'img', 'input', 'ins', 'kbd', 'label',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr',
]);
const SILENT = new Set(['script', 'style', 'template', 'audio', 'video', 'iframe', 'object', 'svg', 'math', 'hr', 'button', 'select', 'textarea']);

function parseHtml(html: string): HastRoot {
  return raw({ type: 'root', children: [{ type: 'raw', value: html }] } as HastRoot) as HastRoot;
}

function isHidden(element: Element): boolean {
  const hidden = element.properties?.ariaHidden;
  return String(hidden) === 'true' || element.properties?.hidden === true;
}

/** The text of inline content: code as its text, images as their alt, line breaks as spaces. */
function inlineText(nodes: readonly (ElementContent | HastNodes)[]): string {
  let text = '';
  for (const node of nodes) {
    if (node.type === 'text') text += node.value;
    else if (node.type === 'element') {
      if (isHidden(node) || SILENT.has(node.tagName)) continue;
      if (node.tagName === 'br') text += ' ';
      else if (node.tagName === 'img') text += ` ${String(node.properties?.alt ?? '')} `;
      else text += (INLINE.has(node.tagName) ? '' : ' ') + inlineText(node.children) + (INLINE.has(node.tagName) ? '' : ' ');
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
  /** Words to say before the next sentence ("Bước 1.", "Mẹo:"), kept across a heading. */
  private prefix = '';

  constructor(private readonly words: NarrationWords) {}

  lessonStart(lesson: Lesson): void {
    const title = normalizeSpace(lesson.title);
    this.chapters.push({ title, sentences: title ? [title] : [] });
    const objectives = lesson.objectives.map(normalizeSpace).filter(Boolean);
    if (objectives.length) {
      this.say(this.words.objectives);
      for (const objective of objectives) this.say(objective);
    }
  }

  finish(): NarrationChapterScript[] {
    return this.chapters.filter((c) => c.sentences.length > 0);
  }

  /** One sentence, after any pending prefix. */
  private say(sentence: string): void {
    const text = normalizeSpace(this.prefix ? `${this.prefix} ${sentence}` : sentence);
    this.prefix = '';
    if (text) this.chapters[this.chapters.length - 1]!.sentences.push(text);
  }

  private paragraph(text: string): void {
    for (const sentence of splitSentences(text)) this.say(sentence);
  }

  /** Runs body with words to say before its first sentence; unused (body said nothing), they are dropped or said alone. */
  private withPrefix(prefix: string, body: () => void, sayAloneIfUnused = false): void {
    const outer = this.prefix;
    const mine = normalizeSpace(`${outer} ${prefix}`);
    this.prefix = mine;
    body();
    if (this.prefix !== mine) return;
    this.prefix = '';
    if (sayAloneIfUnused) this.say(mine.replace(/:$/u, ''));
    else this.prefix = outer;
  }

  private heading(text: string): void {
    const title = normalizeSpace(text);
    if (!title) return; // an empty heading starts nothing: what follows stays in the current chapter
    this.chapters.push({ title, sentences: [title] });
  }

  blocks(blocks: readonly Block[]): void {
    for (const block of blocks) this.block(block);
  }

  private block(block: Block): void {
    switch (block.kind) {
      case 'prose':
        this.flow(parseHtml(block.html).children);
        break;
      case 'callout': {
        const title = block.titleHtml ? htmlText(block.titleHtml) : '';
        const prefix = title ? (/[.:!?…]$/u.test(title) ? title : `${title}:`) : this.words[block.variant];
        this.withPrefix(prefix, () => this.blocks(block.blocks), Boolean(title));
        break;
      }
      case 'steps':
        block.steps.forEach((step, i) => this.withPrefix(fill(this.words.step, { n: i + 1 }), () => this.blocks(step)));
        break;
      case 'figure': {
        const alt = normalizeSpace(block.alt);
        const caption = block.captionHtml ? htmlText(block.captionHtml) : '';
        if (alt) this.withPrefix(this.words.figure, () => this.paragraph(alt));
        if (caption && caption !== alt) this.paragraph(caption);
        break;
      }
      case 'quiz':
        this.quiz(block.quiz);
        break;
      case 'audio':
      case 'video':
        break;
    }
  }

  private quiz(quiz: Quiz): void {
    // A fill-in blank is read as a pause.
    const question = normalizeSpace(quiz.questionText.replace(/_{2,}/g, '…'));
    if (question) this.withPrefix(this.words.question, () => this.paragraph(question));
    if (quiz.type === 'fill') return;
    quiz.choices.forEach((choice, i) => {
      const text = normalizeSpace(choice.text);
      if (text) this.say(`${fill(this.words.option, { letter: letterOf(i) })} ${text}`);
    });
  }

  /** Block-level content: runs of inline content are paragraphs; block elements are walked in order. */
  private flow(nodes: readonly (ElementContent | HastNodes)[]): void {
    let inline: (ElementContent | HastNodes)[] = [];
    const flush = (): void => {
      if (inline.length) this.paragraph(inlineText(inline));
      inline = [];
    };
    for (const node of nodes) {
      if (node.type === 'text' || (node.type === 'element' && INLINE.has(node.tagName))) {
        inline.push(node);
        continue;
      }
      if (node.type !== 'element') continue;
      flush();
      this.element(node);
    }
    flush();
  }

  private element(element: Element): void {
    if (isHidden(element) || SILENT.has(element.tagName)) return;
    const tag = element.tagName;
    if (tag === 'h1' || tag === 'h2' || tag === 'h3') this.heading(inlineText(element.children));
    else if (/^h[4-6]$/.test(tag)) this.say(normalizeSpace(inlineText(element.children)));
    else if (tag === 'p' || tag === 'figcaption' || tag === 'caption' || tag === 'dt' || tag === 'summary') this.paragraph(inlineText(element.children));
    else if (tag === 'pre') {
      for (const line of inlineText(element.children).split('\n')) if (line.trim()) this.say(line);
    } else if (tag === 'table') this.table(element);
    else this.flow(element.children);
  }

  /** Row by row; with a header row, each cell is read after its column's header ("Cột: giá trị; …"). */
  private table(table: Element): void {
    const rows: Element[] = [];
    const collect = (node: Element): void => {
      for (const child of node.children) {
        if (child.type !== 'element') continue;
        if (child.tagName === 'tr') rows.push(child);
        else if (child.tagName === 'caption') this.paragraph(inlineText(child.children));
        else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) collect(child);
      }
    };
    collect(table);
    const cellsOf = (row: Element): { text: string; header: boolean }[] =>
      row.children.flatMap((c) => (c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th') ? [{ text: normalizeSpace(inlineText(c.children)), header: c.tagName === 'th' }] : []));
    const first = rows[0] ? cellsOf(rows[0]) : [];
    const headers = first.length && first.every((c) => c.header) ? first.map((c) => c.text) : undefined;
    for (const row of headers ? rows.slice(1) : rows) {
      const cells = cellsOf(row);
      const parts = cells.flatMap((cell, i) => {
        if (!cell.text) return [];
        const header = headers?.[i];
        return [header && header !== cell.text ? `${header}: ${cell.text}` : cell.text];
      });
      if (parts.length) this.say(parts.join(headers ? '; ' : ', '));
    }
    if (headers && rows.length === 1) this.say(headers.filter(Boolean).join(', '));
  }
}

function letterOf(index: number): string {
  let n = index;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return letters;
}
