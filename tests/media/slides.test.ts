import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSlides, timeSlides, type Slide, type SlideDeckInput } from '../../src/media/slides.js';
import { mp4Language, renderSlideVideo, slideSpans, SlideVideoError, wavDuration } from '../../src/media/slide-video.js';
import { textToPath } from '../../src/media/text-outline.js';
import { probeFile, requireTool, runTool } from '../../src/media/tools.js';

const VIETNAMESE = 'Bảo vệ tài khoản ngân hàng';
const TAI_DAM = 'ꪁꪫꪾꪣ ꪼꪕ ꪒꪾ ꪹꪀꪱ';
const KHMER = 'ការរៀនឌីជីថល ភាសាខ្មែរ';

/** Raw RGB pixels of a picture. */
async function pixels(png: Uint8Array): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** How many pixels of the region are dark (every channel below 90). */
async function darkPixels(png: Uint8Array, region: { left: number; top: number; width: number; height: number }): Promise<number> {
  const { data } = await sharp(png).removeAlpha().extract(region).raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (let i = 0; i < data.length; i += 3) if (data[i]! < 90 && data[i + 1]! < 90 && data[i + 2]! < 90) dark++;
  return dark;
}

async function meanAbsDiff(a: Uint8Array, b: Uint8Array): Promise<number> {
  const [pa, pb] = await Promise.all([pixels(a), pixels(b)]);
  expect([pa.width, pa.height]).toEqual([pb.width, pb.height]);
  let sum = 0;
  for (let i = 0; i < pa.data.length; i++) sum += Math.abs(pa.data[i]! - pb.data[i]!);
  return sum / pa.data.length;
}

