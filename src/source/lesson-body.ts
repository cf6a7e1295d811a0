import { statSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Root as HastRoot, Nodes as HastNodes } from 'hast';
import { raw } from 'hast-util-raw';
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Heading, Image, Link, ListItem, Nodes, Paragraph, Root, RootContent } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import { toHast } from 'mdast-util-to-hast';
import { toString } from 'mdast-util-to-string';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { fileHrefFromLesson, lessonHrefFromLesson } from '../model/layout.js';
import { CALLOUT_VARIANTS, QUIZ_TYPES, type Block, type CalloutVariant, type Choice, type MediaFile, type QuizType, type SourceLocation } from '../model/course.js';
import { isInside } from '../paths.js';
import { parseMarkdown } from './markdown.js';
import { findSourceFile } from './text-file.js';

export interface LessonBodyInput {
  /** Markdown after the front matter. */
  body: string;
  /** 1-based line of the lesson file where the body starts. */
  bodyLine: number;
  /** The lesson file as shown to users. */
  displayFile: string;
  /** Absolute path of the lesson file. */
  lessonFile: string;
  /** Absolute path of the course folder. */
  courseRoot: string;
  /** Absolute path of each lesson file of the course → its lesson id, to turn .md links into page links. */
  lessonIds: Record<string, string>;
}

export type ReferenceKind = 'link' | 'image' | 'audio' | 'video' | 'captions' | 'poster';

/** What a link or media path in the lesson points at, once resolved against the course folder. */
export type Resolution =
  | { to: 'external' }
  | { to: 'anchor'; anchor: string }
  | { to: 'lesson'; lessonFile: string; anchor?: string }
  | { to: 'file'; path: string }
  | { to: 'outside' }
  | { to: 'missing'; path: string }
  | { to: 'unsafe' }
  | { to: 'remote' };

export interface Reference {
  kind: ReferenceKind;
  url: string;
  at: SourceLocation;
  resolution: Resolution;
  /** Images only: the alt text. */
  alt?: string;
}

export interface HeadingFact {
  depth: number;
  text: string;
  slug: string;
  at: SourceLocation;
}

export interface RawHtmlFact {
  html: string;
  at: SourceLocation;
}

export interface CompiledLessonBody {
  blocks: Block[];
  references: Reference[];
  headings: HeadingFact[];
  rawHtml: RawHtmlFact[];
  /** Structural problems found while building the model (the checks in src/check judge the rest). */
  problems: Diagnostic[];
}

const MEDIA_DIRECTIVES = new Set(['audio', 'video']);
const KNOWN_DIRECTIVES = new Set<string>([...CALLOUT_VARIANTS, 'steps', 'quiz', ...MEDIA_DIRECTIVES]);

// GitHub's sanitizer rules, plus the classes hocso's own markup needs (code languages, task lists).
const sanitizeSchema: Schema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    code: [...(defaultSchema.attributes?.code ?? []), ['className', /^language-[\w-]+$/]],
  },
};

/** Compiles a lesson body to model blocks, resolving every link and media path on the way. Pure but for file-existence checks. */
export function compileLessonBody(input: LessonBodyInput): CompiledLessonBody {
  return new LessonBodyCompiler(input).compile();
}

class LessonBodyCompiler {
  private readonly references: Reference[] = [];
  private readonly headings: HeadingFact[] = [];
  private readonly rawHtml: RawHtmlFact[] = [];
  private readonly problems: Diagnostic[] = [];
  private readonly slugger = new GithubSlugger();

  constructor(private readonly input: LessonBodyInput) {}

  compile(): CompiledLessonBody {
    const tree = parseMarkdown(this.input.body);
    const blocks = this.blocksOf(tree.children, true);
    return { blocks, references: this.references, headings: this.headings, rawHtml: this.rawHtml, problems: this.problems };
  }

  private at(node: { position?: { start: { line: number; column: number } } | undefined }): SourceLocation {
    const start = node.position?.start;
    return {
      file: this.input.displayFile,
      line: (start?.line ?? 1) + this.input.bodyLine - 1,
      column: start?.column ?? 1,
    };
  }

  /** Top-level (or callout / step) content: directives become structured blocks, runs of other nodes one prose block. */
  private blocksOf(nodes: readonly RootContent[], allowQuiz: boolean): Block[] {
    const blocks: Block[] = [];
    let prose: RootContent[] = [];
    const flush = (): void => {
      if (prose.length) blocks.push({ kind: 'prose', html: this.html(prose) });
      prose = [];
    };
    for (const node of nodes) {
      if (!isStructured(node)) {
        prose.push(node);
        continue;
      }
      flush();
      const structured = this.structuredBlock(node, allowQuiz);
      if (structured) blocks.push(structured);
    }
    flush();
    return blocks;
  }

