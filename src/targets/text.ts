// `--target text`: a course in one language as plain UTF-8 text — to paste into Zalo and other messaging apps, to
// print anywhere, to read with a screen reader. One file per lesson, `NN-LESSON.txt` (numbered in course order like
// the audio bundle), and the whole course in `COURSE.txt`. No hard wrapping (apps and readers wrap lines themselves),
// one blank line between blocks, LF line endings, NFC, a single trailing newline. Deterministic: the model only.
//   lesson     "BÀI 1. Title" over a line of "=", the duration, the objectives as a list, the lesson, its competences,
//              and its answer key ("Đáp án": "1. b — feedback")
//   headings   numbered sections on their own lines, "Mục 1. …" (h1, h2), "Mục 1.1. …" (h3) — a bare "1." would
//              read like the list that often follows; h4–h6 as plain lines
//   prose      a paragraph a line (a <br> starts a new one); lists "- " / "1. " (nested ones indented); tables a row
//              a line ("Cột: giá trị; …"); code blocks line by line as written; quotes "> "; code spans as they are;
//              links "text (URL)" when external, "text (Bài 3)" to another lesson of the course, else the text
//   blocks     steps "Bước 1. …"; callouts "Title: …" or "Mẹo: …"; pictures "[Hình: alt — caption]";
//              clips "[Âm thanh: title]" / "[Video: title]"
//   quizzes    "Câu hỏi 1. …" then "a) …" per choice (fill-in: "Trả lời: ________"); never the answer beside them
//   course     its title and description, then each part ("PHẦN 1. …") with its lessons, then the answer key of the
//              whole course, its questions numbered across the course
// HTML is read with the narration's helpers (src/media/narration-script.ts): parsed, so entities are decoded and no
// markup is left. The words around a lesson's text are in the lesson's own language (a lesson shown in a fallback
// language reads as one text); the course's frame (parts, the course's answer key) is in the bundle's language.
// Words come from templates/web/strings.yaml (`text…` keys and the web's own), with uiStrings' fallbacks.
import type { Element, ElementContent, Nodes as HastNodes } from 'hast';
import stringWidth from 'string-width';
import { competencesOf, type Framework } from '../frameworks/framework.js';
import {
  INLINE_ELEMENTS,
  SILENT_ELEMENTS,
  inlineText,
  isHidden,
  letterOf,
  normalizeSpace,
  parseHtml,
  tableRows,
  type InlineRenderer,
} from '../media/narration-script.js';
import { lessonsOf, type Block, type Choice, type Course, type Lesson, type Quiz } from '../model/course.js';
import type { FileTree } from '../output/atomic-dir.js';
import { durationMinutes, fill, uiStrings, type UiStrings } from '../render/ui-strings.js';
import { trackName } from './audio.js';

/** One course in one language → `NN-LESSON.txt` per lesson and `COURSE.txt`, nothing else. */
export function renderTextBundle(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>): FileTree {
  const files: FileTree = new Map();
  const lessons = lessonsOf(course);
  const context: CourseContext = { numbers: new Map(lessons.map((l, i) => [l.id, i + 1])), frameworks };
  lessons.forEach((lesson, i) => {
    const { blocks, answers } = lessonBlocks(lesson, i + 1, 1, context, '=');
    if (answers.length) blocks.push(underlined(uiStrings(lesson.language).textAnswerKey!, '-'), answers);
    files.set(lessonTextName(i, lessons.length, lesson), textFile(blocks));
  });
  files.set(`${course.id}.txt`, courseText(course, lang, context));
  return files;
}

/** The lesson's file name: "03-mat-khau-an-toan.txt", numbered like the audio bundle's tracks. */
export function lessonTextName(index: number, total: number, lesson: Lesson): string {
  return `${trackName(index, total, lesson)}.txt`;
}

interface CourseContext {
  /** Each lesson's number in the course (1, 2 …) by id: links between lessons name it. */
  numbers: ReadonlyMap<string, number>;
  frameworks: ReadonlyMap<string, Framework>;
}

