// HTML5 → XHTML for EPUB content documents. The page is parsed the way a browser parses it (parse5, the parser of
// hast-util-from-html), then written back as XML: every element closed (`<br/>`), every attribute with a value
// (`hidden=""`), text escaped with numeric character references only (never `&nbsp;`), characters XML forbids dropped,
// comments dropped, `xml:lang` beside every `lang`, and the namespaces declared (XHTML, epub:, SVG, MathML, xlink).
import { parse, parseFragment, type DefaultTreeAdapterTypes } from 'parse5';

export type HtmlDocument = DefaultTreeAdapterTypes.Document;
export type HtmlElement = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;
type ChildNode = DefaultTreeAdapterTypes.ChildNode;

const NS = {
  html: 'http://www.w3.org/1999/xhtml',
  svg: 'http://www.w3.org/2000/svg',
  mathml: 'http://www.w3.org/1998/Math/MathML',
  xlink: 'http://www.w3.org/1999/xlink',
  xml: 'http://www.w3.org/XML/1998/namespace',
  epub: 'http://www.idpf.org/2007/ops',
} as const;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Characters XML 1.0 does not allow anywhere (controls, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
// (With the u flag a surrogate in the class matches only when it stands alone: a pair is one code point.)
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const XML_NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;

/** A whole HTML5 page, parsed as a browser would (scripting off: <noscript> content is markup). */
export function parseHtmlDocument(html: string): HtmlDocument {
  return parse(html, { scriptingEnabled: false });
}

/** The page as an XHTML document: XML declaration, `<!DOCTYPE html>`, the html element with its namespaces. */
export function serializeXhtml(doc: HtmlDocument): string {
  const root = doc.childNodes.find((n): n is HtmlElement => 'tagName' in n && n.tagName === 'html');
  if (!root) throw new Error('no <html> element');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n${serializeElement(root, NS.html, true)}\n`;
}

/** An HTML fragment (quiz feedback, a question) as XHTML markup in the XHTML namespace, for a script to insert. */
export function fragmentToXhtml(html: string): string {
  const fragment = parseFragment(html, { scriptingEnabled: false });
  return fragment.childNodes.map((n) => serializeNode(n, NS.html)).join('');
}

export function isElement(node: ChildNode | ParentNode): node is HtmlElement {
  return 'tagName' in node;
}

/** Every element under node, in document order (a snapshot: the tree may be changed while going through it). */
export function elementsOf(node: ParentNode): HtmlElement[] {
  const found: HtmlElement[] = [];
  const walk = (parent: ParentNode): void => {
    for (const child of parent.childNodes) {
      if (!isElement(child)) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(node);
  return found;
}

export function getAttribute(element: HtmlElement, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name && !a.prefix)?.value;
}

export function setAttribute(element: HtmlElement, name: string, value: string): void {
  const found = element.attrs.find((a) => a.name === name && !a.prefix);
  if (found) found.value = value;
  else element.attrs.push({ name, value });
}

export function removeAttribute(element: HtmlElement, name: string): void {
  element.attrs = element.attrs.filter((a) => a.name !== name || a.prefix);
}

/** Replaces an element by its children (a link that leads nowhere in the book keeps its text). */
export function unwrapElement(element: HtmlElement): void {
  const parent = element.parentNode;
  if (!parent) return;
  const at = parent.childNodes.indexOf(element);
  for (const child of element.childNodes) child.parentNode = parent;
  parent.childNodes.splice(at, 1, ...element.childNodes);
}

/** Replaces an element by a text node. */
export function replaceWithText(element: HtmlElement, text: string): void {
  const parent = element.parentNode;
  if (!parent) return;
  const node: DefaultTreeAdapterTypes.TextNode = { nodeName: '#text', value: text, parentNode: parent };
  parent.childNodes.splice(parent.childNodes.indexOf(element), 1, node);
}

/** Plain text of an element (text nodes only). */
export function textOf(node: ParentNode): string {
  return node.childNodes.map((c) => ('value' in c && c.nodeName === '#text' ? c.value : isElement(c) ? textOf(c) : '')).join('');
}

function serializeNode(node: ChildNode, parentNamespace: string): string {
  if (node.nodeName === '#text') return escapeText((node as DefaultTreeAdapterTypes.TextNode).value);
  if (isElement(node)) return serializeElement(node, parentNamespace, false);
  return ''; // comments, doctypes inside the body
}

function serializeElement(element: HtmlElement, parentNamespace: string, isRoot: boolean): string {
  const namespace = element.namespaceURI;
  const attributes: string[] = [];
  const names = new Set<string>();
  const add = (name: string, value: string): void => {
    if (names.has(name)) return;
    names.add(name);
    attributes.push(` ${name}="${escapeAttribute(value)}"`);
  };
  if (isRoot) {
    add('xmlns', NS.html);
    add('xmlns:epub', NS.epub);
  } else if (namespace !== parentNamespace) add('xmlns', namespace);
  if (namespace === NS.svg && parentNamespace !== NS.svg && hasXlink(element)) add('xmlns:xlink', NS.xlink);
  for (const attr of element.attrs) {
    const name = attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name;
    if (name === 'xmlns' || name.startsWith('xmlns:') || !XML_NAME.test(name)) continue;
    add(name, attr.value);
  }
  // XHTML: xml:lang beside lang, the same value (both are needed for XML and HTML reading systems alike)
  const lang = element.attrs.find((a) => a.name === 'lang' && !a.prefix)?.value;
  if (namespace === NS.html && lang !== undefined) add('xml:lang', lang);
  const name = element.tagName;
  const children = element.tagName === 'template' ? [] : element.childNodes;
  if (namespace === NS.html && VOID.has(name)) return `<${name}${attributes.join('')}/>`;
  if (!children.length) return namespace === NS.html ? `<${name}${attributes.join('')}></${name}>` : `<${name}${attributes.join('')}/>`;
  return `<${name}${attributes.join('')}>${children.map((c) => serializeNode(c, namespace)).join('')}</${name}>`;
}

function hasXlink(element: HtmlElement): boolean {
  return element.attrs.some((a) => a.prefix === 'xlink') || element.childNodes.some((c) => isElement(c) && hasXlink(c));
}

// Numeric references only: even XML's own named entities are reported by epubcheck (HTM-006, a usage note).
function escapeText(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<]|(?<=\]\])>/g, (c) => `&#${c.charCodeAt(0)};`);
}

function escapeAttribute(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