/** The glyph outlines rendered black on white (100 px below the top edge), and the first row that has ink. */
async function topInkRow(text: string): Promise<number> {
  const t = await textToPath(text, { size: 100, maxWidth: 1000, language: 'vi' });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="${Math.ceil(t.height) + 200}"><rect width="100%" height="100%" fill="#fff"/><path transform="translate(0 100)" d="${t.d}"/></svg>`;
  const { data, width, height } = await pixels(await sharp(Buffer.from(svg)).png().toBuffer());
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (data[(y * width + x) * 3]! < 128) return y;
  return height;
}

describe('textToPath', () => {
  it('draws Vietnamese with Noto Sans glyphs and wraps it at spaces', async () => {
    const one = await textToPath(VIETNAMESE, { size: 40, maxWidth: 2000, language: 'vi' });
    expect(one.d).toMatch(/^M[\d.-]+ [\d.-]+/);
    expect(one.lines).toBe(1);
    expect(one.lineTexts).toEqual([VIETNAMESE]);
    expect(one.missing).toEqual([]);
    expect(one.glyphs.length).toBe([...VIETNAMESE].length); // precomposed ả, ệ, … each one glyph
    expect(one.glyphs.every((g) => g.font === 'Noto Sans' && g.id > 0)).toBe(true);
    expect(one.width).toBeGreaterThan(300);

    const narrow = await textToPath(VIETNAMESE, { size: 40, maxWidth: 220, language: 'vi' });
    expect(narrow.lines).toBeGreaterThan(1);
    expect(narrow.height).toBeCloseTo(narrow.lines * narrow.lineHeight, 5);
    expect(narrow.lineWidths.every((w) => w <= 220)).toBe(true);
    expect(narrow.lineTexts.join(' ')).toBe(VIETNAMESE); // broken at spaces, nothing lost
    const shorter = await textToPath('Bảo vệ', { size: 40, maxWidth: 220, language: 'vi' });
    expect(shorter.lines).toBeLessThan(narrow.lines);
  });

  it('keeps Vietnamese stacked diacritics above the letter', async () => {
    const plain = await topInkRow('E');
    // The circumflex and the tilde stacked on top of it reach far above the capital.
    expect(await topInkRow('Ễ')).toBeLessThan(plain - 20);
    expect(await topInkRow('Ở')).toBeLessThan(plain - 15);
    expect(await topInkRow('ệ')).toBeLessThan((await topInkRow('e')) - 15);
  });

  it('draws Tai Viet, Khmer, Cham and Pahawh Hmong with their fonts, with no .notdef glyph', async () => {
    const taiDam = await textToPath(TAI_DAM, { size: 40, maxWidth: 2000, language: 'blt' });
    const taiGlyphs = taiDam.glyphs.filter((g) => g.font !== 'Noto Sans');
    expect(taiGlyphs.length).toBe([...TAI_DAM.replace(/ /g, '')].length);
    expect(taiGlyphs.every((g) => g.font === 'Noto Sans Tai Viet' && g.id > 0)).toBe(true);
    expect(taiDam.missing).toEqual([]);

    const khmer = await textToPath(KHMER, { size: 40, maxWidth: 2000, language: 'km' });
    const khmerGlyphs = khmer.glyphs.filter((g) => g.font === 'Noto Sans Khmer');
    expect(khmerGlyphs.length).toBe(khmer.glyphs.length - 1); // all but the space
    expect(khmer.glyphs.every((g) => g.id > 0)).toBe(true);
    expect(khmer.missing).toEqual([]);
    // Shaped, not drawn character by character: ្ម (coeng + MO) becomes one subscript glyph.
    const subscript = await textToPath('ខ្មែរ', { size: 40, maxWidth: 2000, language: 'km' });
    expect(subscript.glyphs.length).toBeLessThan([...'ខ្មែរ'].length);

    const cham = await textToPath('ꨌꩌ ꨀꨇꩉ', { size: 40, maxWidth: 2000, language: 'cjm' });
    expect(cham.glyphs.filter((g) => g.font === 'Noto Sans Cham').length).toBe(5);
    const hmong = await textToPath('𖬀𖬁𖬂 Hmoob', { size: 40, maxWidth: 2000, language: 'hmn' });
    expect(hmong.glyphs.filter((g) => g.font === 'Noto Sans Pahawh Hmong').length).toBe(3);
    expect([...cham.glyphs, ...hmong.glyphs].every((g) => g.id > 0)).toBe(true);
  });

  it('reports characters no font has (drawn as .notdef)', async () => {
    const thai = await textToPath('ก ổn', { size: 40, maxWidth: 2000 });
    expect(thai.missing).toEqual(['ก']);
    expect(thai.glyphs.filter((g) => g.id === 0)).toHaveLength(1);
  });

  it('breaks Khmer, which has no spaces, inside words when a word is wider than the line', async () => {
    const text = 'ការរៀនឌីជីថលភាសាខ្មែរការរៀនឌីជីថលភាសាខ្មែរ';
    const wrapped = await textToPath(text, { size: 40, maxWidth: 300, language: 'km' });
    expect(wrapped.lines).toBeGreaterThan(2);
    expect(wrapped.lineWidths.every((w) => w <= 300)).toBe(true);
    expect(wrapped.lineTexts.join('')).toBe(text);
    expect(wrapped.glyphs.every((g) => g.id > 0)).toBe(true);
  });

  it('cuts text to maxLines with an ellipsis', async () => {
    const long = Array.from({ length: 12 }, () => VIETNAMESE).join(' ');
    const cut = await textToPath(long, { size: 40, maxWidth: 600, maxLines: 2 });
    expect(cut.lines).toBe(2);
    expect(cut.truncated).toBe(true);
    expect(cut.lineTexts[1]).toMatch(/…$/);
    expect(cut.lineWidths[1]).toBeLessThanOrEqual(600);
    const whole = await textToPath(VIETNAMESE, { size: 40, maxWidth: 2000, maxLines: 2 });
    expect(whole.truncated).toBe(false);
  });
});

const DECK: SlideDeckInput = {
  courseTitle: 'Kỹ năng số cho người cao tuổi',
  lessonTitle: 'Bảo vệ tài khoản ngân hàng',
  language: 'vi',
  chapters: [
    { title: 'Mật khẩu mạnh', sentences: ['Không bao giờ chia sẻ mã OTP cho bất kỳ ai.', 'Dùng mật khẩu dài, có chữ và số.', 'Đổi mật khẩu ngay nếu nghi ngờ bị lộ.'] },
    { title: 'Tin nhắn lừa đảo', sentences: Array.from({ length: 9 }, (_, i) => `Dấu hiệu ${i + 1}: tin nhắn yêu cầu bạn bấm vào đường link để đăng nhập tài khoản ngân hàng.`) },
    { title: 'ភាសាខ្មែរ', sentences: [KHMER, TAI_DAM] },
  ],
};

describe('renderSlides', () => {
  let slides: Slide[];
  beforeAll(async () => {
    slides = await renderSlides(DECK);
  });

  it('gives a title slide, then each chapter in order, as 1280×720 PNGs', async () => {
    expect(slides[0]!.kind).toBe('title');
    expect(slides[0]!.chapter).toBe(-1);
    const chapters = slides.slice(1).map((s) => s.chapter);
    expect(chapters).toEqual([...chapters].sort((a, b) => a - b));
    expect(new Set(chapters)).toEqual(new Set([0, 1, 2]));
    for (const slide of slides) {
      const meta = await sharp(slide.png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 1280, 720]);
      expect(slide.missing).toEqual([]);
    }
  });

  it('continues a long chapter on more slides, each sentence on exactly one of them', () => {
    const long = slides.filter((s) => s.chapter === 1);
    expect(long.length).toBeGreaterThan(1);
    expect(long.map((s) => s.page)).toEqual(long.map((_, i) => i));
    expect(long.every((s) => s.pages === long.length)).toBe(true);
    expect(long[0]!.sentences.from).toBe(0);
    for (let i = 1; i < long.length; i++) expect(long[i]!.sentences.from).toBe(long[i - 1]!.sentences.to);
    expect(long[long.length - 1]!.sentences.to).toBe(9);
    expect(long.some((s) => s.truncated)).toBe(false);
  });

  it('has dark text where the title and the bullets are, and nothing in the captions band', async () => {
    const title = slides[0]!;
    expect(await darkPixels(title.png, { left: 72, top: 200, width: 1136, height: 300 })).toBeGreaterThan(5000);
    for (const slide of slides.slice(1)) {
      expect(await darkPixels(slide.png, { left: 72, top: 200, width: 1136, height: 380 })).toBeGreaterThan(3000);
      // The bottom band, where players draw captions, is plain background.
      expect(await darkPixels(slide.png, { left: 0, top: 610, width: 1280, height: 110 })).toBe(0);
    }
    // The heading band is dark (white letters on navy).
    expect(await darkPixels(slides[1]!.png, { left: 0, top: 0, width: 1280, height: 20 })).toBe(1280 * 20);
  });

  it('cuts a chapter that needs more slides than allowed, and says so', async () => {
    const few = await renderSlides({ ...DECK, chapters: [DECK.chapters[1]!] }, { maxSlidesPerChapter: 1 });
    expect(few).toHaveLength(2);
    expect(few[1]!.sentences.to).toBeLessThan(9);
    expect(few[1]!.truncated).toBe(true);
  });

  it('gives the same bytes on a second run', async () => {
    const again = await renderSlides(DECK);
    expect(again.length).toBe(slides.length);
    again.forEach((slide, i) => expect(Buffer.from(slide.png).equals(Buffer.from(slides[i]!.png))).toBe(true));
  });

  it('times the slides from the narration', () => {
    const timed = timeSlides(slides, {
      duration: 30,
      chapters: [
        { start: 2, end: 10 },
        { start: 10, end: 25, sentences: Array.from({ length: 9 }, (_, i) => ({ start: 10 + i, end: 11 + i })) },
        { start: 25, end: 30 },
      ],
    });
    expect(timed).toHaveLength(slides.length);
    expect(timed[0]).toMatchObject({ start: 0, end: 2 });
    expect(timed[1]).toMatchObject({ start: 2, end: 10 });
    const second = slides.findIndex((s) => s.chapter === 1 && s.page === 1);
    expect(timed[second]!.start).toBe(10 + slides[second]!.sentences.from);
    expect(timed[timed.length - 1]).toMatchObject({ start: 25, end: 30 });
    for (let i = 1; i < timed.length; i++) expect(timed[i]!.start).toBe(timed[i - 1]!.end);
  });
});

describe('renderSlideVideo', () => {
  let dir: string;
  let wav: Buffer;
  let slides: Slide[];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hocso-slide-video-test-'));
    const ffmpeg = requireTool('ffmpeg');
    wav = (await runTool(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=22050:duration=3', '-ac', '1', '-c:a', 'pcm_s16le', '-f', 'wav', '-'])).stdout;
    slides = await renderSlides({ ...DECK, chapters: [DECK.chapters[0]!, DECK.chapters[2]!] });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function frameAt(file: string, seconds: number): Promise<Uint8Array> {
    const { stdout } = await runTool(requireTool('ffmpeg'), ['-v', 'error', '-i', file, '-ss', String(seconds), '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-']);
    return new Uint8Array(stdout);
  }

  it('makes an H.264 + AAC + mov_text MP4 as long as the audio, each slide at its time, the same bytes each time', async () => {
    expect(slides).toHaveLength(3);
    const input = {
      slides: slides.map((s, i) => ({ png: s.png, start: i, end: i + 1 })),
      audioWav: wav,
      captionsVtt: 'WEBVTT\n\n00:00.000 --> 00:01.500\nXin chào các bác\n\n00:01.500 --> 00:03.000\nHẹn gặp lại\n',
      title: DECK.lessonTitle,
      language: 'vi',
    };
    const mp4 = await renderSlideVideo(input);
    const file = path.join(dir, 'video.mp4');
    writeFileSync(file, mp4);

    const probe = await probeFile(file);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    const subtitle = probe.streams.find((s) => s.codec_type === 'subtitle');
    expect(video).toMatchObject({ codec_name: 'h264', profile: 'Main', pix_fmt: 'yuv420p', width: 1280, height: 720 });
    expect(audio).toMatchObject({ codec_name: 'aac', channels: 1 });
    expect(subtitle).toMatchObject({ codec_name: 'mov_text' });
    expect(subtitle!.tags?.language).toBe('vie');
    expect(probe.format.tags?.title).toBe(DECK.lessonTitle);
    expect(Number(probe.format.duration)).toBeGreaterThan(2.9);
    expect(Number(probe.format.duration)).toBeLessThan(3.15);
    // +faststart: the index comes before the media data.
    const bytes = Buffer.from(mp4);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));

    const late = await frameAt(file, 2.5);
    const toThird = await meanAbsDiff(late, slides[2]!.png);
    const toFirst = await meanAbsDiff(late, slides[0]!.png);
    expect(toThird).toBeLessThan(3);
    expect(toFirst).toBeGreaterThan(toThird * 4);
    const early = await frameAt(file, 0.5);
    expect(await meanAbsDiff(early, slides[0]!.png)).toBeLessThan(3);
    const middle = await frameAt(file, 1.5);
    expect(await meanAbsDiff(middle, slides[1]!.png)).toBeLessThan(3);

    const again = await renderSlideVideo(input);
    expect(Buffer.from(again).equals(bytes)).toBe(true);
  });

  it('shows the last slide until the audio ends and fills gaps with the slide before', () => {
    const [a, b, c] = [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])];
    const spans = slideSpans([{ png: b, start: 1.5, end: 2 }, { png: a, start: 0.5, end: 1 }, { png: c, start: 2.5, end: 2.8 }, { png: c, start: 9, end: 10 }], 4);
    expect(spans.map((s) => [s.png[0], s.start, s.duration])).toEqual([[1, 0, 1.5], [2, 1.5, 1], [3, 2.5, 1.5]]);
  });

  it('reads the WAV duration and maps the language to ISO 639-2', () => {
    expect(wavDuration(wav)).toBeCloseTo(3, 3);
    expect(() => wavDuration(new Uint8Array(40))).toThrow(SlideVideoError);
    expect(mp4Language('vi')).toBe('vie');
    expect(mp4Language('km-KH')).toBe('khm');
    expect(mp4Language('blt')).toBe('blt');
    expect(mp4Language('hmn-Latn')).toBe('hmn');
    expect(mp4Language(undefined)).toBe('und');
  });

  it('refuses to make a video without slides', async () => {
    await expect(renderSlideVideo({ slides: [], audioWav: wav })).rejects.toThrow(SlideVideoError);
  });
});
