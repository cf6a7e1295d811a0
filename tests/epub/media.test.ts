// @vitest-environment node
// An EPUB of a course with what the sample lacks: a photo (with a space and Vietnamese letters in its name), an audio
// clip, a video with captions, a lesson narrated by a recording, a link to a PDF, a Khmer translation and Tai Viet
// text (embedded fonts). It still passes epubcheck with no warning, and uses only EPUB core media types.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireTool, runTool } from '../../src/media/tools.js';
import { hocso, readTemplateLesson, REPO, TEMPLATE_LESSON, templateProject } from '../helpers/project.js';
import { deepText, elements, epubcheck, epubcheckCommand, inBatches, NS, packageMetadata, readBook, type Book } from './helpers.js';

const COURSE = 'content/courses/khoa-hoc-dau-tien';
const MEDIA = `${COURSE}/media`;

const LESSON_EXTRA = `
## Hình và âm thanh

![Ảnh chụp màn hình điện thoại](../media/ảnh%20màn%20hình.png "Màn hình chính")

Xem [mẫu đơn](../media/mau-don.pdf) trước khi đi.

::audio{src="../media/loi-khuyen.wav" title="Lời khuyên"}

::video{src="../media/huong-dan.mp4" captions="../media/huong-dan.vtt" title="Hướng dẫn"}
`;

const RECORDED = `---
id: bai-hai
title: Bài thứ hai
competencies:
  - tt02:1.1@1
objectives:
  - Nghe bài ghi âm
narration: ../media/ghi-am.mp3
---

Bài này có lời đọc ghi âm sẵn. Chữ Thái Đen: ꪼꪕꪒꪾꪣ.

::::quiz{#nghe-xong type=truefalse}
Bài này có lời đọc.

- [x] Đúng
- [ ] Sai
::::
`;

const KHMER = `---
id: bai-dau-tien
title: មេរៀនទីមួយ
objectives:
  - ដឹងពីរបៀបសរសេរមេរៀន
translation:
  from: vi
  status: draft
---

នេះជាមេរៀនគំរូ។ សរសេរខ្លឹមសាររបស់អ្នកនៅទីនេះ។

::::quiz{#kiem-tra-lenh type=single}
តើពាក្យបញ្ជាមួយណាបង្កើតគេហទំព័រ?

- [x] \`npx hocso build\`
  > ត្រឹមត្រូវ។
- [ ] \`npx hocso init\`
  > មិនត្រឹមត្រូវ។
::::
`;

let project: string;
const books = new Map<string, Book>();
const bookFile = (lang: string): string => path.join(project, 'out', 'epub', `khoa-hoc-dau-tien.${lang}.epub`);

