// @vitest-environment node
// The handout's HTML, before any browser: every kind of block laid out for paper, quizzes as boxes and lines, the
// answer key, QR codes, and the fonts it declares. (tests/print/handout.test.ts prints the real sample course.)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, Course, Lesson, Quiz } from '../../src/model/course.js';
import { renderPrintHtml, type PrintHandout } from '../../src/targets/print.js';
import { qrSvg } from '../../src/targets/print/qr.js';
import { tempDir } from '../helpers/project.js';

const at = { file: 'content/courses/c/lessons/a.md', line: 1, column: 1 };

function quiz(id: string, type: Quiz['type'], question: string, choices: [string, boolean, string?][]): Block {
  return {
    kind: 'quiz',
    quiz: {
      id,
      type,
      questionHtml: `<p>${question}</p>`,
      questionText: question,
      at,
      choices: choices.map(([text, correct, feedback], i) => ({ id: type === 'truefalse' ? ['true', 'false'][i]! : String.fromCharCode(97 + i), html: text, text, correct, ...(feedback ? { feedbackHtml: `<p>${feedback}</p>` } : {}), at })),
    },
  };
}

function lesson(id: string, title: string, blocks: Block[], extra: Partial<Lesson> = {}): Lesson {
  return { id, title, path: `lessons/${id}.md`, at: { ...at, file: `content/courses/c/lessons/${id}.md` }, competencies: [], objectives: ['Mục tiêu một'], audience: ['citizens'], masteryScore: 0.8, keywords: [], blocks, files: [], language: 'vi', duration: 'PT15M', ...extra };
}

let course: Course;
let plain: PrintHandout;
let online: PrintHandout;

