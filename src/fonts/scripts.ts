// Which writing systems hocso embeds a font for, and where each font comes from.
//
// Phones sold in Vietnam render Vietnamese and other Latin text with their system font, but most have no font for
// the minority scripts some lessons are written in: a learner would see empty boxes ("tofu"). For those scripts the
// build embeds an open-licensed font (SIL OFL 1.1), subset to the characters the course uses. Which scripts a course
// needs is decided from the characters it actually uses, never from its language tags alone: a Khmer word quoted in a
// Vietnamese lesson gets the Khmer font, and Hmong written in RPA (Latin letters) gets none.
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

const require = createRequire(import.meta.url);

/** One face (weight) of an embedded font: where its full font file is on disk. */
export interface ScriptFontFace {
  weight: 400 | 700;
  /** Absolute path of the source font (TTF, WOFF or WOFF2). */
  file: () => string;
}

export interface ScriptFont {
  /** ISO 15924 code. */
  script: string;
  /** English name of the script. */
  name: string;
  /** BCP 47 languages written in this script by the communities hocso serves (documentation, messages). */
  languages: { tag: string; name: string }[];
  /** Matches one character of the script (Unicode Script property). */
  pattern: RegExp;
  /** The CSS family name the bundle declares (prefixed, so it never clashes with a font installed on the device). */
  family: string;
  /** Where the font comes from: the registry package (or vendored file) and its licence. */
  source: { package: string; font: string; license: 'OFL-1.1'; copyright: string };
  /** The characters the family is used for in the browser: CSS `unicode-range`. */
  unicodeRange: [number, number][];
  /**
   * Characters kept in every subset even when the text does not contain them: what shaping needs (dotted circle for
   * a mark without its base, the joiners that control conjuncts).
   */
  shapingExtras: number[];
  /**
   * Characters the shaper splits into parts the text may not contain itself: each key brings its parts into the
   * subset (Khmer's two-part vowels start with the pre-base sign U+17C1, which HarfBuzz and fontkit draw separately).
   */
  shapingParts?: Record<number, number[]>;
  faces: ScriptFontFace[];
  /** Base of the file names written to the bundle: `assets/fonts/BASE-WEIGHT-HASH.woff2`. */
  fileBase: string;
}

const fontsource = (pkg: string, file: string) => (): string => require.resolve(`${pkg}/files/${file}`);

/** Vendored fonts (no npm package provides them), with their licence: shipped with hocso (package.json `files`). */
export const VENDOR_DIR = path.join(PACKAGE_ROOT, 'src', 'fonts', 'vendor');

const JOINERS = [0x200c, 0x200d];
const DOTTED_CIRCLE = 0x25cc;

