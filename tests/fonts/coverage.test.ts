// Glyph coverage: every character of every page has a glyph in the fonts it uses, or it is reported.
import { describe, expect, it } from 'vitest';
import { courseFonts, FONTS_CSS } from '../../src/fonts/course-fonts.js';
import { embedFonts } from '../../src/fonts/embed.js';
import { pageText } from '../../src/fonts/page-text.js';
import type { FileTree } from '../../src/output/atomic-dir.js';

describe('glyph coverage', () => {
  it('reports a character no font draws, with its file, line, column and code point', async () => {
    const { problems } = await courseFonts([
      { file: 'lessons/a.md', text: 'Xin chào.\nChữ Thái Lan: ก ok' },
      { file: 'lessons/b.md', text: 'Không có gì lạ.' },
    ]);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'lessons/a.md', line: 2, column: 15, char: 'ก', codePoint: 'U+0E01', reason: 'no-font' }),
    ]);
    expect(problems[0]!.message).toContain('U+0E01');
  });

  it('reports a character of an embedded script that its font lacks (U+AAC3, unassigned in the Tai Viet block)', async () => {
    const { problems, fonts } = await courseFonts([{ file: 'blt.md', text: 'ꪼꪕ \uAAC3' }]);
    expect(fonts.map((f) => f.script)).toEqual(['Tavt']);
    expect(problems).toEqual([expect.objectContaining({ file: 'blt.md', char: '\uAAC3', codePoint: 'U+AAC3', reason: 'not-in-font', font: 'Noto Sans Tai Viet' })]);
  });

  it('reports each missing character once per file, in every file that has it', async () => {
    const { problems } = await courseFonts([
      { file: 'a.md', text: '𞄀 𞄀 𞄁' }, // Nyiakeng Puachue Hmong: no font embedded for it
      { file: 'b.md', text: 'x 𞄀' },
    ]);
    expect(problems.map((p) => [p.file, p.codePoint])).toEqual([['a.md', 'U+1E100'], ['a.md', 'U+1E101'], ['b.md', 'U+1E100']]);
  });

  it('accepts Vietnamese in NFC and NFD, Hmong RPA, emoji, and invisible characters', async () => {
    const vietnamese = 'Tiếng Việt có dấu: ả ạ ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ẻ ẽ ẹ ế ề ể ễ ệ ỉ ị ỏ ọ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ủ ụ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ đ Đ ₫';
    const { problems, fonts } = await courseFonts([
      { file: 'vi.md', text: vietnamese },
      { file: 'vi-nfd.md', text: vietnamese.normalize('NFD') },
      { file: 'hmn.md', text: 'Nyob zoo! Koj puas paub siv xov tooj? 📱👍🏽 — “OK” … «x» ‹y› • – ™ €' },
      { file: 'zw.md', text: 'a\u200Bb\u00ADc\u200Dd\r\n\t' },
    ]);
    expect(problems).toEqual([]);
    expect(fonts).toEqual([]);
  });

  it('decodes a rendered page: character references and the JSON data its script shows later', () => {
    const html = '<p title="&#x1780;">A &amp; B &#xAA80;&#43660;</p><script type="application/json">{"feedbackHtml":"\\u003cp>ꪼꪕ\\u003c/p>"}</script>';
    const text = pageText(html);
    expect(text).toContain('ក');
    expect(text).toContain('A & B ꪀꪌ');
    expect(text).toContain('<p>ꪼꪕ</p>');
  });
});

describe('embedFonts on a rendered bundle', () => {
  const page = (title: string, body: string): string => `<!DOCTYPE html>\n<html lang="blt">\n<head>\n<title>${title}</title>\n<link rel="stylesheet" href="../assets/hocso.css">\n</head>\n<body>${body}</body>\n</html>\n`;

  it('adds the fonts and fonts.css, links it once from every page, and reports problems under their source', async () => {
    const files: FileTree = new Map<string, string | Uint8Array>([
      ['index.html', page('ꪼꪕ ꪒꪾ', '<h1>ꪼꪕ ꪒꪾ</h1>').replace('../assets', 'assets')],
      ['lessons/a.html', page('a', '<p>ꪁꪫꪾꪣ ꪼꪕ ꪒꪾ ก</p>')],
      ['files/media/a.blt.vtt', 'WEBVTT\n\n00:00.000 --> 00:01.000\nꪹꪀꪱ\n'],
      ['assets/hocso.css', 'body{}'],
    ]);
    const { fonts, problems } = await embedFonts(files, { sourceOf: (p) => (p === 'lessons/a.html' ? { file: 'content/lessons/a.md', text: '---\nid: a\n---\n\nꪁꪫꪾꪣ ꪼꪕ ꪒꪾ ก\n' } : undefined) });
    expect(fonts.map((f) => f.path)).toEqual([...files.keys()].filter((k) => k.endsWith('.woff2')));
    expect(files.get(FONTS_CSS)).toMatch(/@font-face/);
    expect(files.get('index.html')).toContain('<link rel="stylesheet" href="assets/fonts.css">\n</head>');
    expect(files.get('lessons/a.html')).toContain('<link rel="stylesheet" href="../assets/hocso.css">\n<link rel="stylesheet" href="../assets/fonts.css">\n</head>');
    // The caption's ꪹ and ꪱ are in the subset too.
    expect(fonts[0]!.characters).toBe(new Set([...'ꪼꪕꪒꪾꪁꪫꪣꪹꪀꪱ', '\u200C', '\u200D', '\u25CC']).size);
    expect(problems).toEqual([expect.objectContaining({ file: 'content/lessons/a.md', line: 5, column: 12, codePoint: 'U+0E01' })]);

    // Running it again changes nothing (idempotent: a bundle already wired is left as it is).
    const before = new Map(files);
    await embedFonts(files);
    expect(files).toEqual(before);
  });

  it('leaves a bundle that needs no font exactly as it was', async () => {
    const files: FileTree = new Map([['lessons/a.html', page('Bài', '<p>Mã OTP</p>')]]);
    const before = new Map(files);
    expect(await embedFonts(files)).toEqual({ fonts: [], problems: [] });
    expect(files).toEqual(before);
  });
});
