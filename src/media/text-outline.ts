// Text → SVG path data, for pictures rendered on machines that may have no fonts at all (sharp/librsvg draws <text>
// with the system's fonts: a bare CI machine has none, and Vietnamese diacritics or Tai Viet come out as boxes or
// nothing). The text is shaped with HarfBuzz (harfbuzzjs, WebAssembly) using the fonts hocso ships — Noto Sans for
// Latin and Vietnamese, the embedded script fonts of src/fonts/scripts.ts for Tai Viet, Cham, Khmer and Pahawh Hmong —
// wrapped to a width, and drawn as glyph outlines: the picture looks the same on every machine.
//
// Fonts: @fontsource packages hold WOFF2 files, which HarfBuzz cannot read; subset-font (hb-subset) turns each into a
// TrueType file, keeping every glyph and every layout table, once per process. Noto Sans comes as Google Fonts' subsets
// (latin, latin-ext, vietnamese): each grapheme cluster takes the first subset that has all of its characters, so
// "ệ" comes from the vietnamese file and "B" from the latin one, with the same design and metrics.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';
import { SCRIPT_FONTS, type ScriptFont } from '../fonts/scripts.js';

type Hb = typeof import('harfbuzzjs');
type HbFont = import('harfbuzzjs').Font;
type PathCommand = import('harfbuzzjs').SvgPathCommand;

const require = createRequire(import.meta.url);

export type FontWeight = 400 | 700;

export interface TextOptions {
  /** Font size in pixels (the em). */
  size: number;
  /** Lines are wrapped to this width, in pixels. */
  maxWidth: number;
  /**
   * Distance between baselines as a multiple of `size` (as CSS's unitless line-height). Default: 1.3, or more when the
   * text has a script whose marks stack high or deep (Tai Viet, Cham, Pahawh Hmong 1.6, Khmer 1.75).
   */
  lineHeight?: number;
  /** BCP 47 tag of the text's language: HarfBuzz picks the font's language-specific forms (e.g. `vi`). */
  language?: string;
  weight?: FontWeight;
  /** At most this many lines: the last one kept ends with "…" (`truncated` is then true). */
  maxLines?: number;
  /** Where each line sits within `maxWidth`. Default `start`. */
  align?: 'start' | 'center';
}

/** One glyph the text was drawn with. */
export interface PlacedGlyph {
  /** The font's name ("Noto Sans", "Noto Sans Khmer", …). */
  font: string;
  /** Glyph id in that font (0 is .notdef: the font has no glyph for the character). */
  id: number;
  /** UTF-16 offset of the glyph's cluster in its line's text. */
  cluster: number;
  /** 0-based line. */
  line: number;
}

export interface TextPath {
  /** SVG path data in pixels, relative to the top-left corner of the text block; fill it (nonzero). */
  d: string;
  /** The widest line's advance, in pixels. */
  width: number;
  /** lines × line pitch, in pixels. */
  height: number;
  lines: number;
  /** Distance between baselines, in pixels. */
  lineHeight: number;
  /** y of the first baseline. */
  baseline: number;
  /** The text of each line, as drawn. */
  lineTexts: string[];
  /** The advance of each line, in pixels. */
  lineWidths: number[];
  /** True when `maxLines` cut the text. */
  truncated: boolean;
  glyphs: PlacedGlyph[];
  /** Characters that shaped to .notdef (no font has them), each once. */
  missing: string[];
}

/** A font file ready for HarfBuzz. */
interface LoadedFont {
  name: string;
  file: string;
  font: HbFont;
  upem: number;
  cmap: Set<number>;
  ascender: number;
  descender: number;
  outlines: Map<number, PathCommand[]>;
}

interface FontSet {
  /** Noto Sans subsets, in the order a cluster tries them. */
  latin: LoadedFont[];
  /** The script fonts the text needs (by script), with their loaded face. */
  scripts: { script: ScriptFont; font: LoadedFont }[];
}

const NOTO_SANS = '@fontsource/noto-sans';
const NOTO_SANS_SUBSETS = ['latin', 'latin-ext', 'vietnamese'] as const;
const ELLIPSIS = '\u2026';

let hbModule: Promise<Hb> | undefined;
function harfbuzz(): Promise<Hb> {
  hbModule ??= import('harfbuzzjs');
  return hbModule;
}

const loaded = new Map<string, Promise<LoadedFont>>();

/** The font file as HarfBuzz font, converted (WOFF2 → TrueType, every glyph kept) once per process. */
function loadFont(file: string, name: string): Promise<LoadedFont> {
  let font = loaded.get(file);
  if (!font) {
    font = (async () => {
      const hb = await harfbuzz();
      const bytes = readFileSync(file);
      // keepAllGlyphs is in subset-font's options (2.9) but not in its type declarations.
      const options = { targetFormat: 'truetype', keepAllGlyphs: true } as Parameters<typeof subsetFont>[2];
      const sfnt = bytes.subarray(0, 4).toString('latin1') === 'wOF2' || bytes.subarray(0, 4).toString('latin1') === 'wOFF' ? await subsetFont(bytes, '', options) : bytes;
      const face = new hb.Face(new hb.Blob(new Uint8Array(sfnt)), 0);
      const hbFont = new hb.Font(face);
      const extents = hbFont.hExtents();
      return { name, file, font: hbFont, upem: face.upem, cmap: new Set(face.collectUnicodes()), ascender: extents.ascender, descender: extents.descender, outlines: new Map() };
    })();
    loaded.set(file, font);
    font.catch(() => loaded.delete(file));
  }
  return font;
}

