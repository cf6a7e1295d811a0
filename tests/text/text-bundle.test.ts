// renderTextBundle on hand-made course models: what Markdown alone does not easily reach.
import { describe, expect, it } from 'vitest';
import type { Block, Course, Lesson } from '../../src/model/course.js';
import { lessonTextName, renderTextBundle } from '../../src/targets/text.js';
import { at, lesson, quiz } from '../helpers/model.js';

function course(lessons: Lesson[], extra: Partial<Course> = {}): Course {
  return {
    id: 'khoa',
    title: 'Khóa học',
    description: 'Mô tả.',
    language: 'vi',
    frameworks: [],
    keywords: [],
    modules: [{ id: 'phan', title: 'Phần một', lessons }],
    translations: {},
    prerequisites: {},
    root: '/nowhere',
    at,
    ...extra,
  };
}

const prose = (html: string): Block => ({ kind: 'prose', html });
const bare = (id: string, blocks: Block[], extra: Partial<Lesson> = {}): Lesson => lesson(id, [], { blocks, competencies: [], objectives: [], ...extra });
const text = (files: Map<string, string | Uint8Array>, name: string): string => files.get(name) as string;

describe('renderTextBundle', () => {
  it('names lesson files like audio tracks and writes nothing else', () => {
    const lessons = Array.from({ length: 10 }, (_, i) => bare(`bai-${i + 1}`, [prose('<p>x</p>')]));
    const files = renderTextBundle(course(lessons), 'vi', new Map());
    expect([...files.keys()]).toEqual([...lessons.map((l, i) => `${String(i + 1).padStart(2, '0')}-${l.id}.txt`), 'khoa.txt']);
    expect(lessonTextName(2, 120, lessons[0]!)).toBe('003-bai-1.txt');
  });

  it('turns HTML into plain lines: entities decoded, <br> a new line, hidden parts and players dropped, task lists', () => {
    const files = renderTextBundle(course([bare('a', [
      prose('<p>A &amp; B &lt;ok&gt;<br>second line<span aria-hidden="true">HIDDEN</span></p><p>Ảnh <img src="x.png" alt="một con mèo"> đây.</p>'),
      prose('<ul><li><input type="checkbox" checked disabled> done</li><li><input type="checkbox" disabled> todo</li></ul><ol start="3"><li><p>three</p><p>more</p></li></ol><audio src="x.mp3">fallback</audio>'),
      prose('<pre><code>line 1\r\n    indented  \n\n</code></pre><h4>Small heading</h4>'),
    ])]), 'vi', new Map());
    expect(text(files, '01-a.txt')).toBe([
      'BÀI 1. Bài a',
      '============',
      '',
      'A & B <ok>',
      'second line',
      '',
      'Ảnh [Hình: một con mèo] đây.',
      '',
      '- [x] done',
      '- [ ] todo',
      '',
      '3. three',
      '   more',
      '',
      'line 1',
      '    indented',
      '',
      'Small heading',
      '',
    ].join('\n'));
  });

  it('writes NFC with LF endings and one trailing newline, even from decomposed text', () => {
    const nfd = (s: string): string => s.normalize('NFD');
    const files = renderTextBundle(course([bare('a', [prose(`<p>${nfd('Tiếng Việt có dấu')}</p>\n\n`)], { title: nfd('Bài học đầu tiên'), objectives: [nfd('Đặt mật khẩu')] })], { title: nfd('Khóa học') }), 'vi', new Map());
    for (const [name, body] of files) {
      const s = body as string;
      expect(s.normalize('NFC'), name).toBe(s);
      expect(s).not.toContain('\r');
      expect(s.endsWith('\n') && !s.endsWith('\n\n')).toBe(true);
    }
    expect(text(files, '01-a.txt')).toContain('BÀI 1. Bài học đầu tiên\n=======================\n');
    expect(text(files, '01-a.txt')).toContain('\nTiếng Việt có dấu\n');
  });

  it('leaves out the answer key when there are no questions', () => {
    const files = renderTextBundle(course([bare('a', [prose('<p>x</p>')])]), 'vi', new Map());
    expect(text(files, '01-a.txt')).not.toContain('Đáp án');
    expect(text(files, 'khoa.txt')).not.toContain('Đáp án');
  });

  it('numbers questions across the course in the course file, and per lesson in lesson files', () => {
    const q = (id: string) => quiz(id, 'single', `Hỏi ${id}?`, [['Có', true], ['Không', false]]);
    const files = renderTextBundle(course([lesson('a', [q('q1'), q('q2')]), lesson('b', [q('q3')])]), 'vi', new Map());
    expect(text(files, '02-b.txt')).toContain('\nCâu hỏi 1. Hỏi q3?\na) Có\nb) Không\n');
    expect(text(files, '02-b.txt').endsWith('\nĐáp án\n------\n\n1. a\n')).toBe(true);
    expect(text(files, 'khoa.txt')).toContain('\nCâu hỏi 3. Hỏi q3?\n');
    expect(text(files, 'khoa.txt').endsWith('\nĐáp án\n======\n\nBÀI 1. Bài a\n1. a\n2. a\n\nBÀI 2. Bài b\n3. a\n')).toBe(true);
  });

  it('takes words from the language, its primary subtag, then Vietnamese; a lesson keeps its own language', () => {
    const english = bare('en-lesson', [{ kind: 'steps', steps: [[prose('<p>Open the app.</p>')]] }, { kind: 'callout', variant: 'tip', blocks: [prose('<p>Be careful.</p>')] }], { language: 'en-GB' });
    const vietnamese = bare('vi-lesson', [{ kind: 'steps', steps: [[prose('<p>Mở ứng dụng.</p>')]] }]);
    const files = renderTextBundle(course([english, vietnamese], { title: 'A course' }), 'en-GB', new Map());
    expect(text(files, '01-en-lesson.txt')).toContain('LESSON 1. Bài en-lesson\n');
    expect(text(files, '01-en-lesson.txt')).toContain('\nStep 1. Open the app.\n\nTip: Be careful.\n');
    expect(text(files, '02-vi-lesson.txt')).toContain('BÀI 2. Bài vi-lesson\n');
    expect(text(files, '02-vi-lesson.txt')).toContain('\nBước 1. Mở ứng dụng.\n');
    expect(text(files, 'khoa.txt')).toContain('\nPART 1. Phần một\n');
    // A language hocso has no words for (Hmong) gets the Vietnamese ones.
    const hmong = renderTextBundle(course([bare('a', [prose('<p>Nyob zoo.</p>')], { language: 'hmn' })]), 'hmn', new Map());
    expect(text(hmong, '01-a.txt')).toContain('BÀI 1. Bài a\n');
    expect(text(hmong, 'khoa.txt')).toContain('\nPHẦN 1. Phần một\n');
  });

  it('writes callouts, figures and clips with their words, and choices without any answer', () => {
    const files = renderTextBundle(course([bare('a', [
      { kind: 'callout', variant: 'warning', titleHtml: 'Cẩn thận!', blocks: [{ kind: 'figure', src: { path: 'media/a.png', at }, alt: 'Tin nhắn giả', captionHtml: 'Tin nhắn giả' }] },
      { kind: 'callout', variant: 'note', blocks: [] },
      { kind: 'video', src: { path: 'media/huong-dan.mp4', at } },
      { kind: 'quiz', quiz: quiz('tf', 'truefalse', 'OTP là bí mật.', [['', true], ['', false]]) },
    ])]), 'vi', new Map());
    expect(text(files, '01-a.txt')).toContain('\nCẩn thận!\n[Hình: Tin nhắn giả]\n\n[Video: huong-dan.mp4]\n\nCâu hỏi 1. OTP là bí mật.\na) Đúng\nb) Sai\n\nĐáp án\n------\n\n1. a (Đúng)\n');
  });
});
