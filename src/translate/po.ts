import { extractionTitle, placeholderNote, type Extraction } from './extract.js';
import { ImportFormatError, taggedText, type ImportedFile, type ImportedUnit, type TargetNode } from './imported.js';

// GNU gettext PO: msgctxt = segment id, msgid = source with numbered tags for the Markdown (<1>…</1>, <2/>),
// `#.` notes for the translator (context, max length, what each tag is) and hocso's hashes, `#:` file:line,
// `#, fuzzy` for a translation whose source changed. Accepted by `msgfmt --check`.

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

function comment(prefix: string, text: string): string[] {
  return text.split('\n').map((line) => `${prefix} ${line}`.trimEnd());
}

export function toPo(x: Extraction, generator: string): string {
  const out: string[] = [
    `# ${extractionTitle(x)}.`,
    '# Translate each msgstr. Keep the numbered tags: <1>…</1> and <2/> stand for the lesson\'s Markdown (bold,',
    '# links, code …); move them where the sentence needs them. Import with: hocso translate import FILE',
    'msgid ""',
    'msgstr ""',
    quote(`Project-Id-Version: ${x.course}\n`),
    quote('PO-Revision-Date: \n'),
    quote('Last-Translator: \n'),
    quote('Language-Team: \n'),
    quote(`Language: ${x.trgLang}\n`),
    quote('MIME-Version: 1.0\n'),
    quote('Content-Type: text/plain; charset=UTF-8\n'),
    quote('Content-Transfer-Encoding: 8bit\n'),
    quote('Plural-Forms: nplurals=1; plural=0;\n'),
    quote(`X-Generator: ${generator}\n`),
    quote(`X-Hocso-Course: ${x.course}\n`),
    quote(`X-Hocso-Source-Language: ${x.srcLang}\n`),
    '',
  ];
  for (const group of x.groups) {
    for (const u of group.units) {
      for (const note of u.notes) out.push(...comment('#.', note));
      const tags = placeholderNote(u.source, 'po');
      if (tags) out.push(...comment('#.', tags));
      out.push(`#. hocso: source-hash=${u.sourceHash}${u.targetHash ? ` target-hash=${u.targetHash}` : ' target-hash=none'}`);
      out.push(`#: ${u.ref.file}:${u.ref.line}`);
      if (u.state === 'stale' && u.target) out.push('#, fuzzy');
      out.push(`msgctxt ${quote(u.id)}`, `msgid ${quote(taggedText(u.source))}`, `msgstr ${quote(u.target ? taggedText(u.target) : '')}`, '');
    }
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

function unquote(raw: string, file: string, line: number): string {
  const m = /^"((?:[^"\\]|\\.)*)"\s*$/.exec(raw.trim());
  if (!m) throw new ImportFormatError(file, line, `expected a quoted string, found \`${raw.trim().slice(0, 40)}\``, 'Each msgid / msgstr line holds one "…" string; quotes inside are written \\".');
  return m[1]!.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'a': return '\u0007';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case 'x': return String.fromCharCode(parseInt(e.slice(1), 16));
      default: return /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
    }
  });
}

/** `Mã <1>OTP</1> là <2/>` → nodes; a tag never closed or closed out of order is an error at the entry's line. */
export function parseTags(text: string, file: string, line: number): TargetNode[] {
  const root: TargetNode[] = [];
  const stack: { id: string; into: TargetNode[] }[] = [];
  let into = root;
  const pattern = /<(\/?)(\d+)(\/?)>/g;
  let last = 0;
  const pushText = (t: string): void => { if (t) into.push({ t: 'text', text: t }); };
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    pushText(text.slice(last, m.index));
    last = m.index + m[0].length;
    const [, closing, id, selfClosing] = m as unknown as [string, string, string, string];
    if (closing && selfClosing) throw new ImportFormatError(file, line, `\`${m[0]}\` is not a tag: write <${id}/> or </${id}>`);
    if (selfClosing) { into.push({ t: 'ph', id, line }); continue; }
    if (!closing) {
      const pc: TargetNode = { t: 'pc', id, line, children: [] };
      into.push(pc);
      stack.push({ id, into });
      into = pc.children;
      continue;
    }
    const top = stack.pop();
    if (!top || top.id !== id) throw new ImportFormatError(file, line, top ? `</${id}> closes <${top.id}>: tags must nest (<1><2>…</2></1>)` : `</${id}> has no <${id}> before it`, 'Each <N>…</N> pair surrounds a whole piece of text.');
    into = top.into;
  }
  pushText(text.slice(last));
  const open = stack.pop();
  if (open) throw new ImportFormatError(file, line, `<${open.id}> is never closed with </${open.id}>`, 'Each <N>…</N> pair surrounds a whole piece of text.');
  return root;
}