  /** A block for a directive or a lone image; null for a directive that produced only a diagnostic. */
  private structuredBlock(node: RootContent, allowQuiz: boolean): Block | null {
    if (node.type === 'paragraph') return this.figure(node);
    if (node.type !== 'containerDirective' && node.type !== 'leafDirective') return null;
    const name = node.name;
    if (!KNOWN_DIRECTIVES.has(name)) {
      this.problems.push(diagnose('directive/unknown', this.at(node), `unknown directive \`${name}\``));
      return null;
    }
    if (node.type === 'leafDirective') {
      if (MEDIA_DIRECTIVES.has(name)) return this.media(node);
      this.problems.push(diagnose('directive/unknown', this.at(node), `\`::${name}\` needs three colons and a closing \`:::\``, { hint: `Write :::${name} … ::: around its content.` }));
      return null;
    }
    if ((CALLOUT_VARIANTS as readonly string[]).includes(name)) return this.callout(node, name as CalloutVariant, allowQuiz);
    if (name === 'steps') return this.steps(node, allowQuiz);
    if (name === 'quiz') {
      if (!allowQuiz) {
        this.problems.push(diagnose('directive/misplaced', this.at(node), 'a quiz cannot be nested inside another quiz'));
        return null;
      }
      return this.quiz(node);
    }
    this.problems.push(diagnose('directive/unknown', this.at(node), `\`${name}\` is a one-line directive: write \`::${name}{…}\``));
    return null;
  }

  /** A lone image; null when its file is unusable (the reference is already recorded as a problem). */
  private figure(paragraph: Paragraph): Block | null {
    const image = loneImage(paragraph)!;
    const file = this.mediaFile('image', image.url, this.at(image), image.alt ?? '');
    if (!file) return null;
    return {
      kind: 'figure',
      src: file,
      alt: image.alt ?? '',
      ...(image.title ? { captionHtml: escapeHtml(image.title) } : {}),
    };
  }

  private callout(node: ContainerDirective, variant: CalloutVariant, allowQuiz: boolean): Block {
    const [first, ...rest] = node.children;
    const hasLabel = first?.type === 'paragraph' && (first.data as { directiveLabel?: boolean } | undefined)?.directiveLabel;
    const titleHtml = hasLabel ? this.inlineHtml(first.children) : undefined;
    const content = hasLabel ? rest : node.children;
    return { kind: 'callout', variant, ...(titleHtml ? { titleHtml } : {}), blocks: this.blocksOf(content as RootContent[], allowQuiz) };
  }

  private steps(node: ContainerDirective, allowQuiz: boolean): Block | null {
    const list = node.children.find((c) => c.type === 'list');
    if (!list || list.type !== 'list') {
      this.problems.push(diagnose('steps/no-list', this.at(node), 'the steps have no numbered list'));
      return null;
    }
    return { kind: 'steps', steps: list.children.map((item) => this.blocksOf(item.children as RootContent[], allowQuiz)) };
  }

  private media(node: LeafDirective): Block | null {
    const attributes = node.attributes ?? {};
    const kind = node.name as 'audio' | 'video';
    const at = this.at(node);
    if (!attributes.src) {
      this.problems.push(diagnose('media/src-missing', at, `the ${kind} has no src`));
      return null;
    }
    const src = this.mediaFile(kind, attributes.src, at);
    if (!src) return null;
    const captions = attributes.captions ? this.mediaFile('captions', attributes.captions, at) : undefined;
    const poster = attributes.poster ? this.mediaFile('poster', attributes.poster, at) : undefined;
    if (!attributes.captions) {
      this.problems.push(diagnose('media/captions-missing', at, `the ${kind} \`${attributes.src}\` has no captions`));
    }
    const title = attributes.title?.trim() || toString(node).trim() || undefined;
    return { kind, src, ...(captions ? { captions } : {}), ...(poster ? { poster } : {}), ...(title ? { title } : {}) };
  }

