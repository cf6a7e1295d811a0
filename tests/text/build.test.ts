// `hocso build --target text`: plain UTF-8 text per lesson and for the whole course (src/targets/text.ts).
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hocso, REPO, sampleProject, templateProject, treeHashes } from '../helpers/project.js';

const HERE = path.join(REPO, 'tests', 'text');
const COURSE = 'content/courses/khoa-hoc-dau-tien';

/** The `hocso init` project plus a lesson with every kind of block, in a second part of the course. */
function richProject(): string {
  const dir = templateProject({
    [`${COURSE}/course.yaml`]: [
      'id: khoa-hoc-dau-tien',
      'title: Khóa học đầu tiên',
      'description: Khóa học mẫu do `hocso init` tạo ra. Hãy sửa tiêu đề, mô tả và các bài học.',
      'language: vi',
      'frameworks: [tt02]',
      'modules:',
      '  - id: bat-dau',
      '    title: Bắt đầu',
      '    lessons:',
      '      - lessons/bai-dau-tien.md',
      '  - id: an-toan',
      '    title: An toàn trên mạng',
      '    description: Nhận biết và tránh lừa đảo.',
      '    lessons:',
      '      - lessons/moi-kieu-khoi.md',
      '',
    ].join('\n'),
    [`${COURSE}/lessons/moi-kieu-khoi.md`]: readFileSync(path.join(HERE, 'fixtures', 'moi-kieu-khoi.md'), 'utf8'),
    [`${COURSE}/media/tin-gia.svg`]: readFileSync(path.join(HERE, 'fixtures', 'tin-gia.svg'), 'utf8'),
    [`${COURSE}/media/loi.vtt`]: readFileSync(path.join(HERE, 'fixtures', 'loi.vtt'), 'utf8'),
  });
  copyFileSync(path.join(REPO, 'tests', 'fixtures', 'media', 'loi.mp3'), path.join(dir, COURSE, 'media', 'loi.mp3'));
  return dir;
}

function build(dir: string, args: string[] = []): void {
  const result = hocso(['build', '--target', 'text', ...args], dir);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toMatch(/(?:^|\n)Built 1 course/);
}

const read = (file: string): string => readFileSync(file, 'utf8');

/** Plain text as the target promises it: UTF-8 (round-trips), NFC, LF only, one trailing newline, no markup. */
function expectPlainText(file: string): string {
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  expect(Buffer.from(text, 'utf8').equals(bytes), `${file} is valid UTF-8`).toBe(true);
  expect(text.charCodeAt(0), `${file} has no BOM`).not.toBe(0xfeff);
  expect(text.normalize('NFC') === text, `${file} is NFC`).toBe(true);
  expect(text).not.toContain('\r');
  expect(text.endsWith('\n') && !text.endsWith('\n\n'), `${file} ends with one newline`).toBe(true);
  expect(text).not.toMatch(/\n\n\n/);
  expect(text).not.toMatch(/[ \t]+$/m);
  expect(text, `${file} has no HTML tag`).not.toMatch(/<\/?[a-z][a-z0-9-]*[\s>/]/i);
  expect(text, `${file} has no HTML entity`).not.toMatch(/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i);
  return text;
}