/** Where the Noto Sans subset file is (the @fontsource/noto-sans package). */
export function notoSansFile(subset: (typeof NOTO_SANS_SUBSETS)[number], weight: FontWeight): string {
  return require.resolve(`${NOTO_SANS}/files/noto-sans-${subset}-${weight}-normal.woff2`);
}

function faceFor(script: ScriptFont, weight: FontWeight): string {
  const face = script.faces.find((f) => f.weight === weight) ?? script.faces[0]!;
  return face.file();
}

async function fontSetFor(text: string, weight: FontWeight): Promise<FontSet> {
  const latin = await Promise.all(NOTO_SANS_SUBSETS.map((subset) => loadFont(notoSansFile(subset, weight), 'Noto Sans')));
  const needed = SCRIPT_FONTS.filter((s) => s.pattern.test(text));
  const scripts = await Promise.all(needed.map(async (script) => ({ script, font: await loadFont(faceFor(script, weight), script.source.font) })));
  return { latin, scripts };
}

/** Characters HarfBuzz hides when the font lacks them (joiners, variation selectors, soft hyphen…): no font needed. */
function ignorable(cp: number): boolean {
  return cp === 0xad || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function fontOfCluster(cluster: string, fonts: FontSet): LoadedFont {
  const script = fonts.scripts.find((s) => s.script.pattern.test(cluster));
  if (script) return script.font;
  const cps = [...cluster].map((c) => c.codePointAt(0)!);
  const hasAll = (f: LoadedFont): boolean => cps.every((cp) => f.cmap.has(cp) || ignorable(cp));
  return fonts.latin.find(hasAll) ?? fonts.latin.find((f) => f.cmap.has(cps[0]!)) ?? fonts.scripts.map((s) => s.font).find(hasAll) ?? fonts.latin[0]!;
}

interface ShapedGlyph {
  font: LoadedFont;
  id: number;
  cluster: number;
  /** Pen position and offsets in em. */
  x: number;
  dx: number;
  dy: number;
}

interface ShapedLine {
  glyphs: ShapedGlyph[];
  /** Advance in em. */
  width: number;
}

/** Shapes one line: runs of clusters that take the same font, each shaped with the whole line as context. */
function shapeLine(hb: Hb, text: string, fonts: FontSet, language: string | undefined): ShapedLine {
  const runs: { font: LoadedFont; start: number; end: number }[] = [];
  for (const { segment, index } of graphemes.segment(text)) {
    const font = fontOfCluster(segment, fonts);
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.end = index + segment.length;
    else runs.push({ font, start: index, end: index + segment.length });
  }
  const glyphs: ShapedGlyph[] = [];
  let pen = 0;
  for (const run of runs) {
    const buffer = new hb.Buffer();
    buffer.addText(text, run.start, run.end - run.start);
    buffer.guessSegmentProperties();
    if (language) buffer.setLanguage(language);
    hb.shape(run.font.font, buffer);
    const scale = 1 / run.font.upem;
    for (const g of buffer.getGlyphInfosAndPositions()) {
      glyphs.push({ font: run.font, id: g.codepoint, cluster: g.cluster, x: pen, dx: (g.xOffset ?? 0) * scale, dy: (g.yOffset ?? 0) * scale });
      pen += (g.xAdvance ?? 0) * scale;
    }
  }
  return { glyphs, width: pen };
}

/** Collapses spaces and tabs, trims, and splits at hard line breaks. */
function paragraphsOf(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/\r\n|[\n\r\u2028\u2029]/)
    .map((p) => p.replace(/[ \t\u00a0]+/g, ' ').trim());
}

function defaultLineHeight(text: string): number {
  if (/\p{Script=Khmer}/u.test(text)) return 1.75;
  if (/[\p{Script=Tai_Viet}\p{Script=Cham}\p{Script=Pahawh_Hmong}]/u.test(text)) return 1.6;
  return 1.3;
}

/** The pieces a too-long word may be broken into: words (Khmer has no spaces: ICU's dictionary finds them), else graphemes. */
function piecesOf(word: string, language: string | undefined): string[] {
  let segmenter: Intl.Segmenter;
  try {
    segmenter = new Intl.Segmenter(language, { granularity: 'word' });
  } catch {
    segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  }
  const words = [...segmenter.segment(word)].map((s) => s.segment);
  if (words.length > 1) return words;
  return [...graphemes.segment(word)].map((s) => s.segment);
}