export const SCRIPT_FONTS: readonly ScriptFont[] = [
  {
    script: 'Tavt',
    name: 'Tai Viet',
    languages: [
      { tag: 'blt', name: 'Tai Dam' },
      { tag: 'tyr', name: 'Tai Daeng' },
      { tag: 'twh', name: 'Tai Dón' },
    ],
    pattern: /\p{Script=Tai_Viet}/u,
    family: 'hocso Tai Viet',
    source: { package: '@fontsource/noto-sans-tai-viet', font: 'Noto Sans Tai Viet', license: 'OFL-1.1', copyright: 'Copyright 2022 The Noto Project Authors (https://github.com/notofonts/tai-viet)' },
    // As Google Fonts slices it (the package's unicode.json): the block, the joiners, the dotted circle and the two
    // tone letters (U+A78B–A78C) Tai Viet text borrows from Latin Extended-D.
    unicodeRange: [[0x200c, 0x200d], [0x25cc, 0x25cc], [0xa78b, 0xa78c], [0xaa80, 0xaadf]],
    shapingExtras: [...JOINERS, DOTTED_CIRCLE],
    faces: [{ weight: 400, file: fontsource('@fontsource/noto-sans-tai-viet', 'noto-sans-tai-viet-tai-viet-400-normal.woff2') }],
    fileBase: 'noto-sans-tai-viet',
  },
  {
    script: 'Cham',
    name: 'Cham',
    languages: [
      { tag: 'cjm', name: 'Eastern Cham (Chăm)' },
      { tag: 'cja', name: 'Western Cham' },
    ],
    pattern: /\p{Script=Cham}/u,
    family: 'hocso Cham',
    source: { package: '@fontsource/noto-sans-cham', font: 'Noto Sans Cham', license: 'OFL-1.1', copyright: 'Copyright 2022 The Noto Project Authors (https://github.com/notofonts/cham)' },
    unicodeRange: [[0x200c, 0x200d], [0x2010, 0x2010], [0x25cc, 0x25cc], [0xaa00, 0xaa5f]],
    shapingExtras: [...JOINERS, DOTTED_CIRCLE],
    faces: [
      { weight: 400, file: fontsource('@fontsource/noto-sans-cham', 'noto-sans-cham-cham-400-normal.woff2') },
      { weight: 700, file: fontsource('@fontsource/noto-sans-cham', 'noto-sans-cham-cham-700-normal.woff2') },
    ],
    fileBase: 'noto-sans-cham',
  },
  {
    script: 'Khmr',
    name: 'Khmer',
    languages: [
      { tag: 'km', name: 'Khmer' },
      { tag: 'kxm', name: 'Northern Khmer' },
    ],
    pattern: /\p{Script=Khmer}/u,
    family: 'hocso Khmer',
    source: { package: '@fontsource/noto-sans-khmer', font: 'Noto Sans Khmer', license: 'OFL-1.1', copyright: 'Copyright 2022 The Noto Project Authors (https://github.com/notofonts/khmer)' },
    unicodeRange: [[0x1780, 0x17ff], [0x19e0, 0x19ff], [0x200c, 0x200d], [0x25cc, 0x25cc]],
    shapingExtras: [...JOINERS, DOTTED_CIRCLE],
    shapingParts: Object.fromEntries([0x17be, 0x17bf, 0x17c0, 0x17c4, 0x17c5].map((vowel) => [vowel, [0x17c1]])),
    faces: [
      { weight: 400, file: fontsource('@fontsource/noto-sans-khmer', 'noto-sans-khmer-khmer-400-normal.woff2') },
      { weight: 700, file: fontsource('@fontsource/noto-sans-khmer', 'noto-sans-khmer-khmer-700-normal.woff2') },
    ],
    fileBase: 'noto-sans-khmer',
  },
  {
    script: 'Hmng',
    name: 'Pahawh Hmong',
    languages: [
      { tag: 'hmn-Hmng', name: 'Hmong in Pahawh' },
      { tag: 'hnj-Hmng', name: 'Hmong Njua in Pahawh' },
      { tag: 'mww-Hmng', name: 'Hmong Daw in Pahawh' },
    ],
    pattern: /\p{Script=Pahawh_Hmong}/u,
    family: 'hocso Pahawh Hmong',
    // No registry package of the npm registry has it (@fontsource/noto-sans-pahawh-hmong is not served): the file is
    // Debian's (package fonts-noto-core 20201225-1), vendored with its licence in src/fonts/vendor/.
    source: { package: 'fonts-noto-core (Debian), vendored', font: 'Noto Sans Pahawh Hmong', license: 'OFL-1.1', copyright: 'Copyright 2017 Google Inc. All Rights Reserved.' },
    unicodeRange: [[0x200c, 0x200d], [0x25cc, 0x25cc], [0x16b00, 0x16b8f]],
    shapingExtras: [...JOINERS, DOTTED_CIRCLE],
    faces: [{ weight: 400, file: () => path.join(VENDOR_DIR, 'NotoSansPahawhHmong-Regular.ttf') }],
    fileBase: 'noto-sans-pahawh-hmong',
  },
];

/**
 * Scripts that need no embedded font: Vietnamese, Hmong RPA (`hmn`, `hnj`, `mww` in Latin letters), Tày (`tyz`) and
 * Nùng (`nut`) in the Vietnamese-style Latin alphabet are all covered by the system font stack (see
 * system-coverage.ts).
 */
export const LATIN_LANGUAGES: readonly { tag: string; name: string }[] = [
  { tag: 'vi', name: 'Vietnamese' },
  { tag: 'en', name: 'English' },
  { tag: 'hmn', name: 'Hmong (RPA)' },
  { tag: 'hnj', name: 'Hmong Njua (RPA)' },
  { tag: 'mww', name: 'Hmong Daw (RPA)' },
  { tag: 'tyz', name: 'Tày' },
  { tag: 'nut', name: 'Nùng' },
];

/** The embedded font whose `unicode-range` takes this code point, if any (the first in table order wins, as in CSS). */
export function scriptFontFor(codePoint: number): ScriptFont | undefined {
  return SCRIPT_FONTS.find((f) => f.pattern.test(String.fromCodePoint(codePoint)));
}

/** True when the code point is inside the font's CSS `unicode-range`. */
export function inUnicodeRange(font: ScriptFont, codePoint: number): boolean {
  return font.unicodeRange.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/** CSS `unicode-range` value: `U+200C-200D, U+AA80-AADF`. */
export function cssUnicodeRange(ranges: readonly [number, number][]): string {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
  return ranges.map(([a, b]) => (a === b ? `U+${hex(a)}` : `U+${hex(a)}-${hex(b)}`)).join(', ');
}