describe('hocso build --target text', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = richProject();
    build(dir);
    out = path.join(dir, 'out', 'text', 'khoa-hoc-dau-tien', 'vi');
  }, 120_000);

  it('writes a file per lesson, numbered in course order, and the course file, nothing else', () => {
    expect(readdirSync(out).sort()).toEqual(['01-bai-dau-tien.txt', '02-moi-kieu-khoi.txt', 'khoa-hoc-dau-tien.txt']);
    for (const file of readdirSync(out)) expectPlainText(path.join(out, file));
  });

  it('text output for a lesson equals an expected file', () => {
    const produced = readFileSync(path.join(out, '02-moi-kieu-khoi.txt'));
    const expected = readFileSync(path.join(HERE, 'expected', '02-moi-kieu-khoi.txt'));
    expect(produced.toString('utf8')).toBe(expected.toString('utf8'));
    expect(produced.equals(expected)).toBe(true);
  });

  it('writes the template lesson with its title, steps, callout, question and answer key', () => {
    const text = read(path.join(out, '01-bai-dau-tien.txt'));
    expect(text.startsWith('BÀI 1. Bài học đầu tiên\n=======================\n\nThời lượng: 10 phút\n\nSau bài này, bạn sẽ:\n- Biết cách viết một bài học bằng Markdown\n')).toBe(true);
    expect(text).toContain('\n\nMục 1. Các bước\n\nBước 1. Mở tệp bài học này bằng trình soạn thảo văn bản.\nBước 2. Sửa tiêu đề và nội dung.\nBước 3. Chạy npx hocso validate rồi npx hocso build.\n\nMẹo: Mỗi bài nên có ít nhất một câu hỏi để người học tự kiểm tra.\n\nMục 2. Câu hỏi\n\n');
    expect(text).toContain('\nCâu hỏi 1. Lệnh nào tạo ra trang web của khóa học?\na) npx hocso build\nb) npx hocso init\n');
    expect(text.endsWith('\n\nĐáp án\n------\n\n1. a — Đúng. Lệnh này tạo thư mục out/web/.\n')).toBe(true);
  });

  it('writes the whole course: title, description, parts and lessons in order, a course-wide answer key', () => {
    const text = read(path.join(out, 'khoa-hoc-dau-tien.txt'));
    expect(text.startsWith('=================\nKhóa học đầu tiên\n=================\n\nKhóa học mẫu do `hocso init` tạo ra. Hãy sửa tiêu đề, mô tả và các bài học.\n\nPHẦN 1. Bắt đầu\n')).toBe(true);
    const order = ['PHẦN 1. Bắt đầu\n', 'BÀI 1. Bài học đầu tiên\n---', 'PHẦN 2. An toàn trên mạng\n', 'Nhận biết và tránh lừa đảo.\n', 'BÀI 2. Nhận biết tin nhắn lừa đảo\n---', '\nĐáp án\n======\n'];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0), `found ${JSON.stringify(at)}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Questions are numbered across the course, in the lessons and in the key.
    expect(text).toContain('\nCâu hỏi 1. Lệnh nào tạo ra trang web của khóa học?\n');
    expect(text).toContain('\nCâu hỏi 2. Tin nhắn đòi bạn đọc mã OTP');
    expect(text).toContain('\nCâu hỏi 5. Số điện thoại để báo tin nhắn rác là ___.\nTrả lời: ________\n');
    const key = text.slice(text.indexOf('\nĐáp án\n======\n'));
    expect(key).toBe([
      '',
      'Đáp án',
      '======',
      '',
      'BÀI 1. Bài học đầu tiên',
      '1. a — Đúng. Lệnh này tạo thư mục out/web/.',
      '',
      'BÀI 2. Nhận biết tin nhắn lừa đảo',
      '2. b — Đúng. Luôn tự gọi lại số chính thức.',
      '3. a, c — a) Đúng. Kẻ gian muốn bạn vội. c) Đúng. Link lạ dẫn đến trang giả.',
      '4. b (Sai) — Chính xác. Ngân hàng không bao giờ xin mã OTP.',
      '5. 156 / một năm sáu — Đúng. Tổng đài 156 nhận báo tin nhắn rác.',
      '',
    ].join('\n'));
    // Each lesson appears whole: its file's body is in the course file (under a lighter rule).
    const lesson = read(path.join(out, '02-moi-kieu-khoi.txt'));
    const body = lesson.slice(lesson.indexOf('\n\n') + 2, lesson.indexOf('\n\nĐáp án\n'));
    expect(text).toContain(body.replace(/^Câu hỏi (\d+)\./gm, (_, n: string) => `Câu hỏi ${Number(n) + 1}.`));
  });

  it('is deterministic: a second build writes the same bytes', () => {
    const again = path.join(dir, 'again');
    build(dir, ['--out', again]);
    expect(treeHashes(path.join(again, 'text'))).toEqual(treeHashes(path.join(dir, 'out', 'text')));
  }, 120_000);
});

describe('the sample course as text, in Vietnamese and English', () => {
  let dir: string;
  beforeAll(() => {
    dir = sampleProject();
    build(dir, ['--lang', 'vi', '--lang', 'en']);
  }, 300_000);

  const LESSONS = ['cai-dat-vneid', 'dich-vu-cong-truc-tuyen', 'mat-khau-an-toan', 'lua-dao-truc-tuyen', 'thanh-toan-qr', 'tro-ly-ai-an-toan'];
  /** The lesson shown in a language: its variant (NAME.LANG.md) when there is one, else the Vietnamese source. */
  const source = (id: string, lang: string): { file: string; lang: string } => {
    const lessons = path.join(dir, 'content', 'courses', 'ky-nang-so-thiet-yeu', 'lessons');
    const variant = path.join(lessons, `${id}.${lang}.md`);
    return readdirSync(lessons).includes(`${id}.${lang}.md`) ? { file: variant, lang } : { file: path.join(lessons, `${id}.md`), lang: 'vi' };
  };
  /** The title and the first line of each question, as written in the Markdown. */
  const written = (file: string): { title: string; questions: string[] } => {
    const markdown = read(file);
    const title = /^title: (.+)$/m.exec(markdown)![1]!.trim();
    const questions = [...markdown.matchAll(/^::::quiz\{[^}]*\}\n(.+)$/gm)].map((m) => m[1]!.replace(/\*\*/g, '').trim());
    return { title, questions };
  };

  for (const lang of ['vi', 'en']) {
    it(`writes every lesson in ${lang}, with its title and questions, as clean text`, () => {
      const out = path.join(dir, 'out', 'text', 'ky-nang-so-thiet-yeu', lang);
      expect(readdirSync(out).sort()).toEqual([...LESSONS.map((id, i) => `0${i + 1}-${id}.txt`), 'ky-nang-so-thiet-yeu.txt']);
      const course = expectPlainText(path.join(out, 'ky-nang-so-thiet-yeu.txt'));
      let lastAt = -1;
      LESSONS.forEach((id, i) => {
        const text = expectPlainText(path.join(out, `0${i + 1}-${id}.txt`));
        const shown = source(id, lang);
        const { title, questions } = written(shown.file);
        const words = shown.lang === 'en' ? { lesson: 'LESSON', question: 'Question', key: 'Answer key' } : { lesson: 'BÀI', question: 'Câu hỏi', key: 'Đáp án' };
        expect(text.startsWith(`${words.lesson} ${i + 1}. ${title}\n===`)).toBe(true);
        expect(questions.length).toBeGreaterThan(0);
        questions.forEach((q, n) => expect(text).toContain(`\n${words.question} ${n + 1}. ${q}`));
        expect(text).toContain(`\n${words.key}\n---`);
        // in the course file, in order
        const at = course.indexOf(`${words.lesson} ${i + 1}. ${title}\n---`);
        expect(at).toBeGreaterThan(lastAt);
        lastAt = at;
      });
      expect(course).toContain(lang === 'en' ? '\nAnswer key\n==========\n' : '\nĐáp án\n======\n');
    });
  }

  it('uses English words in English lessons and keeps a lesson shown in Vietnamese whole', () => {
    const out = path.join(dir, 'out', 'text', 'ky-nang-so-thiet-yeu', 'en');
    const english = read(path.join(out, '01-cai-dat-vneid.txt'));
    expect(english).toContain('\nAfter this lesson you will:\n');
    expect(english).toMatch(/\nStep 1\. /);
    expect(english).toContain('\nAnswer: ________\n');
    const fallback = read(path.join(out, '02-dich-vu-cong-truc-tuyen.txt'));
    expect(fallback).toContain('\nSau bài này, bạn sẽ:\n');
    expect(fallback).toMatch(/\nBước 1\. /);
    expect(fallback).not.toMatch(/\b(?:Step|Question|Answer key)\b/);
    const course = read(path.join(out, 'ky-nang-so-thiet-yeu.txt'));
    expect(course.startsWith('=====================================\nEssential digital skills for everyone\n')).toBe(true);
    expect(course).toContain('\nPART 1. Electronic ID and online public services\n');
  });
});