  private quiz(node: ContainerDirective): Block | null {
    const at = this.at(node);
    const id = node.attributes?.id?.trim();
    const typeAttribute = node.attributes?.type?.trim() || 'single';
    if (!id) {
      this.problems.push(diagnose('quiz/missing-id', at, 'the quiz has no id'));
    }
    if (!(QUIZ_TYPES as readonly string[]).includes(typeAttribute)) {
      this.problems.push(diagnose('quiz/unknown-type', at, `unknown quiz type \`${typeAttribute}\``));
      return null;
    }
    const type = typeAttribute as QuizType;
    const listIndex = node.children.findIndex((c) => c.type === 'list' && c.children.some((item) => item.checked !== null && item.checked !== undefined));
    const question = node.children.slice(0, listIndex === -1 ? node.children.length : listIndex);
    const list = listIndex === -1 ? undefined : node.children[listIndex];
    const after = listIndex === -1 ? [] : node.children.slice(listIndex + 1);
    if (question.length === 0) {
      this.problems.push(diagnose('quiz/no-question', at, `quiz \`${id ?? '?'}\` has no question before its choices`));
    }
    if (!list || list.type !== 'list') {
      this.problems.push(diagnose('quiz/no-choices', at, `quiz \`${id ?? '?'}\` has no task list of choices`));
      return null;
    }
    for (const stray of after) {
      this.problems.push(diagnose('quiz/stray-content', this.at(stray), `content after the choices of quiz \`${id ?? '?'}\` is ignored`));
    }
    if (!id) return null;
    const choices = list.children.map((item, index) => this.choice(item, index, type));
    return {
      kind: 'quiz',
      quiz: {
        id,
        type,
        questionHtml: this.html(question as RootContent[]),
        questionText: question.map((n) => toString(n)).join(' ').replace(/\s+/g, ' ').trim(),
        choices,
        at,
      },
    };
  }

  private choice(item: ListItem, index: number, type: QuizType): Choice {
    const [label, ...feedback] = item.children;
    const feedbackNodes = feedback.flatMap((n) => (n.type === 'blockquote' ? n.children : [n]));
    const id = choiceId(type, index);
    const labelChildren = label?.type === 'paragraph' ? label.children : [];
    return {
      id,
      html: this.inlineHtml(labelChildren),
      text: label ? toString(label).trim() : '',
      correct: item.checked === true,
      ...(feedbackNodes.length ? { feedbackHtml: this.html(feedbackNodes as RootContent[]) } : {}),
      at: this.at(item),
    };
  }

  private inlineHtml(children: Paragraph['children']): string {
    const html = this.html([{ type: 'paragraph', children }]);
    return html.replace(/^<p>/, '').replace(/<\/p>$/, '');
  }

  /** Rewrites links, records facts, then mdast → hast → sanitized HTML. */
  private html(nodes: readonly RootContent[]): string {
    const root: Root = { type: 'root', children: nodes.map((n) => this.prepare(n)) as Root['children'] };
    let hast = toHast(root, { allowDangerousHtml: true }) as HastRoot;
    if (this.hasRaw(hast)) hast = raw(hast) as HastRoot;
    const clean = sanitize(hast, sanitizeSchema) as HastRoot;
    this.addHeadingIds(clean);
    return toHtml(clean).trim();
  }

  /** Records facts about a node and everything under it, rewriting URLs to their place in the bundle. */
  private prepare<T extends Nodes>(node: T): T {
    switch (node.type) {
      case 'heading':
        this.recordHeading(node);
        break;
      case 'link':
        node.url = this.rewriteLink(node);
        break;
      case 'image': {
        const file = this.mediaFile('image', node.url, this.at(node), node.alt ?? '');
        node.url = file ? fileHrefFromLesson(file.path) : '';
        break;
      }
      case 'html':
        this.rawHtml.push({ html: node.value, at: this.at(node) });
        break;
      case 'textDirective':
        return restoreTextDirective(node) as unknown as T;
      case 'leafDirective':
      case 'containerDirective':
        this.problems.push(diagnose('directive/misplaced', this.at(node), `\`${node.name}\` cannot stand inside ${node.type === 'leafDirective' ? 'a paragraph, list or quote' : 'this block'}`));
        return { type: 'paragraph', children: [] } as unknown as T;
    }
    if ('children' in node) {
      (node as { children: Nodes[] }).children = (node.children as Nodes[]).map((c) => this.prepare(c));
    }
    return node;
  }

  private recordHeading(node: Heading): void {
    const text = toString(node).trim();
    const slug = this.slugger.slug(text);
    this.headings.push({ depth: node.depth, text, slug, at: this.at(node) });
  }

  private addHeadingIds(tree: HastRoot): void {
    const visit = (node: HastNodes): void => {
      if (node.type === 'element' && /^h[1-6]$/.test(node.tagName)) {
        const slug = this.headingSlugs.shift();
        if (slug) node.properties = { ...node.properties, id: slug };
      }
      if ('children' in node) for (const child of node.children) visit(child as HastNodes);
    };
    this.headingSlugs = this.headings.slice(this.headingCursor).map((h) => h.slug);
    this.headingCursor = this.headings.length;
    visit(tree);
  }

