// What each page of a cmi5 or xAPI package tells hocso-xapi.js (activity definitions, interaction patterns and
// competencies are decided here, not in the browser), and the script as shipped.
import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Framework } from '../../src/frameworks/framework.js';
import type { Course, Lesson } from '../../src/model/course.js';
import { at, lesson, quiz } from '../helpers/model.js';
import { courseIris } from '../../src/targets/xapi/iris.js';
import { XAPI_ACTIVITY_TYPES, xapiRuntimeScript, xapiWebExtension, type XapiLessonData, type XapiProfile } from '../../src/targets/xapi/runtime.js';
import { validateStatement } from '../helpers/lrs.js';

function framework(id: string, iriBase: string, code: string, vi: string, en: string): Framework {
  return {
    id,
    title: { vi: `Khung ${id}`, en: `Framework ${id}` },
    publisher: { vi: 'Bộ', en: 'Ministry' },
    version: '1',
    source: { document: 'x' },
    iriBase,
    levels: [{ level: 1, tier: { vi: 'cơ bản', en: 'basic' } }],
    areas: [{ code: code.split('.')[0]!, title: { vi: 'Lĩnh vực', en: 'Area' }, competences: [{ code, title: { vi, en }, area: code.split('.')[0]! }] }],
    file: `${id}.yaml`,
  };
}

const FRAMEWORKS = new Map([
  ['tt02', framework('tt02', 'https://w3id.org/hocso/frameworks/tt02-2025', '4.2', 'Bảo vệ dữ liệu cá nhân', 'Protecting personal data')],
  ['qd757', framework('qd757', 'https://w3id.org/hocso/frameworks/qd757-2025', '1.2', 'Tìm kiếm thông tin', 'Searching for information')],
]);

const SINGLE = quiz('otp', 'single', 'Có người gọi điện\n  xin mã OTP. Bạn làm gì?', [['Đọc mã', false], ['Dập máy', true], ['Hỏi tên', false]]);
const MULTIPLE = quiz('mat-khau', 'multiple', 'Mật khẩu nào an toàn?', [['123456', false], ['Hoa-Sen-Nở', true], ['Ngày sinh', false], ['Ba từ ghép', true]]);
const TRUE_FALSE = quiz('wifi', 'truefalse', 'Wi-Fi công cộng luôn an toàn.', [['Đúng', false], ['Sai', true]]);
const FILL = quiz('so-chu', 'fill', 'Mã OTP thường có ___ chữ số.', [['6', true], [' sáu  ', true], ['6', true], ['a [,] b', true], ['hai mươi', false]]);

function course(lessons: Lesson[], language = 'vi'): Course {
  return {
    id: 'khoa học',
    title: 'Khóa học số',
    description: 'Mô tả khóa học.',
    language,
    frameworks: ['tt02', 'qd757'],
    keywords: [],
    modules: [
      { id: 'm1', title: 'Phần 1', description: 'Mô tả phần 1', lessons: lessons.slice(0, 1) },
      { id: 'm2', title: 'Phần 2', lessons: lessons.slice(1) },
    ],
    prerequisites: {},
    root: '/nowhere',
    at,
  };
}

const L1 = lesson('bai-mot', [SINGLE, MULTIPLE, TRUE_FALSE, FILL]);
const L2 = lesson('bài-hai', [], { masteryScore: 0.9, objectives: [], competencies: [] });
const COURSE = course([L1, L2]);
const IRIS = courseIris('https://learn.example.vn/xapi/', COURSE.id);
const BASE = 'https://learn.example.vn/xapi/khoa%20h%E1%BB%8Dc';

const dataOf = (l: Lesson | null, profile: XapiProfile = 'cmi5', c: Course = COURSE): XapiLessonData => xapiWebExtension(c, FRAMEWORKS, IRIS, profile).pageData!(l).xapi as XapiLessonData;

