import { distance } from 'fastest-levenshtein';

// Suggestions for a misspelt id or code, the same way in every message.

/** Up to three candidates closest to what was written, nearest first; ties keep the candidates' order. */
export function nearest(written: string, candidates: readonly string[], limit = 3): string[] {
  const scored = candidates.map((c, i) => ({ c, i, d: distance(written.toLowerCase(), c.toLowerCase()) }));
  const threshold = Math.max(2, Math.ceil(written.length / 2));
  return scored
    .filter((s) => s.d <= threshold)
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, limit)
    .map((s) => s.c);
}

/** " — did you mean `a`, `b`?" for a message's end, or nothing when there is no suggestion. */
export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length ? ` — did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : '';
}