  private headingSlugs: string[] = [];
  private headingCursor = 0;

  private hasRaw(node: HastNodes): boolean {
    if (node.type === 'raw') return true;
    return 'children' in node && (node.children as HastNodes[]).some((c) => this.hasRaw(c));
  }

  private rewriteLink(node: Link): string {
    const resolution = this.resolve(node.url, 'link');
    this.references.push({ kind: 'link', url: node.url, at: this.at(node), resolution });
    switch (resolution.to) {
      case 'external':
        return node.url;
      case 'anchor':
        return `#${resolution.anchor}`;
      case 'lesson': {
        const id = this.input.lessonIds[resolution.lessonFile] ?? '';
        return lessonHrefFromLesson(id) + (resolution.anchor ? `#${resolution.anchor}` : '');
      }
      case 'file':
        return fileHrefFromLesson(resolution.path);
      default:
        return '#';
    }
  }

  /** Records a media reference; returns the file when it is inside the course and exists. */
  private mediaFile(kind: ReferenceKind, url: string, at: SourceLocation, alt?: string): MediaFile | undefined {
    const resolution = this.resolve(url, kind);
    this.references.push({ kind, url, at, resolution, ...(alt !== undefined ? { alt } : {}) });
    return resolution.to === 'file' ? { path: resolution.path, at } : undefined;
  }

  private resolve(url: string, kind: ReferenceKind): Resolution {
    return resolveReference(url, kind, this.input);
  }
}

/** Where a link or media path written in a lesson leads: a course file, another lesson, outside, missing, unsafe … */
export function resolveReference(url: string, kind: ReferenceKind, input: Pick<LessonBodyInput, 'lessonFile' | 'courseRoot' | 'lessonIds'>): Resolution {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme) {
    if (kind === 'link' && ['http', 'https', 'mailto', 'tel'].includes(scheme)) return { to: 'external' };
    if (kind !== 'link' && (scheme === 'http' || scheme === 'https')) return { to: 'remote' };
    return { to: 'unsafe' };
  }
  if (trimmed.startsWith('//')) return kind === 'link' ? { to: 'external' } : { to: 'remote' };
  if (trimmed.startsWith('#') && kind === 'link') return { to: 'anchor', anchor: trimmed.slice(1) };
  const [pathPart = '', anchor] = trimmed.split('#', 2);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart.split('?')[0]!).normalize('NFC');
  } catch {
    decoded = pathPart;
  }
  if (decoded === '' || decoded.includes('\0')) return { to: 'missing', path: decoded };
  const absolute = path.resolve(path.dirname(input.lessonFile), decoded);
  if (path.isAbsolute(decoded) || !isInside(absolute, input.courseRoot)) return { to: 'outside' };
  const coursePath = path.relative(input.courseRoot, absolute).split(path.sep).join('/');
  if (kind === 'link' && input.lessonIds[absolute] !== undefined) {
    return { to: 'lesson', lessonFile: absolute, ...(anchor ? { anchor } : {}) };
  }
  const onDisk = findSourceFile(absolute);
  if (!onDisk || !statSync(onDisk).isFile()) return { to: 'missing', path: coursePath };
  return { to: 'file', path: coursePath };
}

/** Directives and paragraphs holding nothing but an image become blocks of their own; the rest is prose. */
function isStructured(node: RootContent): boolean {
  return node.type === 'containerDirective' || node.type === 'leafDirective' || (node.type === 'paragraph' && loneImage(node) !== undefined);
}

function loneImage(paragraph: Paragraph): Image | undefined {
  const meaningful = paragraph.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  const first = meaningful[0];
  return meaningful.length === 1 && first?.type === 'image' ? first : undefined;
}

/** A choice's id by its position: true/false for a true-false question, else a … z, aa, ab … (translation segments use them too). */
export function choiceId(type: string, index: number): string {
  return type === 'truefalse' ? (index === 0 ? 'true' : index === 1 ? 'false' : `choice-${index + 1}`) : choiceLetter(index);
}

function choiceLetter(index: number): string {
  let id = '';
  let n = index;
  do {
    id = String.fromCharCode(97 + (n % 26)) + id;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return id;
}

/** A `:word` inside a sentence is text, not a directive: authors never write text directives. */
function restoreTextDirective(node: TextDirective): { type: 'text'; value: string } {
  const label = node.children.length ? `[${toString(node)}]` : '';
  return { type: 'text', value: `:${node.name}${label}` };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