/** Greedy line breaking: at spaces, then inside a word only when the word alone is wider than the line. */
function wrap(paragraph: string, fits: (line: string) => boolean, language: string | undefined): string[] {
  if (!paragraph) return [''];
  const lines: string[] = [];
  const queue = paragraph.split(' ').map((text, i) => ({ text, sep: i ? ' ' : '' }));
  let current = '';
  while (queue.length) {
    const token = queue.shift()!;
    const candidate = current ? current + token.sep + token.text : token.text;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) {
      lines.push(current);
      current = '';
      queue.unshift({ text: token.text, sep: '' });
      continue;
    }
    const pieces = piecesOf(token.text, language);
    if (pieces.length > 1) queue.unshift(...pieces.map((text) => ({ text, sep: '' })));
    else lines.push(token.text); // one grapheme wider than the line: alone on its line
  }
  if (current) lines.push(current);
  return lines;
}

/** The line cut so that it and "…" fit (at least one grapheme is kept). */
function withEllipsis(line: string, fits: (line: string) => boolean): string {
  const parts = [...graphemes.segment(line)].map((s) => s.segment);
  while (parts.length > 1 && !fits(parts.join('').trimEnd() + ELLIPSIS)) parts.pop();
  return parts.join('').trimEnd() + ELLIPSIS;
}

function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function outlineOf(font: LoadedFont, id: number): PathCommand[] {
  let commands = font.outlines.get(id);
  if (!commands) {
    commands = font.font.glyphToJson(id);
    font.outlines.set(id, commands);
  }
  return commands;
}

/** Appends the glyph's outline, with its origin at (x, y) pixels and `size` pixels to the em, to the path data. */
function drawGlyph(out: string[], font: LoadedFont, id: number, x: number, y: number, size: number): void {
  const s = size / font.upem;
  for (const { type, values } of outlineOf(font, id)) {
    if (type === 'Z') {
      out.push('Z');
      continue;
    }
    const coords: string[] = [];
    for (let i = 0; i < values.length; i += 2) coords.push(`${num(x + values[i]! * s)} ${num(y - values[i + 1]! * s)}`);
    out.push(type + coords.join(' '));
  }
}

/**
 * Lays out and draws the text as glyph outlines. Hard line breaks ("\n") are kept, runs of spaces collapse, lines wrap
 * at spaces to `maxWidth` (a word wider than a line is broken at word boundaries — dictionary ones for Khmer — or at
 * grapheme boundaries). Deterministic: the same text and options give the same path data.
 */
export async function textToPath(text: string, options: TextOptions): Promise<TextPath> {
  const hb = await harfbuzz();
  const weight = options.weight ?? 400;
  const paragraphs = paragraphsOf(text);
  const fonts = await fontSetFor(paragraphs.join('\n'), weight);
  const { size, maxWidth, language } = options;
  const widths = new Map<string, number>();
  const widthOf = (line: string): number => {
    let w = widths.get(line);
    if (w === undefined) {
      w = shapeLine(hb, line, fonts, language).width * size;
      widths.set(line, w);
    }
    return w;
  };
  const fits = (line: string): boolean => widthOf(line) <= maxWidth + 1e-6;

  let lines = paragraphs.flatMap((p) => wrap(p, fits, language));
  let truncated = false;
  if (options.maxLines !== undefined && lines.length > options.maxLines) {
    const keep = Math.max(1, options.maxLines);
    lines = [...lines.slice(0, keep - 1), withEllipsis(lines[keep - 1]!, fits)];
    truncated = true;
  }

  const lineHeight = (options.lineHeight ?? defaultLineHeight(paragraphs.join(' '))) * size;
  const primary = fonts.latin[0]!;
  const ascent = (primary.ascender / primary.upem) * size;
  const content = ((primary.ascender - primary.descender) / primary.upem) * size;
  const baseline = (lineHeight - content) / 2 + ascent;

  const d: string[] = [];
  const glyphs: PlacedGlyph[] = [];
  const missing = new Set<string>();
  const lineWidths: number[] = [];
  lines.forEach((line, i) => {
    const shaped = shapeLine(hb, line, fonts, language);
    const width = shaped.width * size;
    lineWidths.push(width);
    const left = options.align === 'center' ? Math.max(0, (maxWidth - width) / 2) : 0;
    const y = baseline + i * lineHeight;
    for (const g of shaped.glyphs) {
      glyphs.push({ font: g.font.name, id: g.id, cluster: g.cluster, line: i });
      if (g.id === 0) {
        const next = shaped.glyphs.map((o) => o.cluster).filter((c) => c > g.cluster);
        missing.add(line.slice(g.cluster, next.length ? Math.min(...next) : line.length));
      }
      drawGlyph(d, g.font, g.id, left + (g.x + g.dx) * size, y - g.dy * size, size);
    }
  });

  return {
    d: d.join(''),
    width: Math.max(0, ...lineWidths),
    height: lines.length * lineHeight,
    lines: lines.length,
    lineHeight,
    baseline,
    lineTexts: lines,
    lineWidths,
    truncated,
    glyphs,
    missing: [...missing],
  };
}