describe('xAPI data of a lesson page', () => {
  it('names the profile, language and mastery score, and the lesson as an activity with the IRI and texts of cmi5.xml / tincan.xml', () => {
    const data = dataOf(L1);
    expect(data).toMatchObject({ profile: 'cmi5', lang: 'vi', mastery: 0.8, exit: 'Trang khóa học' });
    expect(data.lesson).toEqual({
      objectType: 'Activity',
      id: `${BASE}/lessons/bai-mot`,
      definition: { type: 'http://adlnet.gov/expapi/activities/lesson', name: { vi: 'Bài bai-mot' }, description: { vi: 'Đặt mật khẩu mạnh\nNhận ra tin nhắn lừa đảo' } },
    });
    expect(dataOf(L1, 'tincan').profile).toBe('tincan');
    // No objectives: no description, rather than an empty one.
    expect(dataOf(L2).lesson).toEqual({ objectType: 'Activity', id: `${BASE}/lessons/b%C3%A0i-hai`, definition: { type: XAPI_ACTIVITY_TYPES.lesson, name: { vi: 'Bài bài-hai' } } });
    expect(dataOf(L2).mastery).toBe(0.9);
  });

  it('groups the lesson under its course and module', () => {
    expect(dataOf(L1).grouping).toEqual([
      { objectType: 'Activity', id: BASE, definition: { type: XAPI_ACTIVITY_TYPES.course, name: { vi: 'Khóa học số' }, description: { vi: 'Mô tả khóa học.' } } },
      { objectType: 'Activity', id: `${BASE}/modules/m1`, definition: { type: XAPI_ACTIVITY_TYPES.module, name: { vi: 'Phần 1' }, description: { vi: 'Mô tả phần 1' } } },
    ]);
    expect(dataOf(L2).grouping[1]).toEqual({ objectType: 'Activity', id: `${BASE}/modules/m2`, definition: { type: XAPI_ACTIVITY_TYPES.module, name: { vi: 'Phần 2' } } });
  });

  it("gives each competence once, as an objective activity with the framework's IRI and its title in the page language", () => {
    expect(dataOf(L1).competencies).toEqual([
      {
        objectType: 'Activity',
        id: 'https://w3id.org/hocso/frameworks/tt02-2025/4.2',
        definition: { type: 'http://adlnet.gov/expapi/activities/objective', name: { vi: 'Bảo vệ dữ liệu cá nhân' }, description: { vi: 'tt02:4.2 — Khung tt02' } },
      },
      {
        objectType: 'Activity',
        id: 'https://w3id.org/hocso/frameworks/qd757-2025/1.2',
        definition: { type: 'http://adlnet.gov/expapi/activities/objective', name: { vi: 'Tìm kiếm thông tin' }, description: { vi: 'qd757:1.2 — Khung qd757' } },
      },
    ]);
    const english = course([lesson('one', [SINGLE])], 'en');
    const data = xapiWebExtension(english, FRAMEWORKS, IRIS, 'tincan').pageData!(english.modules[0]!.lessons[0]!).xapi as XapiLessonData;
    expect(data.competencies.map((c) => c.definition.name)).toEqual([{ en: 'Protecting personal data' }, { en: 'Searching for information' }]);
    expect(data.lang).toBe('en');
    expect(data.exit).toBe('Course home');
    expect(data.quizzes[0]!.activity.definition.name).toEqual({ en: 'Bài one — Question 1' });
    expect(dataOf(L2).competencies).toEqual([]);
  });

  it('defines each question as a cmi.interaction: choices with their texts, correct-response patterns in xAPI syntax', () => {
    const defs = dataOf(L1).quizzes.map((q) => ({ id: q.id, iri: q.activity.id, ...q.activity.definition }));
    expect(defs).toEqual([
      {
        id: 'otp',
        iri: `${BASE}/lessons/bai-mot/questions/otp`,
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        name: { vi: 'Bài bai-mot — Câu hỏi 1' },
        description: { vi: 'Có người gọi điện xin mã OTP. Bạn làm gì?' },
        interactionType: 'choice',
        correctResponsesPattern: ['b'],
        choices: [
          { id: 'a', description: { vi: 'Đọc mã' } },
          { id: 'b', description: { vi: 'Dập máy' } },
          { id: 'c', description: { vi: 'Hỏi tên' } },
        ],
      },
      expect.objectContaining({ id: 'mat-khau', interactionType: 'choice', correctResponsesPattern: ['b[,]d'], name: { vi: 'Bài bai-mot — Câu hỏi 2' } }),
      // true-false: no choices component (xAPI allows none for it)
      {
        id: 'wifi',
        iri: `${BASE}/lessons/bai-mot/questions/wifi`,
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        name: { vi: 'Bài bai-mot — Câu hỏi 3' },
        description: { vi: 'Wi-Fi công cộng luôn an toàn.' },
        interactionType: 'true-false',
        correctResponsesPattern: ['false'],
      },
      // fill-in: one pattern per accepted answer, case ignored, once each, on one line, `[,]` not splitting it
      expect.objectContaining({ id: 'so-chu', interactionType: 'fill-in', correctResponsesPattern: ['{case_matters=false}6', '{case_matters=false}sáu', '{case_matters=false}a , b'] }),
    ]);
    expect(defs[1]!.choices).toHaveLength(4);
    expect(defs[3]).not.toHaveProperty('choices');
    const truth = lesson('x', [quiz('q', 'truefalse', 'Q', [['Đúng', true], ['Sai', false]])]);
    expect((xapiWebExtension(course([truth]), FRAMEWORKS, IRIS, 'cmi5').pageData!(truth).xapi as XapiLessonData).quizzes[0]!.activity.definition.correctResponsesPattern).toEqual(['true']);
  });

  it('gives activities that Learning Locker’s validator accepts in a statement, as object and as context', () => {
    const data = dataOf(L1);
    const statement = (object: unknown): unknown => ({
      actor: { objectType: 'Agent', account: { homePage: 'https://lms.example.vn', name: '1' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
      object,
      context: { language: data.lang, contextActivities: { parent: [data.lesson, ...data.competencies], grouping: data.grouping } },
    });
    for (const q of data.quizzes) expect(validateStatement(statement(q.activity))).toEqual([]);
    expect(validateStatement(statement(data.lesson))).toEqual([]);
  });

  it('gives the course index (Tin Can) only the profile and language', () => {
    expect(dataOf(null, 'tincan')).toEqual({ profile: 'tincan', lang: 'vi' });
  });
});

describe('hocso-xapi.js as shipped', () => {
  const source = String(xapiWebExtension(COURSE, FRAMEWORKS, IRIS, 'cmi5').scripts[0]!.source);

  it('is added to every page after hocso.js, as assets/hocso-xapi.js, the same script for both profiles', () => {
    expect(xapiWebExtension(COURSE, FRAMEWORKS, IRIS, 'tincan').scripts).toEqual([{ name: 'hocso-xapi.js', source }]);
    expect(xapiRuntimeScript()).toBe(source);
    // the package code decides navigation (false for cmi5, true for Tin Can)
    expect(xapiWebExtension(COURSE, FRAMEWORKS, IRIS, 'cmi5')).not.toHaveProperty('navigation');
  });

  it('is valid script without its comment lines and indentation, within 4 KB gzipped', () => {
    expect(() => new Script(source)).not.toThrow();
    expect(source).not.toMatch(/^\s*(\/\/|\/\*\*|\*)/m);
    expect(source).not.toMatch(/^[ \t]/m);
    expect(gzipSync(source, { level: 9 }).length).toBeLessThanOrEqual(4 * 1024);
  });
});