/** Blocks of lines, one blank line between blocks; LF, NFC, one trailing newline. */
function textFile(blocks: readonly (readonly string[])[]): string {
  const text = blocks.filter((b) => b.length).map((b) => b.join('\n')).join('\n\n');
  return `${text.replace(/\r\n?/g, '\n').trimEnd()}\n`.normalize('NFC');
}

/** A title over a line of `rule` as wide as it (Vietnamese letters count one, wide scripts two). */
function underlined(title: string, rule: string): string[] {
  return [title, rule.repeat(Math.max(3, stringWidth(title)))];
}

function courseText(course: Course, lang: string, context: CourseContext): string {
  const t = uiStrings(lang);
  const title = normalizeSpace(course.title);
  const rule = '='.repeat(Math.max(3, stringWidth(title)));
  const blocks: string[][] = [[rule, title, rule], [normalizeSpace(course.description)].filter(Boolean)];
  const keys: string[][] = [];
  let lessonNumber = 0;
  let question = 1;
  course.modules.forEach((module, m) => {
    blocks.push(underlined(`${fill(t.textModule!, { n: m + 1 })} ${normalizeSpace(module.title)}`, '='));
    const description = normalizeSpace(module.description ?? '');
    if (description) blocks.push([description]);
    for (const lesson of module.lessons) {
      lessonNumber += 1;
      const rendered = lessonBlocks(lesson, lessonNumber, question, context, '-');
      blocks.push(...rendered.blocks);
      question += rendered.answers.length;
      if (rendered.answers.length) keys.push([lessonHeading(lesson, lessonNumber), ...rendered.answers]);
    }
  });
  if (keys.length) blocks.push(underlined(t.textAnswerKey!, '='), ...keys);
  return textFile(blocks);
}

function lessonHeading(lesson: Lesson, n: number): string {
  return `${fill(uiStrings(lesson.language).textLesson!, { n })} ${normalizeSpace(lesson.title)}`;
}

/** A lesson without its answer key (returned apart: a lesson file ends with it, the course file gathers them). */
function lessonBlocks(lesson: Lesson, n: number, firstQuestion: number, context: CourseContext, rule: string): { blocks: string[][]; answers: string[] } {
  const t = uiStrings(lesson.language);
  const blocks: string[][] = [underlined(lessonHeading(lesson, n), rule)];
  const minutes = durationMinutes(lesson.duration);
  if (minutes !== undefined) blocks.push([fill(t.duration!, { minutes })]);
  const objectives = lesson.objectives.map(normalizeSpace).filter(Boolean);
  if (objectives.length) blocks.push([withColon(t.objectives!), ...objectives.map((o) => `- ${o}`)]);
  const writer = new LessonWriter(t, context, firstQuestion);
  blocks.push(...writer.blocks(lesson.blocks).map((c) => c.lines));
  const competences = competenceLines(lesson, context.frameworks, t);
  if (competences.length) blocks.push([withColon(t.competencies!), ...competences]);
  return { blocks, answers: writer.answers };
}

/** "- tt02:2.6 Title (mức 2)", as the web page lists them. */
function competenceLines(lesson: Lesson, frameworks: ReadonlyMap<string, Framework>, t: UiStrings): string[] {
  const english = t.lang.toLowerCase().startsWith('en');
  return lesson.competencies.map((ref) => {
    const framework = frameworks.get(ref.framework);
    const competence = framework && competencesOf(framework).find((c) => c.code === ref.code);
    const title = competence ? normalizeSpace(english ? competence.title.en : competence.title.vi) : '';
    const level = ref.level !== undefined ? ` (${fill(t.level!, { level: ref.level })})` : '';
    return `- ${ref.framework}:${ref.code}${title ? ` ${title}` : ''}${level}`;
  });
}

/** "Câu hỏi {n}" → "Câu hỏi 1." (a word that already ends in punctuation keeps it). */
function withPeriod(text: string): string {
  return /[.:!?…)]$/u.test(text) ? text : `${text}.`;
}

function withColon(text: string): string {
  return /[.:!?…]$/u.test(text) ? text : `${text}:`;
}

