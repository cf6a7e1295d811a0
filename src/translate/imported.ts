import { placeholders, type Part, type PcPart, type PhPart } from './inline.js';

// A translated file as read back, whatever its format.

/** Inline content as the translator left it: text and numbered codes, not yet tied to the source's Markdown. */
export type TargetNode =
  | { t: 'text'; text: string }
  | { t: 'ph'; id: string; line: number }
  | { t: 'pc'; id: string; line: number; children: TargetNode[] };

export interface ImportedUnit {
  /** Full segment id (`LESSON/b/3`, `course/title`). */
  id: string;
  /** Line in the imported file. */
  line: number;
  /** The source text the file carries (to tell its source version when hashes are missing). */
  source: TargetNode[];
  target?: TargetNode[];
  /** Hash of the source text the file was extracted from. */
  sourceHash?: string;
  /** Hash of the variant's text when extracted; absent when it had none. */
  targetHash?: string;
  /** False when a tool dropped hocso's hashes: the importer then compares texts. */
  hashesKnown: boolean;
  /** The translator confirmed the target (XLIFF translated/reviewed/final; PO not fuzzy). */
  confirmed: boolean;
  /** PO only: the entry is marked fuzzy (not to be used). */
  fuzzy?: boolean;
}

export interface ImportedFile {
  format: 'xliff' | 'po';
  file: string;
  srcLang: string;
  trgLang: string;
  course?: string;
  units: ImportedUnit[];
}

/** A file that cannot be read at all: reported as FILE:LINE: message. */
export class ImportFormatError extends Error {
  constructor(readonly file: string, readonly line: number, message: string, readonly hint?: string) {
    super(message);
  }
}

export interface PlaceholderProblem {
  message: string;
  line: number;
}

/** A tag as the translator sees it in PO (`<2/>`, `<1>…</1>`), for messages about any format. */
function tagName(p: { kind: 'ph' | 'pc'; id: string }): string {
  return p.kind === 'ph' ? `<${p.id}/>` : `<${p.id}>…</${p.id}>`;
}

/**
 * The translation as parts with the source's Markdown for each code, or what is wrong with its codes: every code of
 * the source exactly once, of the same kind, and no other.
 */
export function resolveTarget(nodes: readonly TargetNode[], source: readonly Part[], line: number): { parts?: Part[]; problems: PlaceholderProblem[] } {
  const byId = new Map<string, PhPart | PcPart>(placeholders(source).map((p) => [p.id, p]));
  const seen = new Set<string>();
  const problems: PlaceholderProblem[] = [];
  const describe = (p: PhPart | PcPart): string => `${tagName(p)} (${p.kind === 'ph' ? p.original.replace(/\s+/g, ' ').trim() : `${p.open}…${p.close}`})`;
  const convert = (list: readonly TargetNode[]): Part[] => {
    const out: Part[] = [];
    for (const n of list) {
      if (n.t === 'text') {
        const last = out[out.length - 1];
        if (last?.kind === 'text') last.text += n.text;
        else out.push({ kind: 'text', text: n.text });
        continue;
      }
      const original = byId.get(n.id);
      const written = n.t === 'ph' ? `<${n.id}/>` : `<${n.id}>…</${n.id}>`;
      if (!original) {
        problems.push({ line: n.line, message: `${written} is not a code of the source text${byId.size ? ` (it has ${[...byId.values()].map(tagName).join(', ')})` : ' (it has none)'}` });
        if (n.t === 'pc') out.push(...convert(n.children));
        continue;
      }
      if (seen.has(n.id)) {
        problems.push({ line: n.line, message: `${written} is used twice; the source has it once: ${describe(original)}` });
        continue;
      }
      seen.add(n.id);
      if (original.kind !== (n.t === 'ph' ? 'ph' : 'pc')) {
        problems.push({ line: n.line, message: `${written} should be written ${tagName(original)}: ${describe(original)}` });
        continue;
      }
      if (original.kind === 'ph') out.push({ ...original });
      else out.push({ ...original, children: convert((n as { children: TargetNode[] }).children) });
    }
    return out;
  };
  const parts = convert(nodes);
  for (const [id, p] of byId) if (!seen.has(id)) problems.push({ line, message: `${tagName(p)} is missing from the translation: ${describe(p)}` });
  if (problems.length) return { problems };
  return { parts: tidy(parts), problems };
}

/** Spaces collapsed and trimmed, as units are compared and written. */
export function tidy(parts: Part[]): Part[] {
  const visit = (list: Part[]): Part[] =>
    list
      .map((p) => (p.kind === 'text' ? { ...p, text: p.text.replace(/\s+/g, ' ') } : p.kind === 'pc' ? { ...p, children: visit(p.children) } : p))
      .filter((p) => p.kind !== 'text' || p.text !== '');
  const out = visit(parts);
  const first = out[0];
  if (first?.kind === 'text') out[0] = { ...first, text: first.text.replace(/^\s+/, '') };
  const last = out[out.length - 1];
  if (last?.kind === 'text') out[out.length - 1] = { ...last, text: last.text.replace(/\s+$/, '') };
  return out.filter((p) => p.kind !== 'text' || p.text !== '');
}

/** The text with codes as PO tags: `Mã <1>OTP</1> là <2/>`, the form PO files and messages show. */
export function taggedText(parts: readonly Part[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'ph' ? `<${p.id}/>` : `<${p.id}>${taggedText(p.children)}</${p.id}>`)).join('');
}

/** The same for what a file carries. */
export function taggedNodes(nodes: readonly TargetNode[]): string {
  return nodes.map((n) => (n.t === 'text' ? n.text : n.t === 'ph' ? `<${n.id}/>` : `<${n.id}>${taggedNodes(n.children)}</${n.id}>`)).join('').replace(/\s+/g, ' ').trim();
}
