import { XmlCData, XmlComment, XmlElement, XmlText, type XmlTreeNode } from 'libxml2-wasm';
import { parseXml } from '../xml/xsd.js';
import { extractionTitle, type Extraction, type ExtractedUnit } from './extract.js';
import type { Part } from './inline.js';
import { ImportFormatError, type ImportedFile, type ImportedUnit, type TargetNode } from './imported.js';

// XLIFF 2.1 (OASIS, urn:oasis:names:tc:xliff:document:2.0), core plus the Metadata module (mda) for hocso's hashes.
// One <file> per lesson (and one for the course texts); one <unit> per segment, never resegmented; inline Markdown
// as <pc>/<ph> whose originals are in <originalData>.

export const XLIFF_NS = 'urn:oasis:names:tc:xliff:document:2.0';
export const MDA_NS = 'urn:oasis:names:tc:xliff:metadata:2.0';

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `<cp hex="${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}"/>`);
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** An NMTOKEN from a segment id (`b/3` → `b.3`), unique within its file. */
function nmtoken(id: string, used: Set<string>): string {
  const base = id.replace(/\//g, '.').replace(/[^\p{L}\p{N}._:-]/gu, '_') || '_';
  let token = base;
  for (let n = 2; used.has(token); n++) token = `${base}_${n}`;
  used.add(token);
  return token;
}

const FMT_SUBTYPE: Record<string, string> = { strong: 'xlf:b', emphasis: 'xlf:i' };

function inline(parts: readonly Part[]): string {
  return parts
    .map((p) => {
      if (p.kind === 'text') return esc(p.text);
      if (p.kind === 'ph') {
        const type = p.what === 'break' ? ' type="fmt" subType="xlf:lb"' : p.what === 'image' ? ' type="image"' : ' type="other"';
        return `<ph id="${p.id}" dataRef="d${p.id}"${type} canDelete="no" disp="${attr(p.original.replace(/\s+/g, ' ').trim())}"/>`;
      }
      const type = p.what === 'link' ? ' type="link"' : p.what === 'image' ? ' type="image"' : FMT_SUBTYPE[p.what] ? ` type="fmt" subType="${FMT_SUBTYPE[p.what]}"` : ' type="fmt"';
      return `<pc id="${p.id}" dataRefStart="d${p.id}s" dataRefEnd="d${p.id}e"${type} canDelete="no" dispStart="${attr(p.open)}" dispEnd="${attr(p.close)}">${inline(p.children)}</pc>`;
    })
    .join('');
}

function originalData(parts: readonly Part[]): string[] {
  const out: string[] = [];
  const visit = (list: readonly Part[]): void => {
    for (const p of list) {
      if (p.kind === 'ph') out.push(`<data id="d${p.id}">${esc(p.original)}</data>`);
      else if (p.kind === 'pc') {
        out.push(`<data id="d${p.id}s">${esc(p.open)}</data>`, `<data id="d${p.id}e">${esc(p.close)}</data>`);
        visit(p.children);
      }
    }
  };
  visit(parts);
  return out;
}

function unitXml(u: ExtractedUnit, id: string, indent: string): string {
  const i2 = `${indent}  `;
  const i3 = `${i2}  `;
  const lines = [`${indent}<unit id="${attr(id)}" name="${attr(u.id)}" type="hocso:${u.type}" canResegment="no">`];
  lines.push(`${i2}<mda:metadata>`, `${i3}<mda:metaGroup category="hocso">`, `${i3}  <mda:meta type="source-hash">${u.sourceHash}</mda:meta>`);
  if (u.targetHash) lines.push(`${i3}  <mda:meta type="target-hash">${u.targetHash}</mda:meta>`);
  lines.push(`${i3}</mda:metaGroup>`, `${i2}</mda:metadata>`);
  lines.push(`${i2}<notes>`);
  for (const note of u.notes) lines.push(`${i3}<note category="context">${esc(note)}</note>`);
  if (u.maxLength) lines.push(`${i3}<note category="max-length">${u.maxLength}</note>`);
  lines.push(`${i3}<note category="location">${esc(`${u.ref.file}:${u.ref.line}`)}</note>`, `${i2}</notes>`);
  const data = originalData(u.source);
  if (data.length) lines.push(`${i2}<originalData>`, ...data.map((d) => `${i3}${d}`), `${i2}</originalData>`);
  const state = u.state === 'translated' ? ' state="translated"' : u.state === 'stale' ? ' state="initial" subState="hocso:stale"' : ' state="initial"';
  lines.push(`${i2}<segment${state}>`, `${i3}<source>${inline(u.source)}</source>`);
  if (u.target) lines.push(`${i3}<target>${inline(u.target)}</target>`);
  lines.push(`${i2}</segment>`, `${indent}</unit>`);
  return lines.join('\n');
}

export function toXliff(x: Extraction): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- hocso: ${esc(extractionTitle(x)).replace(/--/g, '- -')}. Translate each <target>; keep the <pc> and <ph> codes (they stand for the lesson's Markdown). Import with: hocso translate import FILE -->`,
    `<xliff xmlns="${XLIFF_NS}" xmlns:mda="${MDA_NS}" version="2.1" srcLang="${attr(x.srcLang)}" trgLang="${attr(x.trgLang)}">`,
  ];
  const fileIds = new Set<string>();
  for (const group of x.groups) {
    if (group.units.length === 0) continue;
    out.push(`  <file id="${attr(nmtoken(group.key, fileIds))}" original="${attr(group.original)}">`);
    out.push('    <mda:metadata>', '      <mda:metaGroup category="hocso">', `        <mda:meta type="course">${esc(x.course)}</mda:meta>`, `        <mda:meta type="group">${esc(group.key)}</mda:meta>`, '      </mda:metaGroup>', '    </mda:metadata>');
    out.push('    <notes>', `      <note category="context">${esc(group.key === 'course' ? `Course ${x.course}: ${group.title}` : `Lesson ${group.key}: ${group.title}`)}</note>`, '    </notes>');
    const unitIds = new Set<string>();
    for (const u of group.units) out.push(unitXml(u, nmtoken(u.localId, unitIds), '    '));
    out.push('  </file>');
  }
  out.push('</xliff>', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** Refuses what XLIFF never needs and attacks rely on: a DOCTYPE (entity definitions, external DTDs). */
export function checkProlog(text: string, file: string): void {
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) { const end = text.indexOf('?>', i); if (end < 0) break; i = end + 2; continue; }
    if (text.startsWith('<!--', i)) { const end = text.indexOf('-->', i); if (end < 0) break; i = end + 3; continue; }
    break;
  }
  if (/^<!DOCTYPE/i.test(text.slice(i, i + 9)) || /<!ENTITY/i.test(text)) {
    const at = text.search(/<!(DOCTYPE|ENTITY)/i);
    throw new ImportFormatError(file, lineAt(text, at < 0 ? i : at), 'the file has a <!DOCTYPE> or <!ENTITY> declaration: XLIFF never needs one, and hocso refuses them (no DTDs, no entity expansion)', 'Remove the DOCTYPE; export the file again from your translation tool.');
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const children = (el: XmlElement): XmlTreeNode[] => {
  const out: XmlTreeNode[] = [];
  for (let c = el.firstChild; c; c = c.next) out.push(c);
  return out;
};
const elements = (el: XmlElement, ns: string, name?: string): XmlElement[] => children(el).filter((c): c is XmlElement => c instanceof XmlElement && c.namespaceUri === ns && (name === undefined || c.name === name));
const attrOf = (el: XmlElement, name: string): string | undefined => el.attr(name)?.value;

function metas(el: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const md of elements(el, MDA_NS, 'metadata')) {
    const visit = (group: XmlElement): void => {
      for (const m of elements(group, MDA_NS, 'meta')) { const type = attrOf(m, 'type'); if (type) out.set(type, m.content.trim()); }
      for (const g of elements(group, MDA_NS, 'metaGroup')) visit(g);
    };
    for (const g of elements(md, MDA_NS, 'metaGroup')) if (attrOf(g, 'category') === 'hocso') visit(g);
  }
  return out;
}

/** Inline content of a <source> or <target>: text, <ph>, <pc> (and <sc>/<ec> pairs, which some tools write instead). */
function inlineNodes(el: XmlElement, file: string): TargetNode[] {
  const flat: (TargetNode | { t: 'sc'; id: string; line: number } | { t: 'ec'; ref: string; line: number })[] = [];
  const walk = (node: XmlElement): void => {
    for (const c of children(node)) {
      if (c instanceof XmlText || c instanceof XmlCData) flat.push({ t: 'text', text: c.content });
      else if (c instanceof XmlComment) continue;
      else if (c instanceof XmlElement) {
        if (c.namespaceUri !== XLIFF_NS) continue;
        const id = attrOf(c, 'id') ?? '';
        switch (c.name) {
          case 'ph': flat.push({ t: 'ph', id, line: c.line }); break;
          case 'pc': flat.push({ t: 'pc', id, line: c.line, children: inlineNodes(c, file) }); break;
          case 'sc': flat.push({ t: 'sc', id, line: c.line }); break;
          case 'ec': flat.push({ t: 'ec', ref: attrOf(c, 'startRef') ?? id, line: c.line }); break;
          case 'cp': flat.push({ t: 'text', text: String.fromCodePoint(parseInt(attrOf(c, 'hex') ?? '20', 16) || 0x20) }); break;
          case 'mrk': walk(c); break;
          case 'sm': case 'em': break;
          default: throw new ImportFormatError(file, c.line, `unexpected <${c.name}> inside a ${el.name}`, 'Inline content is text with <pc> and <ph> codes.');
        }
      }
    }
  };
  walk(el);
  // <sc id="1"/>…<ec startRef="1"/> at one level is a <pc id="1">.
  const out: TargetNode[] = [];
  const stack: { id: string; line: number; into: TargetNode[] }[] = [];
  let into = out;
  for (const n of flat) {
    if (n.t === 'sc') { stack.push({ id: n.id, line: n.line, into }); const pc: TargetNode = { t: 'pc', id: n.id, line: n.line, children: [] }; into.push(pc); into = pc.children; continue; }
    if (n.t === 'ec') {
      const top = stack.pop();
      if (!top || top.id !== n.ref) throw new ImportFormatError(file, n.line, `<ec startRef="${n.ref}"> does not close the code opened last`, 'Keep each pair of codes around a whole piece of text, not crossing another pair.');
      into = top.into;
      continue;
    }
    into.push(n);
  }
  if (stack.length) throw new ImportFormatError(file, stack[stack.length - 1]!.line, `<sc id="${stack[stack.length - 1]!.id}"> is never closed`, 'Every <sc> needs its <ec>.');
  return out;
}

export function parseXliff(text: string, file: string): ImportedFile {
  checkProlog(text, file);
  const parsed = parseXml(text, file);
  if (!parsed.doc) {
    const p = parsed.problems[0]!;
    throw new ImportFormatError(file, p.line, `not well-formed XML: ${p.message}`, 'Fix the XML at that line, or export the file again from your translation tool.');
  }
  try {
    const root = parsed.doc.root;
    if (root.name !== 'xliff' || root.namespaceUri !== XLIFF_NS) {
      const hint = root.namespaceUri.startsWith('urn:oasis:names:tc:xliff:document:') ? `This is XLIFF ${root.namespaceUri.split(':').pop()}; hocso reads XLIFF 2.0 and 2.1.` : 'Import an XLIFF 2.1 file made by `hocso translate extract`, or a PO file.';
      throw new ImportFormatError(file, root.line, `the root element is <${root.name}${root.namespaceUri ? ` xmlns="${root.namespaceUri}"` : ''}>, not XLIFF 2 <xliff xmlns="${XLIFF_NS}">`, hint);
    }
    const version = attrOf(root, 'version') ?? '';
    if (!/^2\.[01]$/.test(version)) throw new ImportFormatError(file, root.line, `XLIFF version ${version || '(none)'} is not 2.0 or 2.1`, 'Export XLIFF 2.1 (or 2.0).');
    const srcLang = attrOf(root, 'srcLang') ?? '';
    const trgLang = attrOf(root, 'trgLang');
    if (!trgLang) throw new ImportFormatError(file, root.line, 'the <xliff> element has no trgLang: which language is this?', 'Extract again with `hocso translate extract --lang L`.');
    let course: string | undefined;
    const units: ImportedUnit[] = [];
    for (const f of elements(root, XLIFF_NS, 'file')) {
      const fileMeta = metas(f);
      course ??= fileMeta.get('course');
      const group = fileMeta.get('group') ?? attrOf(f, 'id') ?? '';
      const visit = (container: XmlElement): void => {
        for (const g of elements(container, XLIFF_NS, 'group')) visit(g);
        for (const u of elements(container, XLIFF_NS, 'unit')) units.push(readUnit(u, group, file));
      };
      visit(f);
    }
    return { format: 'xliff', file, srcLang, trgLang, ...(course ? { course } : {}), units };
  } finally {
    parsed.doc.dispose();
  }
}

function readUnit(u: XmlElement, group: string, file: string): ImportedUnit {
  const meta = metas(u);
  const name = attrOf(u, 'name');
  const localId = attrOf(u, 'id') ?? '';
  const id = name ?? (group === 'course' ? localId.replace(/\./g, '/') : `${group}/${localId.replace(/\./g, '/')}`);
  const source: TargetNode[] = [];
  let target: TargetNode[] | undefined;
  let state: string | undefined;
  for (const s of children(u)) {
    if (!(s instanceof XmlElement) || s.namespaceUri !== XLIFF_NS || (s.name !== 'segment' && s.name !== 'ignorable')) continue;
    if (s.name === 'segment') state ??= attrOf(s, 'state');
    const src = elements(s, XLIFF_NS, 'source')[0];
    const trg = elements(s, XLIFF_NS, 'target')[0];
    if (src) source.push(...inlineNodes(src, file));
    if (trg) (target ??= []).push(...inlineNodes(trg, file));
  }
  return {
    id,
    line: u.line,
    source,
    ...(target ? { target } : {}),
    ...(meta.get('source-hash') ? { sourceHash: meta.get('source-hash')! } : {}),
    ...(meta.has('target-hash') ? { targetHash: meta.get('target-hash')! } : {}),
    hashesKnown: meta.has('source-hash'),
    confirmed: state === 'translated' || state === 'reviewed' || state === 'final',
  };
}