/** A <br> inside inline text, until its lines are split. */
const BREAK = '\uE000';

/** Rendered lines of one block; `lead`: a paragraph, which words like "Bước 1." or "Mẹo:" may start. */
interface Chunk {
  lines: string[];
  lead: boolean;
}

/** Words before content: on its first line when that is a paragraph, else on a line of their own. */
function prefixed(prefix: string, chunks: readonly Chunk[]): string[] {
  const lines = chunks.flatMap((c) => c.lines);
  if (!lines.length) return [];
  return chunks[0]!.lead ? [`${prefix} ${lines[0]!}`, ...lines.slice(1)] : [prefix, ...lines];
}

class LessonWriter {
  /** The answer key's lines, one per question, in order. */
  readonly answers: string[] = [];
  /** Section numbers of the headings so far (1.2 → [1, 2]). */
  private readonly sections: number[] = [];
  /** Off inside questions and feedback: headings there are not sections. */
  private numbering = true;

  constructor(
    private readonly t: UiStrings,
    private readonly context: CourseContext,
    private question: number,
  ) {}

  blocks(blocks: readonly Block[]): Chunk[] {
    return blocks.flatMap((b) => this.block(b)).filter((c) => c.lines.length > 0);
  }

  private block(block: Block): Chunk[] {
    const t = this.t;
    switch (block.kind) {
      case 'prose':
        return this.flow(parseHtml(block.html).children);
      case 'callout': {
        const title = block.titleHtml ? this.htmlLine(block.titleHtml) : '';
        const body = this.blocks(block.blocks);
        if (!body.length) return title ? [{ lines: [title], lead: false }] : [];
        return [{ lines: prefixed(title ? withColon(title) : withColon(t[block.variant]!), body), lead: false }];
      }
      case 'steps': {
        const steps = block.steps.map((step, i) => prefixed(withPeriod(fill(t.textStep!, { n: i + 1 })), this.blocks(step))).filter((s) => s.length);
        // Steps of a line each stay together, like a list; longer ones are blocks of their own.
        return steps.every((s) => s.length === 1) ? [{ lines: steps.flat(), lead: false }] : steps.map((lines) => ({ lines, lead: false }));
      }
      case 'figure': {
        const alt = normalizeSpace(block.alt);
        const caption = block.captionHtml ? this.htmlLine(block.captionHtml) : '';
        const parts = [alt, caption !== alt ? caption : ''].filter(Boolean);
        return [{ lines: [`[${t.textFigure}${parts.length ? `: ${parts.join(' — ')}` : ''}]`], lead: false }];
      }
      case 'audio':
      case 'video': {
        const title = normalizeSpace(block.title ?? '') || block.src.path.split('/').pop()!;
        return [{ lines: [`[${block.kind === 'audio' ? t.textAudio : t.textVideo}: ${title}]`], lead: false }];
      }
      case 'quiz':
        return [this.quiz(block.quiz)];
    }
  }

  // ── quizzes ──────────────────────────────────────────────────────────────────────────────────────────────────────

  private quiz(quiz: Quiz): Chunk {
    const t = this.t;
    const n = this.question++;
    const label = withPeriod(fill(t.question!, { n }));
    const asked = this.unnumbered(() => this.flow(parseHtml(quiz.questionHtml).children));
    const text = normalizeSpace(quiz.questionText);
    const lines = asked.length ? prefixed(label, asked) : [text ? `${label} ${text}` : label];
    if (quiz.type === 'multiple') lines.push(t.textChooseAll!);
    if (quiz.type === 'fill') lines.push(`${withColon(t.textAnswer!)} ________`);
    else quiz.choices.forEach((choice, i) => lines.push(`${letter(i)}) ${this.choiceText(quiz, choice, i)}`));
    this.answers.push(this.answer(n, quiz));
    return { lines, lead: false };
  }

  private choiceText(quiz: Quiz, choice: Choice, index: number): string {
    const text = this.htmlLine(choice.html) || normalizeSpace(choice.text);
    if (text || quiz.type !== 'truefalse') return text;
    return (index === 0 ? this.t.true : this.t.false) ?? '';
  }

