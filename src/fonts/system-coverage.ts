// The fonts a bundle relies on without embedding them: the system font stack of hocso.css, and what hocso assumes it
// covers on a learner's phone.
//
// The build cannot see a learner's phone, so it checks against a declared reference: the characters of Noto Sans
// Regular, Android's own fallback font, restricted to the Latin, Latin Extended, Vietnamese, Greek and Cyrillic parts
// Google Fonts serves (Roboto, San Francisco and Segoe UI cover the same letters). Emoji are left to the device's
// emoji font. A character outside this reference and outside every embedded font is reported: on some phones it shows
// as an empty box.

/** body's font-family in templates/web/assets/hocso.css (a test keeps the two equal). */
export const SYSTEM_FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
/** code and pre's font-family in hocso.css. */
export const SYSTEM_MONO_STACK = 'ui-monospace, "Noto Sans Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace';

/** Where SYSTEM_COVERAGE comes from (tests/fonts/system-coverage.test.ts recomputes it from these files). */
export const SYSTEM_REFERENCE = {
  package: '@fontsource/noto-sans',
  font: 'Noto Sans Regular',
  subsets: ['latin', 'latin-ext', 'vietnamese', 'greek', 'greek-ext', 'cyrillic', 'cyrillic-ext'],
} as const;

/** The code points of the reference (hex ranges), as computed from SYSTEM_REFERENCE. */
export const SYSTEM_COVERAGE =
  '0,D,20-7E,A0-2CC,2CE-2D7,2DA,2DC-301,303-304,308-309,323,329,370-377,37A-37F,384-38A,38C,38E-3A1,3A3-3E1,3F0-52F,' +
  '1C80-1C88,1D00-1DBF,1E00-1F15,1F18-1F1D,1F20-1F45,1F48-1F4D,1F50-1F57,1F59,1F5B,1F5D,1F5F-1F7D,1F80-1FB4,1FB6-1FC4,' +
  '1FC6-1FD3,1FD6-1FDB,1FDD-1FEF,1FF2-1FF4,1FF6-1FFE,2002,2009,200B,2013-2014,2018-201A,201C-201E,2020,2022,2026,' +
  '2032-2033,2039-203A,2044,20A0-20C0,2113,2116,2122,2212,2C60-2C7F,2DE0-2DFF,A640-A69F,A720-A7CA,A7D0-A7D1,A7D3,' +
  'A7D5-A7D9,A7F2-A7FF,FE2E-FE2F,FEFF,FFFD';

/** Parses SYSTEM_COVERAGE-style text ("20-7E,A0,…") into sorted [from, to] ranges. */
export function parseRanges(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const [from, to = from] = part.split('-');
    return [parseInt(from!, 16), parseInt(to!, 16)] as [number, number];
  });
}

/** The inverse of parseRanges: sorted code points → "20-7E,A0,…". */
export function formatRanges(codePoints: Iterable<number>): string {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const cp of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges.map(([a, b]) => (a === b ? a.toString(16) : `${a.toString(16)}-${b.toString(16)}`).toUpperCase()).join(',');
}

const coverage = parseRanges(SYSTEM_COVERAGE);

/** True when the declared system stack has a glyph for the code point (binary search over the ranges). */
export function systemHasGlyph(codePoint: number): boolean {
  let lo = 0;
  let hi = coverage.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = coverage[mid]!;
    if (codePoint < from) hi = mid - 1;
    else if (codePoint > to) lo = mid + 1;
    else return true;
  }
  return false;
}

// Emoji pictographs and what joins them into sequences: the device's emoji font draws them.
const EMOJI = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u20E3\uFE0F]$/u;
// Characters that are never drawn: controls (newline, tab), default-ignorable code points (joiners, variation
// selectors, soft hyphen, bidi controls), line and paragraph separators.
const INVISIBLE = /^[\p{Cc}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}]$/u;

/** The emoji font of the device draws it. */
export function isEmoji(char: string): boolean {
  return EMOJI.test(char);
}

/** Needs no glyph at all. */
export function needsNoGlyph(char: string): boolean {
  return INVISIBLE.test(char);
}