interface RawEntry {
  line: number;
  extracted: string[];
  flags: Set<string>;
  msgctxt?: string;
  msgid?: string;
  msgstr?: string;
  obsolete: boolean;
}

export function parsePo(text: string, file: string): ImportedFile {
  const entries: RawEntry[] = [];
  let entry: RawEntry | undefined;
  let field: 'msgctxt' | 'msgid' | 'msgstr' | undefined;
  const start = (line: number): RawEntry => ({ line, extracted: [], flags: new Set(), obsolete: false });
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const finish = (): void => {
    if (entry && entry.msgid !== undefined) entries.push(entry);
    entry = undefined;
    field = undefined;
  };
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (line === '') { finish(); return; }
    if (line.startsWith('#~')) { entry ??= start(n); entry.obsolete = true; return; }
    if (line.startsWith('#')) {
      if (entry?.msgid !== undefined && field) finish();
      entry ??= start(n);
      if (line.startsWith('#.')) entry.extracted.push(line.slice(2).trim());
      else if (line.startsWith('#,')) for (const f of line.slice(2).split(',')) entry.flags.add(f.trim());
      return;
    }
    const m = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$/.exec(line);
    if (m) {
      const keyword = m[1]!;
      if (keyword === 'msgid_plural' || keyword.startsWith('msgstr[')) throw new ImportFormatError(file, n, 'plural forms are not used by hocso lessons', 'Import a PO file made by `hocso translate extract`.');
      if ((keyword === 'msgctxt' || keyword === 'msgid') && entry?.msgstr !== undefined) finish();
      entry ??= start(n);
      if (entry[keyword as 'msgctxt'] !== undefined) throw new ImportFormatError(file, n, `a second ${keyword} in one entry`, 'Separate entries with an empty line.');
      field = keyword as 'msgctxt' | 'msgid' | 'msgstr';
      if (field === 'msgctxt' || (field === 'msgid' && entry.msgctxt === undefined)) entry.line = n;
      entry[field] = unquote(m[2]!, file, n);
      return;
    }
    if (line.startsWith('"')) {
      if (!entry || !field) throw new ImportFormatError(file, n, 'a string outside any msgid or msgstr');
      entry[field] = (entry[field] ?? '') + unquote(line, file, n);
      return;
    }
    throw new ImportFormatError(file, n, `not PO syntax: \`${line.slice(0, 40)}\``, 'PO entries are comments (#), msgctxt, msgid and msgstr lines; strings are in double quotes.');
  });
  finish();

  const header = entries.find((e) => e.msgid === '' && e.msgctxt === undefined && !e.obsolete);
  const headers = new Map<string, string>();
  for (const h of (header?.msgstr ?? '').split('\n')) {
    const colon = h.indexOf(':');
    if (colon > 0) headers.set(h.slice(0, colon).trim().toLowerCase(), h.slice(colon + 1).trim());
  }
  const trgLang = headers.get('language');
  if (!trgLang) throw new ImportFormatError(file, header?.line ?? 1, 'the PO header has no Language: which language is this?', 'Extract again with `hocso translate extract --lang L --format po`.');
  const units: ImportedUnit[] = [];
  for (const e of entries) {
    if (e.obsolete || e === header) continue;
    if (e.msgctxt === undefined) throw new ImportFormatError(file, e.line, `the entry "${(e.msgid ?? '').slice(0, 40)}" has no msgctxt (the segment id hocso needs)`, 'Keep the msgctxt lines of the extracted file.');
    const hashes = e.extracted.map((c) => /^hocso: source-hash=(\w+) target-hash=(\w+)$/.exec(c)).find(Boolean);
    const msgstr = e.msgstr ?? '';
    units.push({
      id: e.msgctxt,
      line: e.line,
      source: parseTags(e.msgid ?? '', file, e.line),
      ...(msgstr !== '' ? { target: parseTags(msgstr, file, e.line) } : {}),
      ...(hashes ? { sourceHash: hashes[1]! } : {}),
      ...(hashes && hashes[2] !== 'none' ? { targetHash: hashes[2]! } : {}),
      hashesKnown: Boolean(hashes),
      confirmed: !e.flags.has('fuzzy'),
      fuzzy: e.flags.has('fuzzy'),
    });
  }
  return { format: 'po', file, srcLang: headers.get('x-hocso-source-language') ?? '', trgLang, ...(headers.get('x-hocso-course') ? { course: headers.get('x-hocso-course')! } : {}), units };
}
