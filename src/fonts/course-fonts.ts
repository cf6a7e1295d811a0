// All the text of one bundle → the fonts it must embed (subset WOFF2 files and their @font-face CSS), and the
// characters no font of the page can draw.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import subsetFont from 'subset-font';
import { cssUnicodeRange, inUnicodeRange, SCRIPT_FONTS, type ScriptFont, type ScriptFontFace } from './scripts.js';
import { isEmoji, needsNoGlyph, SYSTEM_FONT_STACK, SYSTEM_MONO_STACK, systemHasGlyph } from './system-coverage.js';

/** The bundle folder the fonts go to, and the stylesheet that declares them (both relative to the bundle root). */
export const FONTS_DIR = 'assets/fonts';
export const FONTS_CSS = 'assets/fonts.css';

/** Some text a bundle shows, and the file it is reported under (a lesson's source, or a page of the bundle). */
export interface FontText {
  file: string;
  text: string;
}

export interface FontProblem {
  /** The FontText's file. */
  file: string;
  /** Where the character first occurs in that text (1-based), when it occurs there literally. */
  line?: number;
  column?: number;
  char: string;
  /** "U+AAC3". */
  codePoint: string;
  /**
   * - `no-font`: no embedded font takes the character and the system stack's reference has no glyph for it;
   * - `not-in-font`: the embedded font for its script has no glyph for it (nor has the system stack);
   * - `notdef`: shaping the text with the subset font still gives the .notdef glyph.
   */
  reason: 'no-font' | 'not-in-font' | 'notdef';
  /** The embedded font concerned (not-in-font, notdef). */
  font?: string;
  message: string;
}

export interface EmbeddedFont {
  script: string;
  family: string;
  font: string;
  package: string;
  license: string;
  weight: number;
  /** Path in the bundle (under FONTS_DIR). */
  path: string;
  bytes: number;
  /** How many characters the subset maps. */
  characters: number;
}

export interface CourseFonts {
  /** The @font-face rules and the font-family overrides: the content of FONTS_CSS; '' when no font is needed. */
  css: string;
  /** Bundle path → WOFF2 bytes. */
  files: Map<string, Uint8Array>;
  fonts: EmbeddedFont[];
  problems: FontProblem[];
}

/** U+XXXX, at least four hex digits. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The scripts (of SCRIPT_FONTS) whose characters occur in the text. */
export function detectScripts(text: string): ScriptFont[] {
  return SCRIPT_FONTS.filter((font) => font.pattern.test(text));
}

/**
 * The fonts one bundle needs, from every text it shows (all its pages). Deterministic: the same characters give the
 * same CSS, the same bytes and the same file names (named by a hash of their bytes).
 */
