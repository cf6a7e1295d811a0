// What a rendered page can show, as plain characters: the input of font subsetting and glyph checks.

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '\u00ad' };

/**
 * Every character a rendered page may display: its markup with character references decoded, and the strings of its
 * JSON data (quiz feedback and runtime messages are inserted from there) with their `\uXXXX` escapes decoded.
 * Markup itself is ASCII, which no embedded font covers, so keeping it costs nothing: the result is a superset of
 * the page's text, which is what a subset font and a glyph check need (a missing character is worse than an extra one).
 */
export function pageText(html: string): string {
  return html
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
      if (ref[0] === '#') {
        const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
      }
      return NAMED[ref] ?? whole;
    });
}
