import { canonicalParts, placeholders, type Part, type PcPart, type PhPart } from './inline.js';
import { partsHash, type Unit } from './segment.js';

// Which text of a variant translates which unit of its source. Ids are positional, so the variant's recorded
// source hashes decide: a variant unit whose recorded hash is the source unit's current hash translates it (even
// when an inserted paragraph moved it to another id); a unit at the same id translated from another text is stale.

export type UnitStatus = 'translated' | 'stale' | 'missing';

export interface AlignedUnit {
  unit: Unit;
  /** Hash of the source unit's current text. */
  hash: string;
  status: UnitStatus;
  /** The variant's unit that holds the translation (translated or stale). */
  target?: Unit;
  /** The source hash the variant recorded for that translation (undefined: unknown). */
  recorded?: string;
  /** A caption cue whose timing changed since it was translated: `old --> times, now new --> times` (captions.ts). */
  retimed?: string;
}

export interface Alignment {
  units: AlignedUnit[];
  /** True when the variant has the same units, in the same order, as its source: it can be updated in place. */
  sameStructure: boolean;
}

const sameParts = (a: readonly Part[], b: readonly Part[]): boolean => JSON.stringify(canonicalParts(a)) === JSON.stringify(canonicalParts(b));

export function align(source: readonly Unit[], variant: readonly Unit[] | undefined, recorded: Readonly<Record<string, string>> = {}): Alignment {
  const byId = new Map((variant ?? []).map((u) => [u.id, u]));
  const used = new Set<string>();
  const result: (AlignedUnit | undefined)[] = source.map(() => undefined);
  const hashes = source.map((u) => partsHash(u.parts));

  // 1. the same id, translated from exactly this text
  source.forEach((unit, i) => {
    const v = byId.get(unit.id);
    if (v && v.type === unit.type && recorded[unit.id] === hashes[i]) {
      used.add(v.id);
      result[i] = { unit, hash: hashes[i]!, status: 'translated', target: v, recorded: hashes[i]! };
    }
  });
  // 2. another id (moved by an edit elsewhere), translated from exactly this text: the nearest unused one
  const byHash = new Map<string, Unit[]>();
  for (const v of variant ?? []) {
    const h = recorded[v.id];
    if (h) byHash.set(h, [...(byHash.get(h) ?? []), v]);
  }
  source.forEach((unit, i) => {
    if (result[i]) return;
    const candidates = (byHash.get(hashes[i]!) ?? []).filter((v) => !used.has(v.id) && v.type === unit.type);
    const v = candidates[0];
    if (!v) return;
    used.add(v.id);
    result[i] = { unit, hash: hashes[i]!, status: 'translated', target: v, recorded: hashes[i]! };
  });
  // 3. between two units matched above, the variant's unit in the same place (same type): stale, the source was
  //    edited there (an inserted paragraph shifted the ids, so the same id would be another unit)
  const variantIndex = new Map((variant ?? []).map((v, k) => [v.id, k]));
  source.forEach((unit, i) => {
    if (result[i] || !variant) return;
    let p = i - 1;
    while (p >= 0 && result[p]?.status !== 'translated') p--;
    const anchor = p >= 0 ? variantIndex.get(result[p]!.target!.id)! : -1;
    const candidate = variant[anchor + (i - p)];
    if (!candidate || used.has(candidate.id) || candidate.type !== unit.type) return;
    let n = i + 1;
    while (n < source.length && result[n]?.status !== 'translated') n++;
    const next = n < source.length ? variantIndex.get(result[n]!.target!.id)! : variant.length;
    if (anchor + (i - p) >= next) return;
    if (candidate.id === unit.id) return; // left to step 4, which knows about untranslated copies
    const known = recorded[candidate.id];
    used.add(candidate.id);
    result[i] = { unit, hash: hashes[i]!, status: 'stale', target: candidate, ...(known !== undefined ? { recorded: known } : {}) };
  });
  // 4. the same id, from another text (or an unknown one): stale; the source text itself: missing
  source.forEach((unit, i) => {
    if (result[i]) return;
    const v = byId.get(unit.id);
    if (v && !used.has(v.id) && v.type === unit.type) {
      const known = recorded[unit.id];
      if (known === undefined && sameParts(v.parts, unit.parts)) {
        result[i] = { unit, hash: hashes[i]!, status: 'missing' };
        return;
      }
      used.add(v.id);
      result[i] = { unit, hash: hashes[i]!, status: 'stale', target: v, ...(known !== undefined ? { recorded: known } : {}) };
      return;
    }
    result[i] = { unit, hash: hashes[i]!, status: 'missing' };
  });
  const sameStructure = variant !== undefined && variant.length === source.length && variant.every((v, i) => v.id === source[i]!.id && v.type === source[i]!.type);
  return { units: result as AlignedUnit[], sameStructure };
}

/**
 * The variant's text with its placeholders renumbered as the source's, matched by what they hold (the same `**`,
 * the same link). Undefined when the variant's markup differs from the source's (another link, a dropped code).
 */
export function asSourcePlaceholders(target: readonly Part[], source: readonly Part[]): Part[] | undefined {
  const available = placeholders(source);
  const usedIds = new Set<string>();
  const key = (p: PhPart | PcPart): string => (p.kind === 'ph' ? `ph\u0000${p.what === 'break' ? '' : p.original}` : `pc\u0000${p.open}\u0000${p.close}`);
  const map = (parts: readonly Part[]): Part[] | undefined => {
    const out: Part[] = [];
    for (const p of parts) {
      if (p.kind === 'text') { out.push({ ...p }); continue; }
      const match = available.find((s) => !usedIds.has(s.id) && s.kind === p.kind && key(s) === key(p));
      if (!match) return undefined;
      usedIds.add(match.id);
      if (p.kind === 'ph') out.push({ ...p, id: match.id, original: (match as PhPart).original });
      else {
        const children = map(p.children);
        if (!children) return undefined;
        out.push({ ...p, id: match.id, children });
      }
    }
    return out;
  };
  const mapped = map(target);
  return mapped && usedIds.size === available.length ? mapped : undefined;
}