  /**
   * "1. b — feedback": the correct choices' letters (true-false: with their text; fill-in: the accepted answers),
   * then what the lesson says about them (fill-in: the first accepted answer's feedback, the others repeat it).
   */
  private answer(n: number, quiz: Quiz): string {
    const correct = quiz.choices.flatMap((choice, i) => (choice.correct ? [{ choice, i }] : []));
    let answer: string;
    if (quiz.type === 'fill') answer = correct.map(({ choice }) => normalizeSpace(choice.text)).filter(Boolean).join(' / ');
    else if (quiz.type === 'truefalse') answer = correct.map(({ choice, i }) => `${letter(i)} (${this.choiceText(quiz, choice, i)})`).join(', ');
    else answer = correct.map(({ i }) => letter(i)).join(', ');
    const feedback = correct.flatMap(({ choice, i }) => {
      const text = choice.feedbackHtml ? this.htmlBlocksLine(choice.feedbackHtml) : '';
      return text ? [{ text, i }] : [];
    });
    const said = quiz.type === 'fill' ? feedback.slice(0, 1) : feedback;
    const feedbackText = said.length > 1 ? said.map(({ text, i }) => `${letter(i)}) ${text}`).join(' ') : (said[0]?.text ?? '');
    return `${n}. ${answer || '–'}${feedbackText ? ` — ${feedbackText}` : ''}`;
  }

  private unnumbered<T>(body: () => T): T {
    const numbering = this.numbering;
    this.numbering = false;
    try {
      return body();
    } finally {
      this.numbering = numbering;
    }
  }

  // ── HTML ─────────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Inline HTML (a title, a caption, a choice) on one line. */
  private htmlLine(html: string): string {
    return this.inlineLines(parseHtml(html).children).join(' ');
  }

  /** Block HTML (feedback) on one line. */
  private htmlBlocksLine(html: string): string {
    return this.unnumbered(() => this.flow(parseHtml(html).children)).flatMap((c) => c.lines).join(' ');
  }

  /** Inline content as lines: whitespace collapsed, a new line at each <br>. */
  private inlineLines(nodes: readonly (ElementContent | HastNodes)[]): string[] {
    return inlineText(nodes, this.render).split(BREAK).map(normalizeSpace).filter(Boolean);
  }

  private readonly render: InlineRenderer = (element, children) => {
    const properties = element.properties ?? {};
    switch (element.tagName) {
      case 'br':
        return BREAK;
      case 'img': {
        const alt = normalizeSpace(String(properties.alt ?? ''));
        return alt ? ` [${this.t.textFigure}: ${alt}] ` : ' ';
      }
      case 'input':
        return properties.type === 'checkbox' ? (properties.checked ? '[x] ' : '[ ] ') : '';
      case 'a':
        return this.link(typeof properties.href === 'string' ? properties.href : '', children());
      default:
        return undefined;
    }
  };

