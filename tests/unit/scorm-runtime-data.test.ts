// What each SCO page tells hocso-scorm.js (the SCORM formats are decided here, not in the browser), the script as
// shipped, and sco.html for single-SCO packages.
import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Course, Lesson } from '../../src/model/course.js';
import { at, lesson, quiz } from '../helpers/model.js';
import { renderScoShell, SCO_SHELL_PATH, scormWebExtension } from '../../src/targets/scorm/runtime.js';

const SINGLE = quiz('otp', 'single', 'Có người gọi điện xin mã OTP. Bạn làm gì?', [['Đọc mã', false], ['Dập máy', true], ['Hỏi tên', false]]);
const MULTIPLE = quiz('mat-khau', 'multiple', 'Mật khẩu nào an toàn?', [['123456', false], ['Hoa-Sen-Nở', true], ['Ngày sinh', false], ['Ba từ ghép', true]]);
const TRUE_FALSE = quiz('wifi', 'truefalse', 'Wi-Fi công cộng luôn an toàn.', [['Đúng', false], ['Sai', true]]);
const FILL = quiz('so-chu', 'fill', 'Mã OTP thường có ___ chữ số.', [['6', true], [' sáu  ', true], ['6', true], ['a [,] b', true], ['hai mươi', false]]);

function course(lessons: Lesson[]): Course {
  return {
    id: 'khoa',
    title: 'Khóa <học> & "số"',
    description: '',
    language: 'vi',
    frameworks: ['tt02', 'qd757'],
    keywords: [],
    modules: [{ id: 'm1', title: 'M1', lessons }],
    root: '/nowhere',
    at,
  } as Course;
}

const L1 = lesson('bai-mot', [SINGLE, MULTIPLE, TRUE_FALSE, FILL]);
const L2 = lesson('bai-hai', [quiz('câu-1', 'single', 'Q', [['a', true], ['b', false]])], { masteryScore: 0.9 });
const COURSE = course([L1, L2]);

const dataOf = (version: '1.2' | '2004', mode: 'lesson' | 'course', l: Lesson | null = L1): any => scormWebExtension(COURSE, version, mode).pageData!(l).scorm;

describe('SCORM data of a lesson page', () => {
  it('carries the version, mode, lesson, mastery score and the competencies as objective ids, once each', () => {
    expect(dataOf('1.2', 'lesson')).toMatchObject({ version: '1.2', mode: 'lesson', lesson: 'bai-mot', mastery: 0.8, objectives: ['tt02:4.2', 'qd757:1.2'] });
    expect(dataOf('2004', 'course', L2)).toMatchObject({ version: '2004', mode: 'course', lesson: 'bai-hai', mastery: 0.9 });
  });

  it('writes SCORM 1.2 interaction types and correct-response patterns, and no description (1.2 has none)', () => {
    expect(dataOf('1.2', 'lesson').quizzes).toEqual([
      { id: 'otp', interaction: 'otp', type: 'choice', patterns: ['b'] },
      { id: 'mat-khau', interaction: 'mat-khau', type: 'choice', patterns: ['b,d'] },
      { id: 'wifi', interaction: 'wifi', type: 'true-false', patterns: ['f'] },
      { id: 'so-chu', interaction: 'so-chu', type: 'fill-in', patterns: ['6', 'sáu', 'a [,] b'] },
    ]);
  });

  it('writes SCORM 2004 patterns: [,] between choices, true/false, fill-in without case, with the question as description', () => {
    expect(dataOf('2004', 'lesson').quizzes).toEqual([
      { id: 'otp', interaction: 'otp', type: 'choice', patterns: ['b'], description: 'Có người gọi điện xin mã OTP. Bạn làm gì?' },
      { id: 'mat-khau', interaction: 'mat-khau', type: 'choice', patterns: ['b[,]d'], description: 'Mật khẩu nào an toàn?' },
      { id: 'wifi', interaction: 'wifi', type: 'true-false', patterns: ['false'], description: 'Wi-Fi công cộng luôn an toàn.' },
      // A `[,]` inside an answer would split it into two blanks.
      { id: 'so-chu', interaction: 'so-chu', type: 'fill-in', patterns: ['{case_matters=false}6', '{case_matters=false}sáu', '{case_matters=false}a , b'], description: 'Mã OTP thường có ___ chữ số.' },
    ]);
  });

  it('writes a true statement as t / true', () => {
    const l = lesson('x', [quiz('q', 'truefalse', 'Q', [['Đúng', true], ['Sai', false]])]);
    const data = (version: '1.2' | '2004') => scormWebExtension(course([l]), version, 'lesson').pageData!(l).scorm as any;
    expect(data('1.2').quizzes[0].patterns).toEqual(['t']);
    expect(data('2004').quizzes[0].patterns).toEqual(['true']);
  });

  it('keeps descriptions and fill-in patterns within 250 characters, on one line, not starting with {', () => {
    const long = `{lang} ${'Một câu hỏi rất dài\n  về mật khẩu. '.repeat(30)}`;
    const answer = 'x'.repeat(300);
    const l = lesson('x', [quiz('q', 'fill', long, [[answer, true]])]);
    const [q] = (scormWebExtension(course([l]), '2004', 'lesson').pageData!(l).scorm as any).quizzes;
    expect(q.description.length).toBeLessThanOrEqual(250);
    expect(q.description.length).toBeGreaterThan(240);
    expect(q.description).toMatch(/^lang} Một câu hỏi rất dài về mật khẩu\. Một/);
    expect(q.description).not.toMatch(/\n|  /);
    expect(q.description.endsWith('…')).toBe(true);
    expect(q.patterns[0]).toBe(`{case_matters=false}${'x'.repeat(249)}…`);
    const [q12] = (scormWebExtension(course([l]), '1.2', 'lesson').pageData!(l).scorm as any).quizzes;
    expect(q12.patterns[0]).toHaveLength(255);
  });

  it('cuts between characters, never inside a surrogate pair', () => {
    const l = lesson('x', [quiz('q', 'single', `${'a'.repeat(248)}😀😀`, [['a', true], ['b', false]])]);
    const [q] = (scormWebExtension(course([l]), '2004', 'lesson').pageData!(l).scorm as any).quizzes;
    expect(q.description).toBe(`${'a'.repeat(248)}…`);
  });

  it('names interactions by quiz, prefixed with the lesson when the course is one SCO, percent-encoding what an identifier cannot hold', () => {
    expect(dataOf('1.2', 'lesson', L2).quizzes[0].interaction).toBe('c%C3%A2u-1');
    expect(dataOf('2004', 'course', L2).quizzes[0].interaction).toBe('bai-hai.c%C3%A2u-1');
    expect(dataOf('2004', 'course').quizzes.map((q: any) => q.interaction)).toEqual(['bai-mot.otp', 'bai-mot.mat-khau', 'bai-mot.wifi', 'bai-mot.so-chu']);
    // SCORM 1.2 CMIIdentifier: printable ASCII, no spaces.
    for (const version of ['1.2', '2004'] as const) for (const q of dataOf(version, 'course', L2).quizzes) expect(q.interaction).toMatch(/^[\x21-\x7e]{1,255}$/);
  });

  it('gives the course index only the version and mode', () => {
    expect(dataOf('2004', 'course', null)).toEqual({ version: '2004', mode: 'course' });
  });
});

