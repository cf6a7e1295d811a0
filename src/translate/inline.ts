import type { PhrasingContent, RootContent } from 'mdast';
import { parseMarkdown } from '../source/markdown.js';

// A translatable text is a sequence of plain text and placeholders for the Markdown around and between words.
// A translator sees `Mã <1>OTP</1> là <2/>` (PO) or `<pc>`/`<ph>` (XLIFF) and cannot break the Markdown: the
// originals (`**`, `` `code` ``, `](url)`) are put back on import exactly as the source wrote them.

/** What a placeholder stands for, for XLIFF's `type`/`subType` and the translator's notes. */
/** `voice`: a WebVTT speaker tag (`<v Name>`), `timestamp`: a WebVTT karaoke timestamp (`<00:01.500>`). */
export type InlineKind = 'strong' | 'emphasis' | 'delete' | 'link' | 'image' | 'code' | 'html' | 'break' | 'voice' | 'timestamp' | 'other';

export interface TextPart {
  kind: 'text';
  text: string;
}

/** A standalone code: inline code, raw HTML, a hard line break. Not translatable. */
export interface PhPart {
  kind: 'ph';
  id: string;
  what: InlineKind;
  original: string;
}

/** A paired code around translatable text: emphasis, strong, links, an inline image's alt text. */
export interface PcPart {
  kind: 'pc';
  id: string;
  what: InlineKind;
  open: string;
  close: string;
  children: Part[];
}

export type Part = TextPart | PhPart | PcPart;

interface Positioned {
  position?: { start: { offset?: number }; end: { offset?: number } } | undefined;
}

function range(node: Positioned): [number, number] {
  return [node.position?.start.offset ?? 0, node.position?.end.offset ?? 0];
}

/** Collapses soft line breaks and runs of spaces, as a translator should see them. */
export function normalizeSpace(text: string): string {
  return text.replace(/[ \t]*\n[ \t]*/g, ' ').replace(/[ \t]{2,}/g, ' ');
}

/**
 * The parts of inline content (the children of a paragraph, heading or table cell), numbering placeholders from
 * `next`. `source` is the Markdown the positions point into.
 */
export function inlineParts(nodes: readonly PhrasingContent[], source: string, counter = { next: 1 }): Part[] {
  const parts: Part[] = [];
  const pushText = (text: string): void => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += text;
    else parts.push({ kind: 'text', text });
  };
  for (const node of nodes) {
    const [start, end] = range(node);
    switch (node.type) {
      case 'text':
        pushText(normalizeSpace(node.value));
        break;
      case 'inlineCode':
        parts.push({ kind: 'ph', id: String(counter.next++), what: 'code', original: source.slice(start, end) });
        break;
      case 'html':
        parts.push({ kind: 'ph', id: String(counter.next++), what: 'html', original: source.slice(start, end) });
        break;
      case 'break':
        parts.push({ kind: 'ph', id: String(counter.next++), what: 'break', original: source.slice(start, end) });
        break;
      case 'image': {
        // The alt text is translated in place; the path and title stay as written.
        const raw = source.slice(start, end);
        const close = labelEnd(raw, 1);
        if (raw.startsWith('![') && close > 0) {
          const id = String(counter.next++);
          const alt = unescapeMarkdown(raw.slice(2, close));
          parts.push({ kind: 'pc', id, what: 'image', open: '![', close: raw.slice(close), children: alt ? [{ kind: 'text', text: normalizeSpace(alt) }] : [] });
        } else {
          parts.push({ kind: 'ph', id: String(counter.next++), what: 'image', original: raw });
        }
        break;
      }
      case 'textDirective':
        // `:word` in a sentence is text (see lesson-body.ts): keep it as the author wrote it.
        pushText(normalizeSpace(source.slice(start, end)));
        break;
      default: {
        const children = 'children' in node ? (node.children as PhrasingContent[]) : [];
        if (children.length === 0) {
          parts.push({ kind: 'ph', id: String(counter.next++), what: 'other', original: source.slice(start, end) });
          break;
        }
        const [firstStart] = range(children[0]!);
        const [, lastEnd] = range(children[children.length - 1]!);
        const id = String(counter.next++);
        const what: InlineKind = node.type === 'strong' || node.type === 'emphasis' || node.type === 'delete' || node.type === 'link' ? node.type : node.type === 'linkReference' ? 'link' : 'other';
        parts.push({ kind: 'pc', id, what, open: source.slice(start, firstStart), close: source.slice(lastEnd, end), children: inlineParts(children, source, counter) });
      }
    }
  }
  return trimParts(parts);
}

