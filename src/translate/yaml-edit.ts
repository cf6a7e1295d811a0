import { isMap, isScalar, parseDocument, type Document, type Pair } from 'yaml';

// Edits a YAML file through the yaml Document API (comments and key order survive) while leaving every top-level
// entry the edit did not change byte for byte as the author wrote it: the yaml printer would otherwise re-wrap
// folded text and re-space flow lists all over the file.

function topPairs(doc: Document): Pair[] {
  return isMap(doc.contents) ? (doc.contents.items as Pair[]) : [];
}

function keyOf(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/** [start of the key's line, end of the value] of a top-level entry. */
function entryRange(text: string, pair: Pair): [number, number] | undefined {
  const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
  const valueRange = (pair.value as { range?: [number, number, number] } | null)?.range;
  if (!keyRange) return undefined;
  const start = text.lastIndexOf('\n', keyRange[0] - 1) + 1;
  let end = valueRange ? valueRange[1] : keyRange[2];
  // through the end of the value's last line
  const newline = text.indexOf('\n', end - 1 < start ? start : end - 1);
  end = Math.max(end, newline === -1 ? text.length : newline);
  while (end > start && text[end - 1] === '\n') end--;
  return [start, end];
}

/** Applies `edit` to the document of `text` and returns the new text, changing only the entries that changed. */
export function editYaml(text: string, edit: (doc: Document) => void): string {
  const before = parseDocument(text);
  const doc = parseDocument(text);
  edit(doc);
  const printed = doc.toString({ lineWidth: 0 });
  const after = parseDocument(printed);
  const oldPairs = new Map(topPairs(before).map((p) => [keyOf(p), p]));
  let out = text;
  const replacements: { at: [number, number]; text: string }[] = [];
  const appended: string[] = [];
  for (const pair of topPairs(after)) {
    const key = keyOf(pair);
    const old = oldPairs.get(key);
    const newValue = JSON.stringify((pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null);
    const oldValue = old ? JSON.stringify((old.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null) : undefined;
    if (old && newValue === oldValue) continue;
    const range = entryRange(printed, pair);
    if (!range) continue;
    const entry = printed.slice(range[0], range[1]).replace(/\n+$/, '');
    const oldRange = old ? entryRange(text, old) : undefined;
    if (oldRange) replacements.push({ at: oldRange, text: entry });
    else appended.push(entry);
  }
  for (const r of replacements.sort((a, b) => b.at[0] - a.at[0])) out = out.slice(0, r.at[0]) + r.text + out.slice(r.at[1]);
  if (appended.length) out = out.replace(/\n*$/, '\n') + appended.join('\n') + '\n';
  return out;
}
