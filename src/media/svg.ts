// SVG sanitizer: the file is parsed as XML (libxml2, no network, no external entities) and walked; whatever can run
// code or fetch from elsewhere is removed, and the rest is written back.
import { ParseOption, XmlDocument, XmlElement, XmlEntityReference, XmlTreeNode } from 'libxml2-wasm';

const PARSE_OPTIONS = ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_BIG_LINES;

/** Elements that run code or embed other documents (compared by local name, lower-cased). */
const FORBIDDEN_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'embed', 'object', 'audio', 'video', 'handler', 'listener', 'applet', 'frame', 'frameset', 'base', 'meta', 'link']);
/** Links that stay inside the file, or inline raster images. */
const SAFE_LINK = /^\s*(#|data:image\/(png|jpeg|gif|webp|avif);)/i;
/** url(...) pointing anywhere but into the file itself, CSS imports, script URLs, old IE expressions. */
const UNSAFE_CSS = /@import|url\(\s*['"]?\s*(?!#)[^)]|javascript:|expression\s*\(|behavior\s*:/i;

export interface SanitizedSvg {
  svg: string;
  width?: number;
  height?: number;
  /** What was removed, for the author (e.g. `<script>`, `onload`, `href="https://…"`). */
  removed: string[];
}

export class SvgError extends Error {}

export function sanitizeSvg(source: Uint8Array): SanitizedSvg {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(source, { option: PARSE_OPTIONS });
  } catch (error) {
    throw new SvgError(`not well-formed XML (${firstLine(error)})`);
  }
  try {
    const root = doc.root;
    if (root.name.replace(/^.*:/, '').toLowerCase() !== 'svg') throw new SvgError(`the root element is <${root.name}>, not <svg>`);
    const removed: string[] = [];
    // DOCTYPE (internal entities), processing instructions: everything before and after the root goes.
    for (let node: XmlTreeNode | null = root.prev; node; ) {
      const prev: XmlTreeNode | null = node.prev;
      node.remove();
      node = prev;
    }
    cleanElement(root, removed);
    const size = sizeOf(root);
    const svg = root.toString({ format: false });
    return { svg: `${svg}\n`, ...size, removed: [...new Set(removed)] };
  } finally {
    doc.dispose();
  }
}

function cleanElement(element: XmlElement, removed: string[]): void {
  for (const attr of element.attrs) {
    const name = attr.name.toLowerCase();
    const value = attr.value;
    if (name.startsWith('on')) {
      removed.push(name);
      attr.remove();
    } else if ((name === 'href' || name === 'src' || name === 'action' || name === 'formaction') && !SAFE_LINK.test(value)) {
      removed.push(`${name}="${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`);
      attr.remove();
    } else if (UNSAFE_CSS.test(value) && !(name !== 'style' && /^\s*url\(\s*['"]?#/i.test(value))) {
      removed.push(`${name}="${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`);
      attr.remove();
    }
  }
  for (let child = element.firstChild; child; ) {
    const next = child.next;
    if (child instanceof XmlElement) {
      const local = child.name.replace(/^.*:/, '').toLowerCase();
      if (FORBIDDEN_ELEMENTS.has(local)) {
        removed.push(`<${child.name}>`);
        child.remove();
      } else if (local === 'style' && UNSAFE_CSS.test(child.content)) {
        removed.push('<style> with external references');
        child.remove();
      } else if ((local === 'set' || local === 'animate') && /^(xlink:)?href$/i.test(child.attrs.find((a) => a.name === 'attributeName')?.value ?? '')) {
        removed.push(`<${child.name} attributeName="href">`);
        child.remove();
      } else {
        cleanElement(child, removed);
      }
    } else if (child instanceof XmlEntityReference) {
      removed.push(`&${child.name};`);
      child.remove();
    }
    child = next;
  }
}

/** width/height in CSS pixels: the attributes when absolute, else the viewBox. */
function sizeOf(root: XmlElement): { width?: number; height?: number } {
  const attr = (n: string): string | undefined => root.attrs.find((a) => a.name === n && !a.namespaceUri)?.value;
  const px = (v: string | undefined): number | undefined => {
    const m = v === undefined ? null : /^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$/.exec(v);
    return m ? Math.round(Number(m[1])) : undefined;
  };
  const viewBox = attr('viewBox')?.trim().split(/[\s,]+/).map(Number);
  const fromBox = viewBox && viewBox.length === 4 && viewBox.every(Number.isFinite) && viewBox[2]! > 0 && viewBox[3]! > 0 ? { width: Math.round(viewBox[2]!), height: Math.round(viewBox[3]!) } : undefined;
  const width = px(attr('width'));
  const height = px(attr('height'));
  if (width && height) return { width, height };
  if (fromBox && width) return { width, height: Math.round((width * fromBox.height) / fromBox.width) };
  if (fromBox && height) return { width: Math.round((height * fromBox.width) / fromBox.height), height };
  return fromBox ?? {};
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