beforeAll(async () => {
  epubcheckCommand();
  project = templateProject({
    [TEMPLATE_LESSON]: `${readTemplateLesson().trimEnd()}\n${LESSON_EXTRA}`,
    [`${COURSE}/lessons/bai-hai.md`]: RECORDED,
    [`${COURSE}/lessons/bai-dau-tien.km.md`]: KHMER,
  });
  const course = path.join(project, COURSE, 'course.yaml');
  writeFileSync(course, readFileSync(course, 'utf8').replace('frameworks: [tt02]', 'frameworks: [tt02]\nnarration: true').replace('      - lessons/bai-dau-tien.md', '      - lessons/bai-dau-tien.md\n      - lessons/bai-hai.md'));
  const config = path.join(project, 'hocso.config.yaml');
  writeFileSync(config, `${readFileSync(config, 'utf8').trimEnd()}\nlanguages:\n  - vi\n  - tag: km\n    fallback: [vi]\n`);
  mkdirSync(path.join(project, MEDIA), { recursive: true });
  const ffmpeg = requireTool('ffmpeg');
  const media = (name: string): string => path.join(project, MEDIA, name);
  await runTool(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=2:sample_rate=44100', media('loi-khuyen.wav')]);
  await runTool(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-shortest', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', media('huong-dan.mp4')]);
  await runTool(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1200x800', '-frames:v', '1', media('ảnh màn hình.png')]);
  writeFileSync(media('ghi-am.mp3'), readFileSync(path.join(REPO, 'tests', 'fixtures', 'media', 'loi.mp3')));
  writeFileSync(media('huong-dan.vtt'), 'WEBVTT\r\n\r\n00:00.000 --> 00:02.000\r\nXin chào.\r\n');
  writeFileSync(media('mau-don.pdf'), '%PDF-1.4\n%%EOF\n');
  const run = hocso(['build', '--target', 'epub'], project);
  if (run.code !== 0) throw new Error(run.stderr);
  for (const lang of ['vi', 'km']) books.set(lang, await readBook(bookFile(lang)));
}, 180_000);

describe('an EPUB with photos, clips, video, a recording and minority scripts', () => {
  it('passes epubcheck with no error and no warning', async () => {
    const results = await inBatches(['vi', 'km'], 2, (lang) => epubcheck(bookFile(lang)));
    for (const result of results) {
      expect(result.messages.filter((m) => ['FATAL', 'ERROR', 'WARNING'].includes(m.severity)).map((m) => `${m.ID} ${m.locations[0]?.path}: ${m.message}`)).toEqual([]);
      expect(result.code).toBe(0);
    }
  }, 120_000);

  it('ships the photo as its JPEG variant under an ASCII name, the clip as MP3, the video as its smallest MP4 with poster and captions', () => {
    const book = books.get('vi')!;
    const names = [...book.files.keys()];
    expect(names.filter((f) => /\.(webp|avif|opus|png|wav|pdf)$/.test(f))).toEqual([]);
    expect(names.every((f) => /^[A-Za-z0-9._/-]+$/.test(f))).toBe(true);
    const doc = book.xml('EPUB/lessons/bai-dau-tien.xhtml');
    const [img] = elements(doc, 'img');
    expect(img!.attrs.get('src')).toMatch(/^\.\.\/files\/media\/anh-man-hinh-960w\.[0-9a-f]{8}-[0-9a-f]{6}\.jpg$/);
    expect(img!.attrs.get('alt')).toBe('Ảnh chụp màn hình điện thoại');
    expect(img!.attrs.get('width')).toBe('960');
    const srcs = [...elements(doc, 'audio'), ...elements(doc, 'source'), ...elements(doc, 'track')].map((e) => e.attrs.get('src'));
    expect(srcs).toEqual(expect.arrayContaining([expect.stringMatching(/loi-khuyen\.[0-9a-f]{8}\.mp3$/), expect.stringMatching(/huong-dan-360p\.[0-9a-f]{8}\.mp4$/), '../files/media/huong-dan.vtt']));
    for (const src of srcs) expect(book.files.has(`EPUB/${path.posix.normalize(`lessons/${src}`)}`)).toBe(true);
    expect(elements(doc, 'video')[0]!.attrs.get('poster')).toMatch(/huong-dan-poster\.[0-9a-f]{8}\.jpg$/);
    // a PDF is no content document: the link keeps its words only
    expect(deepText(doc)).toContain('Xem mẫu đơn trước khi đi.');
    expect(elements(doc, 'a').map((a) => a.attrs.get('href'))).not.toContainEqual(expect.stringContaining('pdf'));
    const opf = book.xml('EPUB/package.opf');
    const meta = packageMetadata(opf);
    expect(meta.filter((m) => m.name === 'schema:accessMode').map((m) => m.value)).toEqual(['textual', 'visual', 'auditory']);
    expect(meta.filter((m) => m.name === 'schema:accessibilityHazard').map((m) => m.value)).toEqual(['unknown']);
    const types = new Map(elements(opf, 'item', NS.opf).map((i) => [i.attrs.get('href')!, i.attrs.get('media-type')]));
    expect([...types.values()].filter((t) => t!.startsWith('video/'))).toEqual(['video/mp4']);
  });

  it('offers a recorded narration as audio without a media overlay (a recording has no sentence timings)', () => {
    const book = books.get('vi')!;
    const doc = book.xml('EPUB/lessons/bai-hai.xhtml');
    const [audio] = elements(doc, 'audio');
    expect(audio!.attrs.get('src')).toMatch(/^\.\.\/files\/narration\/bai-hai\.vi\.[0-9a-f]{8}\.mp3$/);
    const items = elements(book.xml('EPUB/package.opf'), 'item', NS.opf);
    expect(items.find((i) => i.attrs.get('href') === 'lessons/bai-hai.xhtml')!.attrs.get('media-overlay')).toBeUndefined();
    // the synthesized lesson has one
    expect(items.find((i) => i.attrs.get('href') === 'lessons/bai-dau-tien.xhtml')!.attrs.get('media-overlay')).toBe('overlay-1');
  });

  it('embeds subset WOFF2 fonts for Khmer and Tai Viet, declared in the manifest and linked from every document', () => {
    for (const lang of ['vi', 'km']) {
      const book = books.get(lang)!;
      const fonts = [...book.files.keys()].filter((f) => f.endsWith('.woff2'));
      // fonts follow the characters shown: the Vietnamese book has no Khmer text
      expect(fonts.some((f) => f.includes('noto-sans-khmer'))).toBe(lang === 'km');
      expect(fonts.some((f) => f.includes('noto-sans-tai-viet'))).toBe(true);
      const items = elements(book.xml('EPUB/package.opf'), 'item', NS.opf);
      for (const font of fonts) expect(items.find((i) => `EPUB/${i.attrs.get('href')}` === font)?.attrs.get('media-type')).toBe('font/woff2');
      for (const doc of [...book.files.keys()].filter((f) => f.endsWith('.xhtml'))) {
        const links = elements(book.xml(doc), 'link').map((l) => l.attrs.get('href'));
        expect(links.some((h) => h?.endsWith('assets/fonts.css'))).toBe(true);
      }
    }
    // the Khmer lesson is in Khmer, the interface words (in Vietnamese: no Khmer words yet) say so
    const km = books.get('km')!.xml('EPUB/lessons/bai-dau-tien.xhtml');
    expect(km.attrs.get('lang')).toBe('km');
    const heading = elements(km, 'h2').find((h) => h.attrs.get('id') === 'objectives-title')!;
    expect(heading.attrs.get('lang')).toBe('vi');
  });
});
