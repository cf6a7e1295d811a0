import { XmlElement, XmlText, XmlCData, type XmlDocument } from 'libxml2-wasm';
import { startTagLines } from '../xml/xsd.js';

// A plain copy of a parsed document (names, attributes, text, lines), so the checks are ordinary JavaScript
// and the libxml2 document can be freed (or edited for validation) independently.

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

export interface XNode {
  /** Namespace URI ('' for none) and local name. */
  ns: string;
  name: string;
  line: number;
  /** Attributes by local name; namespaced ones as `{uri}name`. */
  attrs: ReadonlyMap<string, string>;
  children: XNode[];
  /** Concatenated text directly inside the element, trimmed. */
  text: string;
}

/** The tree of a parsed document; `source` (its text) moves each element's line to where its start tag begins. */
export function toTree(doc: XmlDocument, source?: string): XNode {
  const tree = copy(doc.root);
  if (source !== undefined) {
    const startLine = startTagLines(source);
    for (const { node } of walk(tree)) node.line = startLine(node.line, node.name);
  }
  return tree;
}

/** The text of XML bytes, for line lookups: UTF-16 when a byte-order mark says so, else UTF-8 (ASCII-compatible encodings line up). */
export function xmlText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

function copy(element: XmlElement): XNode {
  const attrs = new Map<string, string>();
  for (const attr of element.attrs) attrs.set(attr.namespaceUri ? `{${attr.namespaceUri}}${attr.name}` : attr.name, attr.value);
  const children: XNode[] = [];
  let text = '';
  for (let child = element.firstChild; child; child = child.next) {
    if (child instanceof XmlElement) children.push(copy(child));
    else if (child instanceof XmlText || child instanceof XmlCData) text += child.content;
  }
  return { ns: element.namespaceUri, name: element.name, line: element.line, attrs, children, text: text.trim() };
}

/** Every element of the tree, depth first, with its ancestors (outermost first). */
export function* walk(node: XNode, ancestors: XNode[] = []): Generator<{ node: XNode; ancestors: readonly XNode[] }> {
  yield { node, ancestors };
  const inner = [...ancestors, node];
  for (const child of node.children) yield* walk(child, inner);
}

export function childrenNamed(node: XNode, ns: string, name: string): XNode[] {
  return node.children.filter((c) => c.ns === ns && c.name === name);
}

/** Removes, in the libxml2 document, every element of the given namespaces (their subtrees go too); returns what went. */
export function removeElementsIn(doc: XmlDocument, namespaces: ReadonlySet<string>): { name: string; line: number }[] {
  const removed: { name: string; line: number }[] = [];
  const visit = (element: XmlElement): void => {
    let child = element.firstChild;
    while (child) {
      const next = child.next;
      if (child instanceof XmlElement) {
        if (namespaces.has(child.namespaceUri)) {
          removed.push({ name: child.name, line: child.line });
          child.remove();
        } else visit(child);
      }
      child = next;
    }
  };
  visit(doc.root);
  return removed;
}
