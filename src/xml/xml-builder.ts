// A tiny XML writer for manifests and metadata: elements as plain data, serialized with stable indentation so the
// same model always gives the same bytes.

export interface XmlElement {
  name: string;
  attributes: Record<string, string | number | boolean | undefined>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** An element; undefined attributes and false/undefined children are left out, so optional parts read inline. */
export function el(name: string, attributes: XmlElement['attributes'] = {}, ...children: (XmlNode | XmlNode[] | false | undefined)[]): XmlElement {
  return { name, attributes, children: children.flat().filter((c): c is XmlNode => c !== false && c !== undefined) };
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function xmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root, '')}\n`;
}

function serialize(node: XmlElement, indent: string): string {
  const attributes = Object.entries(node.attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  if (!node.children.length) return `${indent}<${node.name}${attributes}/>`;
  // Text content stays on the element's line: whitespace inside a text value would change it.
  if (node.children.every((c) => typeof c === 'string')) return `${indent}<${node.name}${attributes}>${escapeXml(node.children.join(''))}</${node.name}>`;
  const inner = node.children.map((c) => (typeof c === 'string' ? `${indent}  ${escapeXml(c)}` : serialize(c, `${indent}  `))).join('\n');
  return `${indent}<${node.name}${attributes}>\n${inner}\n${indent}</${node.name}>`;
}