describe('hocso-scorm.js as shipped', () => {
  const source = String(scormWebExtension(COURSE, '1.2', 'lesson').scripts[0]!.source);

  it('is added to every page after hocso.js, as assets/hocso-scorm.js', () => {
    expect(scormWebExtension(COURSE, '2004', 'course').scripts.map((s) => s.name)).toEqual(['hocso-scorm.js']);
  });

  it('is valid script without its comment lines and indentation, within its 3 KB gzipped budget', () => {
    expect(() => new Script(source)).not.toThrow();
    expect(source).not.toMatch(/^\s*(\/\/|\/\*\*|\*)/m);
    expect(source).not.toMatch(/^[ \t]/m);
    expect(gzipSync(source, { level: 9 }).length).toBeLessThanOrEqual(3 * 1024);
  });
});

describe('sco.html, the launch page of a single-SCO course', () => {
  const html = renderScoShell(COURSE, 'vi', '2004');
  const data = JSON.parse(/<script type="application\/json" id="hocso-data">([^<]*)<\/script>/.exec(html)![1]!).scorm;

  it('is at the package root, and shows the course index in a full-size frame', () => {
    expect(SCO_SHELL_PATH).toBe('sco.html');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="vi">/);
    expect(html).toContain('<iframe id="hocso-frame" title="Khóa &lt;học&gt; &amp; &quot;số&quot;" src="index.html"></iframe>');
    expect(html).toContain('<title>Khóa &lt;học&gt; &amp; &quot;số&quot;</title>');
    expect(html).toContain('<script src="assets/hocso-scorm.js"></script>');
    expect(html).not.toContain('hocso.js"');
  });

  it('tells the session every lesson, its page and its interactions, and the course mastery score: the strictest lesson', () => {
    expect(data).toEqual({
      version: '2004',
      mode: 'course',
      mastery: 0.9,
      lessons: [
        { id: 'bai-mot', page: 'lessons/bai-mot.html', interactions: ['bai-mot.otp', 'bai-mot.mat-khau', 'bai-mot.wifi', 'bai-mot.so-chu'] },
        { id: 'bai-hai', page: 'lessons/bai-hai.html', interactions: ['bai-hai.c%C3%A2u-1'] },
      ],
    });
    // The interactions the shell counts are the ones the lesson pages report.
    expect(data.lessons[0].interactions).toEqual(dataOf('2004', 'course').quizzes.map((q: any) => q.interaction));
  });
});