  /** External links show where they go; a link to another lesson names its number; anchors and files: the text. */
  private link(href: string, content: string): string {
    const text = normalizeSpace(content.replaceAll(BREAK, ' '));
    const url = /^(?:https?:)?\/\//i.test(href) ? href : /^(?:mailto|tel):/i.test(href) ? decoded(href.replace(/^[a-z]+:/i, '').split('?')[0]!) : undefined;
    if (url !== undefined) {
      if (!text) return url;
      return sameAddress(text, url) ? content : `${content} (${url})`;
    }
    const lesson = /^([^/?#]+)\.html(?:#.*)?$/.exec(href);
    const n = lesson ? this.context.numbers.get(decoded(lesson[1]!)) : undefined;
    return n !== undefined ? `${content} (${fill(this.t.textLessonLink!, { n })})` : content;
  }

  /** Block-level content: runs of inline content are paragraphs; block elements are written in order. */
  private flow(nodes: readonly (ElementContent | HastNodes)[]): Chunk[] {
    const chunks: Chunk[] = [];
    let inline: (ElementContent | HastNodes)[] = [];
    const flush = (): void => {
      if (inline.length) chunks.push({ lines: this.inlineLines(inline), lead: true });
      inline = [];
    };
    for (const node of nodes) {
      if (node.type === 'text' || (node.type === 'element' && INLINE_ELEMENTS.has(node.tagName))) {
        inline.push(node);
        continue;
      }
      if (node.type !== 'element') continue;
      flush();
      chunks.push(...this.element(node));
    }
    flush();
    return chunks.filter((c) => c.lines.length > 0);
  }

  private element(element: Element): Chunk[] {
    if (isHidden(element) || SILENT_ELEMENTS.has(element.tagName)) return [];
    const tag = element.tagName;
    if (/^h[1-6]$/.test(tag)) return this.heading(element);
    if (['p', 'figcaption', 'caption', 'dt', 'summary', 'legend'].includes(tag)) return [{ lines: this.inlineLines(element.children), lead: true }];
    if (tag === 'pre') return [{ lines: this.preformatted(element), lead: false }];
    if (tag === 'table') {
      const { captions, rows } = tableRows(element, (nodes) => this.inlineLines(nodes).join(' '));
      return [{ lines: [...captions, ...rows].filter(Boolean), lead: false }];
    }
    if (tag === 'ul' || tag === 'ol' || tag === 'menu') return [{ lines: this.list(element), lead: false }];
    if (tag === 'blockquote') {
      const lines = this.flow(element.children).flatMap((c, i) => [...(i ? [''] : []), ...c.lines]);
      return [{ lines: lines.map((l) => (l ? `> ${l}` : '>')), lead: false }];
    }
    return this.flow(element.children);
  }

  /** "Mục 1. …" for h1 and h2, "Mục 1.1. …" for h3 (sections of the lesson), h4–h6 as a plain line. */
  private heading(element: Element): Chunk[] {
    const text = this.inlineLines(element.children).join(' ');
    if (!text) return [];
    const depth = Number(element.tagName.slice(1));
    const level = depth <= 2 ? 1 : depth === 3 ? 2 : 0;
    if (!level || !this.numbering) return [{ lines: [text], lead: false }];
    const sections = this.sections;
    sections.length = level;
    for (let i = 0; i < level; i++) sections[i] ??= 0;
    sections[level - 1]! += 1;
    return [{ lines: [`${withPeriod(fill(this.t.textSection!, { n: sections.filter((s) => s > 0).join('.') }))} ${text}`], lead: false }];
  }

  /** A code block line by line as written (trailing spaces and blank first and last lines dropped). */
  private preformatted(element: Element): string[] {
    const lines = inlineText(element.children, this.render).replaceAll(BREAK, '\n').replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd());
    while (lines.length && !lines[0]) lines.shift();
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return lines;
  }

  /** "- item" or "1. item" (from the list's start); an item's further lines are indented under its text. */
  private list(list: Element): string[] {
    const ordered = list.tagName === 'ol';
    let n = ordered && typeof list.properties?.start === 'number' ? list.properties.start : 1;
    const lines: string[] = [];
    for (const item of list.children) {
      if (item.type !== 'element' || item.tagName !== 'li' || isHidden(item)) continue;
      const marker = ordered ? `${n++}. ` : '- ';
      const content = this.flow(item.children).flatMap((c) => c.lines);
      if (!content.length) continue;
      const indent = ' '.repeat(marker.length);
      lines.push(`${marker}${content[0]!}`, ...content.slice(1).map((l) => (l ? `${indent}${l}` : l)));
    }
    return lines;
  }
}

/** a, b, c … (choices of every type, true-false included). */
function letter(index: number): string {
  return letterOf(index).toLowerCase();
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** "dichvucong.gov.vn" is https://dichvucong.gov.vn/: no need to say it twice. */
function sameAddress(text: string, url: string): boolean {
  const bare = (s: string): string => s.trim().toLowerCase().replace(/^[a-z]+:(?:\/\/)?/, '').replace(/^\/\//, '').replace(/\/$/, '');
  return bare(text) === bare(url);
}
