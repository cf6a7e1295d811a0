// Lesson HTML made for paper: headings one level down (the lesson title is the page's h2), no ids that would repeat
// across lessons, links a reader cannot click turned into text ("(Lesson 4)" for a link to another lesson, the address
// after an external link), and pictures of other files replaced by their description.
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';

export interface ProseContext {
  /** Lesson id → its number in the handout. */
  lessonNumbers: ReadonlyMap<string, number>;
  /** "Bài {n}" in the handout's language. */
  lessonLabel: (n: number) => string;
}

const EXTERNAL = /^(https?:|mailto:|tel:)/i;

export function printProse(html: string, context: ProseContext): string {
  const tree = fromHtml(html, { fragment: true });
  transformChildren(tree, context);
  return toHtml(tree);
}

function transformChildren(parent: Root | Element, context: ProseContext): void {
  const out: (RootContent | ElementContent)[] = [];
  for (const node of parent.children) out.push(...transform(node, context));
  parent.children = out as typeof parent.children;
}

function text(value: string): ElementContent {
  return { type: 'text', value };
}

function span(className: string, value: string): Element {
  return { type: 'element', tagName: 'span', properties: { className: [className] }, children: [text(value)] };
}

function textOf(node: RootContent | ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

function transform(node: RootContent | ElementContent, context: ProseContext): (RootContent | ElementContent)[] {
  if (node.type !== 'element') return [node];
  transformChildren(node, context);
  const heading = /^h([1-6])$/.exec(node.tagName);
  if (heading) {
    node.tagName = `h${Math.min(6, Number(heading[1]) + 1)}`;
    delete node.properties.id;
    return [node];
  }
  if (node.tagName === 'a') {
    const href = typeof node.properties.href === 'string' ? node.properties.href : '';
    if (EXTERNAL.test(href)) {
      const shown = href.replace(/^(mailto|tel):/i, '');
      const label = textOf(node).trim();
      return label === shown || label === href ? [node] : [node, span('link-url', ` (${shown})`)];
    }
    const lesson = /^(?:\.\/)?([^/#?]+)\.html(?:[#?].*)?$/.exec(href)?.[1];
    const n = lesson !== undefined ? context.lessonNumbers.get(decodeURIComponent(lesson)) : undefined;
    return n === undefined ? node.children : [...node.children, span('lesson-ref', ` (${context.lessonLabel(n)})`)];
  }
  if (node.tagName === 'img') {
    const src = typeof node.properties.src === 'string' ? node.properties.src : '';
    if (!/^data:/i.test(src)) {
      const alt = typeof node.properties.alt === 'string' ? node.properties.alt : '';
      return alt ? [span('image-alt', `[${alt}]`)] : [];
    }
  }
  if (node.tagName === 'input' && node.properties.type === 'checkbox') node.properties.disabled = true;
  if (node.properties.id !== undefined) delete node.properties.id;
  return [node];
}