beforeAll(async () => {
  const root = tempDir('hocso-print-html-');
  mkdirSync(path.join(root, 'media'));
  mkdirSync(path.join(root, 'lessons'));
  await sharp({ create: { width: 40, height: 20, channels: 3, background: '#336699' } }).png().toFile(path.join(root, 'media', 'photo.png'));
  writeFileSync(path.join(root, 'media', 'plain.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10"><defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs><rect id="r" width="10" height="10" fill="url(#g)"/><text x="1" y="9" font-family="sans-serif">Chữ</text></svg>');
  writeFileSync(path.join(root, 'media', 'styled.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>rect { fill: red }</style><rect width="10" height="10"/></svg>');
  for (const id of ['a', 'b']) writeFileSync(path.join(root, 'lessons', `${id}.md`), '---\n---\n');
  writeFileSync(path.join(root, 'lessons', 'c.md'), '---\ntitle: Không có câu hỏi\n---\nChỉ đọc → xong 👍.\n');
  const a = lesson('a', 'Bài đầu tiên', [
    { kind: 'prose', html: '<h2 id="x">Mục một</h2>\n<p>Xem <a href="b.html">bài hai</a>.</p>\n<table><thead><tr><th>Cột</th></tr></thead><tbody><tr><td>Ô</td></tr></tbody></table>' },
    { kind: 'callout', variant: 'note', blocks: [{ kind: 'prose', html: '<p>Ghi nhớ.</p>' }] },
    { kind: 'steps', steps: [[{ kind: 'prose', html: '<p>Bước đầu.</p>' }], [{ kind: 'figure', src: { path: 'media/photo.png', at }, alt: 'Ảnh chụp' }]] },
    { kind: 'figure', src: { path: 'media/plain.svg', at }, alt: 'Hình vẽ', captionHtml: 'Chú thích' },
    { kind: 'figure', src: { path: 'media/styled.svg', at }, alt: 'Hình có style' },
    { kind: 'audio', src: { path: 'media/clip.mp3', at }, title: 'Lời chào' },
    { kind: 'video', src: { path: 'media/clip.mp4', at } },
    quiz('q1', 'single', 'Chọn một?', [['Một', false, 'Sai.'], ['Hai', true, 'Đúng.']]),
    quiz('q2', 'multiple', 'Chọn nhiều?', [['X', true], ['Y', true], ['Z', false]]),
    quiz('q3', 'truefalse', 'Đúng không?', [['Đúng', false], ['Sai', true, 'Chính xác.']]),
    quiz('q4', 'fill', 'Điền ___ vào.', [['hai', true, 'Đúng.'], ['2', true], ['một', false, 'Chưa đúng.']]),
  ], { files: ['media/photo.png', 'media/plain.svg', 'media/styled.svg'] });
  const b = lesson('b', 'ពាក្យសម្ងាត់', [{ kind: 'prose', html: '<p>ពាក្យសម្ងាត់គឺជាកូនសោ។</p>' }], { language: 'km', duration: undefined as never });
  const c = lesson('c', 'Không có câu hỏi', [{ kind: 'prose', html: '<p>Chỉ đọc → xong 👍.</p>' }]);
  course = {
    id: 'c', title: 'Khóa học', description: 'Mô tả', language: 'vi', frameworks: [], keywords: [], translations: {}, prerequisites: {}, root, at: { ...at, file: 'content/courses/c/course.yaml' },
    modules: [{ id: 'm1', title: 'Phần đầu', description: 'Giới thiệu', lessons: [a, b] }, { id: 'm2', title: 'Phần sau', lessons: [c] }],
  };
  const date = new Date(Date.UTC(2025, 0, 2));
  plain = await renderPrintHtml(course, 'vi', new Map(), { date });
  online = await renderPrintHtml(course, 'vi', new Map(), { date, publicUrl: 'https://hoc.example.vn/', pages: new Map([['lesson-1', 3], ['lesson-2', 5], ['lesson-3', 6], ['answer-key', 7]]) });
});

const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe('the handout HTML', () => {
  it('has a title page, the contents (blank page numbers until known) and the lessons under their parts', () => {
    expect(plain.html).toContain('<h1 class="course-title">Khóa học</h1>');
    expect(plain.html).toContain('Cập nhật: 2025-01-02');
    expect(count(plain.html, '<span class="toc-page"></span>')).toBe(4);
    expect(online.html).toContain('Bài đầu tiên</span><span class="toc-leader"></span><span class="toc-page">3</span>');
    expect(online.html).toContain('Đáp án</span><span class="toc-leader"></span><span class="toc-page">7</span>');
    expect(plain.anchors).toEqual(['lesson-1', 'lesson-2', 'lesson-3', 'answer-key']);
    const order = ['Phần 1', 'Phần đầu', 'Bài 1', 'Bài đầu tiên', 'Bài 2', 'ពាក្យសម្ងាត់', 'Phần 2', 'Phần sau', 'Bài 3', 'Không có câu hỏi', 'id="answer-key"'];
    const main = plain.html.slice(plain.html.indexOf('<main>'));
    let last = -1;
    for (const word of order) {
      const i = main.indexOf(word, last + 1);
      expect(i, word).toBeGreaterThan(last);
      last = i;
    }
    // a lesson shown in another language says so
    expect(plain.html).toContain('<section class="lesson" id="lesson-2" lang="km"');
  });

  it('lays out every kind of block for paper', () => {
    const html = plain.html;
    expect(html).toContain('<h3>Mục một</h3>');
    expect(html).toContain('Xem bài hai<span class="lesson-ref"> (Bài 2)</span>.');
    expect(html).toContain('<th>Cột</th>');
    expect(html).toContain('<span class="callout-label">Ghi chú</span></p>');
    expect(html).toMatch(/<ol class="steps">\n<li class="step"><p>Bước đầu.<\/p>/);
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="Ảnh chụp" width="40" height="20">/);
    // inline SVG, ids prefixed so two pictures never share one; an SVG with its own <style> stays an image
    expect(html).toContain('<svg role="img" aria-label="Hình vẽ"');
    expect(html).toContain('<linearGradient id="f2-g">');
    expect(html).toContain('fill="url(#f2-g)"');
    expect(html).toContain('<figcaption>Chú thích</figcaption>');
    expect(html).toMatch(/<img src="data:image\/svg\+xml;base64,[^"]+" alt="Hình có style" width="10" height="10">/);
    expect(html).not.toContain('rect { fill: red }');
    expect(html).toContain('<strong>Bài nghe: Lời chào</strong>');
    expect(html).toContain('<strong>Video</strong>');
    expect(html).toContain('Hãy mở bài học trên điện thoại hoặc máy tính.');
    expect(online.html).toContain('Quét mã QR ở đầu bài');
  });

  it('prints quizzes as numbered questions with a box per option, or a line to write on', () => {
    const quizzes = plain.html.slice(plain.html.indexOf('<section class="quiz'), plain.html.indexOf('id="answer-key"'));
    expect(quizzes).toContain('<p class="quiz-title"><strong>Câu hỏi 1.</strong></p>');
    expect(quizzes).toContain('<p class="quiz-title"><strong>Câu hỏi 4.</strong></p>');
    expect(count(quizzes, '<span class="box" aria-hidden="true"></span>')).toBe(2 + 3 + 2);
    expect(quizzes).toContain('<span class="letter">B.</span> <span class="choice-text">Hai</span>');
    expect(quizzes).toContain('<p class="quiz-hint">Đánh dấu vào tất cả các ô đúng.</p>');
    expect(quizzes).toContain('<p class="answer-label">Câu trả lời của bạn:</p><div class="write-line"></div>');
    // no answer and no feedback next to the questions
    expect(quizzes).not.toContain('ticked');
    expect(quizzes).not.toContain('Chính xác.');
  });

  it('ends with the answer key: right options ticked, every feedback, accepted answers of fill-ins', () => {
    const key = plain.html.slice(plain.html.indexOf('id="answer-key"'));
    expect(key).toContain('<strong>Câu hỏi 1:</strong> Đáp án đúng: B');
    expect(key).toContain('<strong>Câu hỏi 2:</strong> Đáp án đúng: A, B');
    expect(key).toContain('<strong>Câu hỏi 4:</strong> Đáp án đúng: hai / 2');
    expect(key).toContain('<li class="is-correct"><span class="box ticked" aria-hidden="true"></span><span class="letter">B.</span> <span class="choice-text">Hai</span><div class="feedback"><p>Đúng.</p></div></li>');
    expect(key).toContain('<span class="choice-text">một</span><div class="feedback"><p>Chưa đúng.</p></div>');
    // only lessons with questions
    expect(key).toContain('Bài đầu tiên');
    expect(key).not.toContain('Không có câu hỏi');
  });

  it('shows a QR code of the online lesson, with its address under it, only when publicUrl is set', async () => {
    expect(plain.html).not.toContain('class="qr-code"');
    const url = 'https://hoc.example.vn/web/c/vi/lessons/a.html';
    expect(online.html).toContain(await qrSvg(url, `Quét mã để học bài này trên điện thoại: ${url}`));
    expect(online.html).toContain('<span class="url-part">https:/</span><wbr><span class="url-part">/</span><wbr><span class="url-part">hoc.example.vn/</span>');
    expect(count(online.html, 'class="qr-code"')).toBe(3 + 1);
    expect(online.html).toContain('https://hoc.example.vn/web/c/vi/index.html');
  });

  it('declares only embedded fonts: the Khmer subset of src/fonts, then Noto Sans for Latin and Vietnamese', () => {
    const files = [...plain.files.keys()].sort();
    expect(files.filter((f) => f.startsWith('assets/fonts/'))).toEqual([expect.stringMatching(/^assets\/fonts\/noto-sans-khmer-400-[0-9a-f]{10}\.woff2$/), expect.stringMatching(/^assets\/fonts\/noto-sans-khmer-700-[0-9a-f]{10}\.woff2$/)]);
    expect(files.filter((f) => f.startsWith('fonts/'))).toEqual(['latin', 'vietnamese'].flatMap((s) => ['400-italic', '400-normal', '700-italic', '700-normal'].map((w) => `fonts/noto-sans-${s}-${w}.woff2`)).sort());
    expect(plain.fonts.map((f) => `${f.font} ${f.weight}`)).toEqual(['Noto Sans Khmer 400', 'Noto Sans Khmer 700']);
    expect(plain.html).toContain('<link rel="stylesheet" href="assets/fonts.css">');
    expect(plain.html).toContain('font-family: "hocso Khmer", "hocso Noto Sans";');
    expect(plain.html).not.toContain('var(--fonts)');
    expect(plain.html).toContain('@bottom-right {\n    content: "Trang " counter(page) "/" counter(pages);');
    // An arrow is in no font at all (src/fonts' glyph check says so); an emoji is left to the phone's emoji font on the
    // web, but on paper it would come from the printing machine's fonts. Each is reported once, at its line.
    expect(plain.problems).toEqual([
      expect.objectContaining({ file: 'content/courses/c/lessons/c.md', line: 4, column: 9, codePoint: 'U+2192', reason: 'no-font' }),
      expect.objectContaining({ file: 'content/courses/c/lessons/c.md', line: 4, column: 16, codePoint: 'U+1F44D', reason: 'no-font' }),
    ]);
    expect(plain.problems[1]!.message).toContain('a font of the machine that prints it');
  });
});
