// The Latin font of the printed handout. The HTML targets leave Latin and Vietnamese text to the phone's own font;
// a PDF must not depend on the fonts of the machine that printed it, so the handout also embeds Noto Sans
// (@fontsource/noto-sans, SIL OFL 1.1) for Latin, Vietnamese and the rest of Latin Extended, regular and bold, upright
// and italic. Fontsource ships the font in slices by Unicode range: only the slices the text uses are declared.
// Chromium embeds the glyphs used, as a subset, in the PDF.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { characterSet } from '../../fonts/course-fonts.js';

const require = createRequire(import.meta.url);

export const LATIN_FAMILY = 'hocso Noto Sans';
export const LATIN_FONT = { package: '@fontsource/noto-sans', font: 'Noto Sans', license: 'OFL-1.1', copyright: 'Copyright 2022 The Noto Project Authors (https://github.com/notofonts/latin-greek-cyrillic)' } as const;

/** The slices declared (Cyrillic, Greek and Devanagari are left out: no language of the handouts uses them). */
const SLICES = ['latin', 'vietnamese', 'latin-ext'] as const;
const FACES = [
  { weight: 400, style: 'normal' },
  { weight: 700, style: 'normal' },
  { weight: 400, style: 'italic' },
  { weight: 700, style: 'italic' },
] as const;

let ranges: Record<string, string> | undefined;

function sliceRanges(): Record<string, string> {
  ranges ??= JSON.parse(readFileSync(require.resolve(`${LATIN_FONT.package}/unicode.json`), 'utf8')) as Record<string, string>;
  return ranges;
}

/** `U+0000-00FF,U+0131` → a test for one code point. */
function inRanges(spec: string, cp: number): boolean {
  return spec.split(',').some((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    const a = parseInt(from!, 16);
    const b = to === undefined ? a : parseInt(to, 16);
    return cp >= a && cp <= b;
  });
}

export interface LatinFonts {
  /** @font-face rules, with urls relative to the page. */
  css: string;
  /** Page-relative path → font file bytes. */
  files: Map<string, Uint8Array>;
}

/** The Noto Sans slices the text needs (always Basic Latin), for pages whose fonts live in `dir`. */
export function latinFonts(text: string, dir = 'fonts'): LatinFonts {
  const table = sliceRanges();
  const codePoints = new Set<number>();
  for (const char of text) codePoints.add(char.codePointAt(0)!);
  // Basic Latin always; then a slice for the characters no slice taken so far has (Vietnamese before Latin Extended,
  // which overlap: Vietnamese text needs the first only).
  const used: (typeof SLICES)[number][] = ['latin'];
  for (const slice of ['vietnamese', 'latin-ext'] as const) {
    if ([...codePoints].some((cp) => cp > 0x7f && inRanges(table[slice]!, cp) && !used.some((u) => inRanges(table[u]!, cp)))) used.push(slice);
  }
  const files = new Map<string, Uint8Array>();
  const rules = [`/* ${LATIN_FONT.font} (${LATIN_FONT.package}): ${LATIN_FONT.copyright}\n *   SIL Open Font License 1.1, https://openfontlicense.org */`];
  for (const slice of used) {
    for (const face of FACES) {
      const name = `noto-sans-${slice}-${face.weight}-${face.style}.woff2`;
      files.set(`${dir}/${name}`, readFileSync(require.resolve(`${LATIN_FONT.package}/files/${name}`)));
      rules.push([
        '@font-face {',
        `  font-family: "${LATIN_FAMILY}";`,
        `  src: url("${dir}/${name}") format("woff2");`,
        `  font-weight: ${face.weight};`,
        `  font-style: ${face.style};`,
        '  font-display: block;',
        `  unicode-range: ${table[slice]};`,
        '}',
      ].join('\n'));
    }
  }
  return { css: `${rules.join('\n')}\n`, files };
}

let coverage: Set<number> | undefined;

/** Every code point Noto Sans draws in the slices the handout may declare (the regular face of each). */
export function latinCoverage(): Set<number> {
  if (coverage) return coverage;
  const table = sliceRanges();
  coverage = new Set();
  for (const slice of SLICES) {
    const bytes = readFileSync(require.resolve(`${LATIN_FONT.package}/files/noto-sans-${slice}-400-normal.woff2`));
    for (const cp of characterSet(bytes)) if (inRanges(table[slice]!, cp)) coverage.add(cp);
  }
  return coverage;
}
