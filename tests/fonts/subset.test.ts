// Subset fonts: only the characters the course uses (plus what shaping needs), valid WOFF2, the same bytes every time.
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import subsetFont from 'subset-font';
import { describe, expect, it, vi } from 'vitest';
import { characterSet, courseFonts, FONTS_DIR, shapedGlyphs } from '../../src/fonts/course-fonts.js';
import { SCRIPT_FONTS } from '../../src/fonts/scripts.js';

const TAI_DAM = readFileSync(new URL('fixtures/tai-dam.md', import.meta.url), 'utf8');
const KHMER = 'ការរៀនឌីជីថល ភាសាខ្មែរ';
const fontOf = (script: string) => SCRIPT_FONTS.find((f) => f.script === script)!;

function woff2(bytes: Uint8Array): fontkit.Font {
  expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('wOF2');
  return fontkit.create(Buffer.from(bytes)) as fontkit.Font;
}

describe('subset fonts', () => {
  it('keep exactly the characters used, plus the joiners and dotted circle shaping needs', async () => {
    const { files, fonts } = await courseFonts([{ file: 'a.md', text: 'Chữ Thái: ꪼꪕ ꪒꪾ' }]);
    expect(fonts.map((f) => [f.script, f.weight])).toEqual([['Tavt', 400]]);
    const [name, bytes] = [...files][0]!;
    expect(name).toMatch(new RegExp(`^${FONTS_DIR}/noto-sans-tai-viet-400-[0-9a-f]{10}\\.woff2$`));
    const font = woff2(bytes);
    const expected = ['ꪼ', 'ꪕ', 'ꪒ', 'ꪾ', '\u200C', '\u200D', '\u25CC'].map((c) => c.codePointAt(0)!);
    expect([...characterSet(bytes)].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    expect(font.familyName).toBe('Noto Sans Tai Viet');
    // The OFL's notice stays in the font: copyright and licence in the name table.
    expect(font.copyright).toMatch(/Noto Project Authors/);
    expect(font.getName('licenseURL') ?? font.getName('license')).toMatch(/openfontlicense|scripts\.sil\.org|OFL/i);
    // Far smaller than the font it comes from.
    expect(bytes.length).toBeLessThan(readFileSync(fontOf('Tavt').faces[0]!.file()).length / 2);
  });

  it('keep what the layout rules reach: Khmer subscript consonants (coeng) still shape without .notdef', async () => {
    const { files, problems } = await courseFonts([{ file: 'km.md', text: KHMER }]);
    expect(problems).toEqual([]);
    expect([...files.keys()].map((n) => n.replace(/-[0-9a-f]{10}\./, '.'))).toEqual([`${FONTS_DIR}/noto-sans-khmer-400.woff2`, `${FONTS_DIR}/noto-sans-khmer-700.woff2`]);
    // The same subset as TrueType, shaped by HarfBuzz as a browser would.
    const keep = [...new Set([...KHMER].filter((c) => /\p{Script=Khmer}/u.test(c)))].join('') + '\u200C\u200D\u25CC';
    const sfnt = new Uint8Array(await subsetFont(readFileSync(fontOf('Khmr').faces[0]!.file()), keep, { targetFormat: 'truetype' }));
    const glyphs = await shapedGlyphs(sfnt, 'ខ្មែរ');
    expect(glyphs).not.toContain(0);
    // The coeng + MO pair becomes one subscript glyph: fewer glyphs than characters.
    expect(glyphs.length).toBeLessThan([...'ខ្មែរ'].length);
    // A character the subset lacks does shape to .notdef: the check can fail.
    expect(await shapedGlyphs(sfnt, 'ខឃ')).toContain(0);
  });

  it('are deterministic: same characters → same bytes, names and CSS, whatever the order of the texts', async () => {
    const texts = [{ file: 'a.md', text: TAI_DAM }, { file: 'b.md', text: `${KHMER} 𖬀𖬁` }];
    const first = await courseFonts(texts);
    // A fresh module: nothing cached, harfbuzz subsets again.
    vi.resetModules();
    const fresh = await import('../../src/fonts/course-fonts.js');
    const second = await fresh.courseFonts([...texts].reverse());
    expect(second.css).toBe(first.css);
    expect([...second.files.keys()]).toEqual([...first.files.keys()]);
    for (const [name, bytes] of first.files) expect(Buffer.compare(Buffer.from(second.files.get(name)!), Buffer.from(bytes))).toBe(0);
  });

  it('embed nothing for a course without those scripts', async () => {
    const none = await courseFonts([{ file: 'vi.md', text: 'Mã OTP là mật khẩu dùng một lần. Kuv hlub koj.' }]);
    expect(none).toEqual({ css: '', files: new Map(), fonts: [], problems: [] });
  });

  it('write @font-face rules limited to each script, before the system stack', async () => {
    const { css, files } = await courseFonts([{ file: 'a.md', text: 'ꪼꪕ ꪒꪾ ភាសា' }]);
    for (const name of files.keys()) expect(css).toContain(`url("${name.replace('assets/', '')}") format("woff2")`);
    expect(css).toContain('unicode-range: U+200C-200D, U+25CC, U+A78B-A78C, U+AA80-AADF;');
    expect(css).toContain('font-weight: 700;');
    expect(css).toMatch(/body \{\n {2}font-family: "hocso Tai Viet", "hocso Khmer", system-ui,/);
    expect(css).toContain('SIL Open Font License 1.1');
  });
});