/** Leading and trailing spaces of the whole unit go (they are Markdown layout, not text). */
function trimParts(parts: Part[]): Part[] {
  const first = parts[0];
  if (first?.kind === 'text') first.text = first.text.replace(/^\s+/, '');
  const last = parts[parts.length - 1];
  if (last?.kind === 'text') last.text = last.text.replace(/\s+$/, '');
  return parts.filter((p) => p.kind !== 'text' || p.text !== '');
}

/** Where the `[…]` label that starts at `open` ends (the index of its `]`), honouring escapes and nesting; -1 if never. */
export function labelEnd(raw: string, open: number): number {
  let depth = 0;
  for (let i = open; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

/** Backslash escapes of ASCII punctuation removed, as CommonMark reads them. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Plain text of the parts (placeholders' text included, a line break as a space), for lengths and previews. */
export function plainText(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'pc' ? plainText(p.children) : p.what === 'code' ? p.original.replace(/^`+\s?|\s?`+$/g, '') : p.what === 'break' ? ' ' : '')).join('');
}

/** Every placeholder of the parts, depth first. */
export function placeholders(parts: readonly Part[]): (PhPart | PcPart)[] {
  const out: (PhPart | PcPart)[] = [];
  for (const p of parts) {
    if (p.kind === 'text') continue;
    out.push(p);
    if (p.kind === 'pc') out.push(...placeholders(p.children));
  }
  return out;
}

/** The key a hash is computed over: text NFC-normalized, placeholders by what they hold, never by number. */
export function canonicalParts(parts: readonly Part[]): unknown[] {
  return parts.map((p) => (p.kind === 'text' ? p.text.normalize('NFC') : p.kind === 'ph' ? ['ph', p.what === 'break' ? '\n' : p.original.normalize('NFC')] : ['pc', p.open.normalize('NFC'), canonicalParts(p.children), p.close.normalize('NFC')]));
}

// ---------------------------------------------------------------------------------------------------------------
// Writing parts back as Markdown.

export type WriteContext = 'inline' | 'heading' | 'table-cell';

/** Escapes as little as needed (readable variants), else everything that could be Markdown. */
function escapeText(text: string, context: WriteContext, full: boolean): string {
  let out = full
    ? text.replace(/[\\`*_[\]<>&~|]/g, '\\$&').replace(/^([#+\-=>]|\d+[.)])/, (m) => m.replace(/([#+\-=>.)])/, '\\$1'))
    : text.replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\').replace(/<(?=[A-Za-z/!?])/g, '\\<').replace(/&(?=#?\w+;)/g, '\\&');
  if (context === 'table-cell' && !full) out = out.replace(/\|/g, '\\|');
  if (context === 'heading' && full) out = out.replace(/#(?=#*\s*$)/, '\\#');
  return out;
}

function renderParts(parts: readonly Part[], context: WriteContext, full: boolean): string {
  return parts
    .map((p) => (p.kind === 'text' ? escapeText(p.text, context, full) : p.kind === 'ph' ? p.original : p.open + (p.what === 'image' ? escapeAlt(plainText(p.children)) : renderParts(p.children, context, full)) + p.close))
    .join('');
}

/**
 * Markdown for the parts, to stand where the unit's inline content stood. Checked by parsing it back: when the
 * light escaping would let the text turn into markup (a `*` pair, a leading `1.`), everything is escaped.
 */
export function renderMarkdown(parts: readonly Part[], context: WriteContext): string {
  const light = renderParts(parts, context, false);
  if (readsBack(light, parts, context)) return light;
  return renderParts(parts, context, true);
}

function readsBack(markdown: string, parts: readonly Part[], context: WriteContext): boolean {
  const wrapped = context === 'heading' ? `## ${markdown}` : context === 'table-cell' ? `| ${markdown} |\n| --- |` : markdown;
  const tree = parseMarkdown(wrapped);
  if (tree.children.length !== 1) return false;
  const block = tree.children[0] as RootContent;
  let inline: PhrasingContent[] | undefined;
  if (context === 'heading' && block.type === 'heading') inline = block.children;
  else if (context === 'table-cell' && block.type === 'table') inline = block.children[0]?.children[0]?.children;
  else if (context === 'inline' && block.type === 'paragraph') inline = block.children;
  if (!inline) return false;
  return JSON.stringify(canonicalParts(inlineParts(inline, wrapped))) === JSON.stringify(canonicalParts(parts));
}

/** An image's alt text inside `![…]`. */
export function escapeAlt(text: string): string {
  return text.replace(/[\\[\]]/g, '\\$&');
}

/** A link or image title inside the quote character that delimits it. */
export function escapeTitle(text: string, quote: string): string {
  const closer = quote === '(' ? ')' : quote;
  return text.replace(/\\/g, '\\\\').replace(new RegExp(`[${closer === ')' ? '()' : closer}]`, 'g'), '\\$&');
}

/** A directive attribute value, written between double quotes. */
export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