export async function courseFonts(input: readonly FontText[]): Promise<CourseFonts> {
  // Composed, as browsers shape it: HarfBuzz draws e + U+0302 + U+0301 with the font's ế when it has one.
  const texts = input.map((t) => ({ file: t.file, text: t.text.normalize('NFC') }));
  // ASCII is in every font stack (or a control, which needs no glyph) and in no embedded font: only the rest counts.
  const used = new Set<string>();
  for (const { text } of texts) for (const [char] of text.matchAll(/[^\x00-\x7f]/gu)) used.add(char);
  const chars = [...used].sort(compareChars);

  const embedded = SCRIPT_FONTS.filter((font) => chars.some((c) => font.pattern.test(c)));
  const problems: FontProblem[] = [];

  // Which font the browser takes each character from: the first embedded family whose unicode-range has it and whose
  // font has a glyph, else the system stack (fonts.css lists the embedded families first, in this order).
  const perFont = new Map<ScriptFont, number[]>(embedded.map((f) => [f, []]));
  const trouble = new Map<string, Pick<FontProblem, 'reason' | 'font'>>();
  for (const char of chars) {
    if (needsNoGlyph(char)) continue;
    const cp = char.codePointAt(0)!;
    const candidates = embedded.filter((f) => inUnicodeRange(f, cp));
    const font = candidates.find((f) => cmapOf(f.faces[0]!).has(cp));
    if (font) perFont.get(font)!.push(cp);
    else if (systemHasGlyph(cp) || isEmoji(char)) continue;
    else if (candidates.length) trouble.set(char, { reason: 'not-in-font', font: candidates[0]!.source.font });
    else trouble.set(char, { reason: 'no-font' });
  }

  const files = new Map<string, Uint8Array>();
  const fonts: EmbeddedFont[] = [];
  const faces: string[] = [];
  for (const font of embedded) {
    const codePoints = perFont.get(font)!;
    if (!codePoints.length) continue;
    for (const face of font.faces) {
      const parts = codePoints.flatMap((cp) => font.shapingParts?.[cp] ?? []);
      const keep = [...new Set([...codePoints, ...parts, ...font.shapingExtras])].filter((cp) => cmapOf(face).has(cp)).sort((a, b) => a - b);
      const bytes = await subsetFace(face, String.fromCodePoint(...keep), 'woff2');
      const name = `${FONTS_DIR}/${font.fileBase}-${face.weight}-${createHash('sha256').update(bytes).digest('hex').slice(0, 10)}.woff2`;
      files.set(name, bytes);
      fonts.push({ script: font.script, family: font.family, font: font.source.font, package: font.source.package, license: font.source.license, weight: face.weight, path: name, bytes: bytes.length, characters: keep.length });
      faces.push(fontFaceRule(font, face.weight, path.posix.relative(path.posix.dirname(FONTS_CSS), name)));
      if (face.weight === 400) problems.push(...(await shapingProblems(font, face, String.fromCodePoint(...keep), texts)));
    }
  }

  for (const { file, text } of trouble.size ? texts : []) {
    const seen = new Set<string>();
    for (const [char] of text.matchAll(/[^\x00-\x7f]/gu)) {
      const found = trouble.get(char);
      if (!found || seen.has(char)) continue;
      seen.add(char);
      const label = codePointLabel(char.codePointAt(0)!);
      const message = found.reason === 'no-font'
        ? `\`${char}\` (${label}) has no glyph in any font of the page: neither an embedded font nor the system fonts hocso relies on draw it`
        : `\`${char}\` (${label}) has no glyph in ${found.font}, the embedded font for its script`;
      problems.push({ file, ...positionOf(text, char), char, codePoint: label, ...found, message });
    }
  }

  const usedFamilies = embedded.filter((f) => perFont.get(f)!.length);
  const css = faces.length ? fontsCss(usedFamilies, faces) : '';
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || compareChars(a.char, b.char)));
  return { css, files, fonts, problems };
}

function compareChars(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

function positionOf(text: string, char: string): { line?: number; column?: number } {
  const at = text.indexOf(char);
  if (at < 0) return {};
  const before = text.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: at - lineStart + 1 };
}

function fontFaceRule(font: ScriptFont, weight: number, url: string): string {
  return [
    '@font-face {',
    `  font-family: "${font.family}";`,
    `  src: url("${url}") format("woff2");`,
    `  font-weight: ${weight};`,
    '  font-style: normal;',
    // The file is in the bundle: waiting for it (instead of drawing empty boxes meanwhile) costs a few milliseconds.
    '  font-display: block;',
    `  unicode-range: ${cssUnicodeRange(font.unicodeRange)};`,
    '}',
  ].join('\n');
}

function fontsCss(families: readonly ScriptFont[], faces: readonly string[]): string {
  const credits = families.map((f) => ` * ${f.source.font} (${f.source.package}): ${f.source.copyright}\n *   SIL Open Font License 1.1, https://openfontlicense.org`);
  const names = families.map((f) => `"${f.family}"`).join(', ');
  return [
    '/* Fonts embedded by hocso for scripts that phones often lack, subset to the characters of this course.',
    ...credits,
    ' */',
    ...faces,
    // Embedded families first: their unicode-range limits them to their scripts, everything else falls through to
    // the system stack of hocso.css.
    `body {\n  font-family: ${names}, ${SYSTEM_FONT_STACK};\n}`,
    `code,\npre {\n  font-family: ${names}, ${SYSTEM_MONO_STACK};\n}`,
    '',
  ].join('\n');
}

// ---- font files ------------------------------------------------------------------------------------------------

const sourceBytes = new Map<string, Buffer>();
const cmaps = new Map<string, Set<number>>();
const subsets = new Map<string, Promise<Uint8Array>>();

function bytesOf(face: ScriptFontFace): Buffer {
  const file = face.file();
  let bytes = sourceBytes.get(file);
  if (!bytes) {
    bytes = readFileSync(file);
    sourceBytes.set(file, bytes);
  }
  return bytes;
}

/** The code points the font maps to a real glyph. */
function cmapOf(face: ScriptFontFace): Set<number> {
  const file = face.file();
  let cmap = cmaps.get(file);
  if (!cmap) {
    cmap = characterSet(bytesOf(face));
    cmaps.set(file, cmap);
  }
  return cmap;
}

