// Which scripts a text needs an embedded font for: decided from its characters, not from its language tag.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectScripts } from '../../src/fonts/course-fonts.js';
import { cssUnicodeRange, SCRIPT_FONTS, scriptFontFor } from '../../src/fonts/scripts.js';
import { isEmoji, needsNoGlyph, systemHasGlyph } from '../../src/fonts/system-coverage.js';

const scriptsOf = (text: string): string[] => detectScripts(text).map((f) => f.script);

describe('script detection', () => {
  it('finds Tai Viet, Cham, Khmer and Pahawh Hmong by their characters', () => {
    expect(scriptsOf('ꪼꪕ ꪒꪾ')).toEqual(['Tavt']);
    expect(scriptsOf('ꨌꩌ')).toEqual(['Cham']);
    expect(scriptsOf('ភាសាខ្មែរ')).toEqual(['Khmr']);
    expect(scriptsOf('𖬀𖬁𖬂')).toEqual(['Hmng']);
  });

  it('finds a Khmer word inside a Vietnamese lesson, and every script of a mixed text in table order', () => {
    expect(scriptsOf('Người Khmer gọi tiếng của mình là ភាសាខ្មែរ (phiên âm: phiasa khmae).')).toEqual(['Khmr']);
    expect(scriptsOf('𖬀 ភាសា ꨌ ꪼꪕ')).toEqual(['Tavt', 'Cham', 'Khmr', 'Hmng']);
  });

  it('needs no font for Vietnamese, Hmong RPA, Tày, Nùng or English: the system stack draws them', () => {
    const latin = [
      'Định danh điện tử giúp bạn làm thủ tục nhanh hơn.',
      'Kuv hlub koj. Nyob zoo os, koj puas noj mov lawm?', // Hmong RPA
      'Mường slấc tẻo pây hất kin. Slư Tày mì lẻ.', // Tày in the Vietnamese-style alphabet
      'Nùng Phàn Slình: cần bấu slam cần.',
      'Digital literacy for everyone.',
    ];
    for (const text of latin) {
      expect(scriptsOf(text)).toEqual([]);
      for (const char of text) expect(systemHasGlyph(char.codePointAt(0)!), `${char} U+${char.codePointAt(0)!.toString(16)}`).toBe(true);
    }
  });

  it('maps every character of each script block to its font, and nothing else', () => {
    expect(scriptFontFor(0xaa80)?.script).toBe('Tavt');
    expect(scriptFontFor(0xaa00)?.script).toBe('Cham');
    expect(scriptFontFor(0x17d2)?.script).toBe('Khmr'); // KHMER SIGN COENG
    expect(scriptFontFor(0x16b00)?.script).toBe('Hmng');
    expect(scriptFontFor('ế'.codePointAt(0)!)).toBeUndefined();
    expect(scriptFontFor(0x0e01)).toBeUndefined(); // Thai: no embedded font
  });

  it('declares CSS unicode-ranges that hold the whole script block', () => {
    const tavt = SCRIPT_FONTS.find((f) => f.script === 'Tavt')!;
    expect(cssUnicodeRange(tavt.unicodeRange)).toBe('U+200C-200D, U+25CC, U+A78B-A78C, U+AA80-AADF');
    const hmng = SCRIPT_FONTS.find((f) => f.script === 'Hmng')!;
    expect(cssUnicodeRange(hmng.unicodeRange)).toContain('U+16B00-16B8F');
  });

  it('treats emoji as the device emoji font\'s and invisible characters as needing no glyph', () => {
    expect(isEmoji('📱')).toBe(true);
    expect(isEmoji('\uFE0F')).toBe(true);
    expect(isEmoji('a')).toBe(false);
    for (const char of ['\n', '\t', '\u200D', '\u00AD', '\uFE0F', '\u2028']) expect(needsNoGlyph(char)).toBe(true);
    expect(needsNoGlyph(' ')).toBe(false);
  });
});

describe('the font table', () => {
  it('points at font files that are installed, all under the SIL Open Font License', () => {
    for (const font of SCRIPT_FONTS) {
      expect(font.source.license).toBe('OFL-1.1');
      for (const face of font.faces) expect(existsSync(face.file()), face.file()).toBe(true);
    }
  });

  it('ships the vendored Pahawh Hmong font unmodified, with its licence', () => {
    const hmng = SCRIPT_FONTS.find((f) => f.script === 'Hmng')!;
    const file = hmng.faces[0]!.file();
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe('303dbcc71425c331cc5d293254acfdf15aed04cf5e0075ecba0ed0d8a5d5862b');
    expect(readFileSync(file.replace(/[^/\\]+$/, 'OFL.txt'), 'utf8')).toContain('SIL OPEN FONT LICENSE Version 1.1');
  });
});