/** The code points a font file (TTF, WOFF or WOFF2) maps to a glyph other than .notdef. */
export function characterSet(bytes: Uint8Array): Set<number> {
  const font = openFont(bytes);
  return new Set(font.characterSet.filter((cp) => cp !== 0xffff && font.glyphForCodePoint(cp).id !== 0));
}

function openFont(bytes: Uint8Array): fontkit.Font {
  const font = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!('characterSet' in font)) throw new Error('a font collection where one font was expected');
  return font as fontkit.Font;
}

/**
 * harfbuzz's hb-subset (WebAssembly) through subset-font: only the given characters, plus every glyph the font's
 * layout rules can reach from them (ligatures, conjuncts, mark positioning), as WOFF2 (or TrueType, for shaping
 * checks). The name table keeps the copyright, licence and licence URL (name ids 0, 13, 14) next to the family names,
 * as the OFL asks.
 */
function subsetFace(face: ScriptFontFace, text: string, format: 'woff2' | 'truetype'): Promise<Uint8Array> {
  const key = `${face.file()}\n${format}\n${text}`;
  let subset = subsets.get(key);
  if (!subset) {
    subset = subsetFont(bytesOf(face), text, { targetFormat: format, preserveNameIds: [0, 13, 14] }).then((b) => new Uint8Array(b));
    subsets.set(key, subset);
  }
  return subset;
}

/**
 * Shapes every run of the script in the texts with the subset font, with HarfBuzz (the shaper of Chromium, Firefox
 * and Android, here as WebAssembly): a .notdef glyph (id 0) in the result is a problem.
 */
async function shapingProblems(font: ScriptFont, face: ScriptFontFace, keep: string, texts: readonly FontText[]): Promise<FontProblem[]> {
  const hb = await import('harfbuzzjs');
  const sfnt = await subsetFace(face, keep, 'truetype');
  const hbFont = new hb.Font(new hb.Face(new hb.Blob(sfnt), 0));
  const inScript = new RegExp(`(?:${font.pattern.source}|[\\u200c\\u200d\\u25cc])+`, 'gu');
  const problems: FontProblem[] = [];
  const checked = new Map<string, string | undefined>();
  for (const { file, text } of texts) {
    const reported = new Set<string>();
    for (const match of text.matchAll(inScript)) {
      const run = match[0];
      if (reported.has(run)) continue;
      reported.add(run);
      if (!checked.has(run)) checked.set(run, notdefIn(hb, hbFont, run));
      const bad = checked.get(run);
      if (bad === undefined) continue;
      const label = [...bad].map((c) => codePointLabel(c.codePointAt(0)!)).join(' ');
      problems.push({ file, ...positionOf(text, run), char: bad, codePoint: label, reason: 'notdef', font: font.source.font, message: `\`${run}\` shapes to the .notdef glyph at \`${bad}\` (${label}) with the embedded ${font.source.font}` });
    }
  }
  return problems;
}

/** The characters (of the first cluster) that HarfBuzz shapes to .notdef, if any. */
function notdefIn(hb: typeof import('harfbuzzjs'), font: import('harfbuzzjs').Font, run: string): string | undefined {
  const glyphs = shapeWith(hb, font, run);
  const bad = glyphs.find((g) => g.codepoint === 0);
  if (!bad) return undefined;
  // Clusters are UTF-16 offsets into the run: the cluster runs to the next cluster's offset.
  const ends = glyphs.map((g) => g.cluster).filter((c) => c > bad.cluster);
  return run.slice(bad.cluster, ends.length ? Math.min(...ends) : run.length);
}

function shapeWith(hb: typeof import('harfbuzzjs'), font: import('harfbuzzjs').Font, text: string): import('harfbuzzjs').GlyphInfo[] {
  const buffer = new hb.Buffer();
  buffer.addText(text);
  buffer.guessSegmentProperties();
  hb.shape(font, buffer);
  return buffer.getGlyphInfos();
}

/** HarfBuzz's glyph ids for the text in a TrueType/OpenType font (0 is .notdef). */
export async function shapedGlyphs(sfnt: Uint8Array, text: string): Promise<number[]> {
  const hb = await import('harfbuzzjs');
  return shapeWith(hb, new hb.Font(new hb.Face(new hb.Blob(sfnt), 0)), text).map((g) => g.codepoint);
}
