// @vitest-environment node
// The SCORM packages `hocso build` writes, played as an LMS plays them: Debian's Chromium opens a player page that
// puts scorm-again's Scorm12API / Scorm2004API on its window and the SCO in a frame; a learner answers the quizzes;
// the tests read what the LMS received from scorm-again's own data model.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzip } from '../helpers/unzip.js';
import { launchChromium, serveStatic, type StaticServer } from '../helpers/chromium.js';
import { hocso, REPO, sampleProject, tempDir, templateProject } from '../helpers/project.js';

type Version = '1.2' | '2004';
const VERSIONS: Version[] = ['1.2', '2004'];
const TARGET: Record<Version, string> = { '1.2': 'scorm12', '2004': 'scorm2004' };
const COURSE = 'ky-nang-so-thiet-yeu';
const LESSON = 'cai-dat-vneid';
const NEXT_LESSON = 'dich-vu-cong-truc-tuyen';
const LESSON_OBJECTIVES = ['tt02:2.6', 'tt02:2.3', 'tt02:4.2', 'qd757:0.2', 'qd757:4.1'];

/** What the LMS must hold for each question of the lesson, per version (RTE 1.2 §3.4.2.7, 2004 §4.2.9). */
const EXPECTED: Record<string, { type: string; patterns: Record<Version, string[]>; right: Record<Version, string>; description: string }> = {
  'dang-ky-muc-2': { type: 'choice', patterns: { '1.2': ['b'], '2004': ['b'] }, right: { '1.2': 'b', '2004': 'b' }, description: 'Muốn có tài khoản định danh điện tử mức 2, bạn cần làm gì trước tiên?' },
  'so-chu-so-passcode': {
    type: 'fill-in',
    patterns: { '1.2': ['6', 'sáu'], '2004': ['{case_matters=false}6', '{case_matters=false}sáu'] },
    right: { '1.2': '6', '2004': '6' },
    description: 'Mã passcode của VNeID gồm ___ chữ số.',
  },
  'cong-an-xin-passcode': {
    type: 'true-false',
    patterns: { '1.2': ['f'], '2004': ['false'] },
    right: { '1.2': 'f', '2004': 'false' },
    description: 'Công an có thể gọi điện xin passcode VNeID của bạn để "cập nhật thông tin".',
  },
  'giay-to-tich-hop': { type: 'choice', patterns: { '1.2': ['a,b'], '2004': ['a[,]b'] }, right: { '1.2': 'a,b', '2004': 'a[,]b' }, description: 'Những thứ nào có thể tích hợp vào Ví giấy tờ của VNeID? Chọn tất cả câu đúng.' },
};
const QUIZ_IDS = Object.keys(EXPECTED);
const READING_LESSON = `---
id: bai-doc
title: Đọc để biết
competencies: [tt02:1.1]
objectives: [Biết đọc tin tức chính thống]
---

Đọc tin từ nguồn chính thống.

## Ở đâu

Trang của cơ quan nhà nước có tên miền gov.vn.
`;

let browser: Browser;
let server: StaticServer;
/** Unzipped packages by URL prefix: lesson-scorm12, course-scorm2004… */
const packages: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchChromium(); // first: without a browser, fail at once and say why
  const project = sampleProject();
  const out = tempDir('hocso-scorm-play-');
  // The real CLI, as a user builds: one SCO per lesson, then the whole course as one SCO.
  expect(hocso(['build', '--lang', 'vi', '--target', 'scorm12', '--target', 'scorm2004', '--out', path.join(out, 'lesson')], project)).toMatchObject({ code: 0 });
  expect(hocso(['build', '--lang', 'vi', '--target', 'scorm12', '--target', 'scorm2004', '--single-sco', '--out', path.join(out, 'course')], project)).toMatchObject({ code: 0 });

  // A lesson to read, with no quiz: reaching its end is what the LMS must hear.
  const reading = templateProject({ 'content/courses/khoa-hoc-dau-tien/lessons/bai-doc.md': READING_LESSON });
  const courseFile = path.join(reading, 'content/courses/khoa-hoc-dau-tien/course.yaml');
  writeFileSync(courseFile, readFileSync(courseFile, 'utf8').replace(/lessons:\n(\s+)- (.*)\n/, 'lessons:\n$1- $2\n$1- lessons/bai-doc.md\n'));
  expect(hocso(['build', '--target', 'scorm12', '--target', 'scorm2004', '--out', path.join(out, 'reading')], reading)).toMatchObject({ code: 0 });

  const mounts: Record<string, string> = {
    'scorm-again': path.join(REPO, 'node_modules', 'scorm-again', 'dist'),
    player: path.join(REPO, 'tests', 'fixtures', 'scorm-player'),
  };
  for (const version of VERSIONS) {
    for (const mode of ['lesson', 'course']) {
      const dir = path.join(out, 'unzipped', `${mode}-${TARGET[version]}`);
      await unzip(path.join(out, mode, TARGET[version], `${COURSE}.vi.${TARGET[version]}.zip`), dir);
      packages[`${mode}-${TARGET[version]}`] = dir;
    }
    const dir = path.join(out, 'unzipped', `reading-${TARGET[version]}`);
    await unzip(path.join(out, 'reading', TARGET[version], `khoa-hoc-dau-tien.vi.${TARGET[version]}.zip`), dir);
    packages[`reading-${TARGET[version]}`] = dir;
  }
  server = await serveStatic({ ...mounts, ...packages }, {
    // An LMS whose commit endpoint is down: scorm-again's LMSCommit / Commit then returns false.
    '/commit-fail': (_body, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"result":false}'),
    '/favicon.ico': (_body, res) => res.writeHead(204).end(),
  });
});

afterAll(async () => {
  await Promise.all([browser?.close(), server?.close()]);
});

// ---------------------------------------------------------------------------------------------------------------

/** The launch files of the package's SCOs, in manifest order. */
function scoLaunches(pkg: string): string[] {
  const manifest = readFileSync(path.join(packages[pkg]!, 'imsmanifest.xml'), 'utf8');
  return [...manifest.matchAll(/<resource\b[^>]*>/g)].map((m) => m[0]).filter((tag) => /adlcp:scorm[tT]ype="sco"/.test(tag)).map((tag) => /\bhref="([^"]+)"/.exec(tag)![1]!);
}

interface CmiState {
  initialized: boolean;
  terminated: boolean;
  calls: string[];
  /** Elements the SCO set (SetValue), in order. */
  sets: string[];
  cmi: { cmi: Record<string, any> };
}

interface Session {
  page: Page;
  /** console messages of the player and every frame, `type: text`. */
  logs: string[];
  state(): Promise<CmiState>;
  /** The LMS closes the SCO (its frame navigates away). */
  close(): Promise<CmiState>;
  /** The frame showing this lesson page (inside sco.html in single-SCO mode). */
  lesson(id: string): Promise<Frame>;
}

/** Opens the player and launches `sco` (a path under the server) with the given LMS data. */
async function play(context: BrowserContext, version: Version, sco: string, options: { cmi?: unknown; commitUrl?: string } = {}): Promise<Session> {
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(`${server.origin}/player/player.html`);
  await page.evaluate((o) => (window as any).player.start(o), { version, sco: `/${sco}`, ...options });
  return {
    page,
    logs,
    state: () => page.evaluate(() => (window as any).player.state()),
    close: async () => {
      await page.evaluate(() => (window as any).player.close());
      return page.evaluate(() => (window as any).player.state());
    },
    lesson: async (id) => {
      const pattern = new RegExp(`/lessons/${id}\\.html(#.*)?$`);
      await expect.poll(() => page.frames().some((f) => pattern.test(f.url()))).toBe(true);
      const frame = page.frames().find((f) => pattern.test(f.url()))!;
      await frame.waitForLoadState('load');
      return frame;
    },
  };
}

interface QuizData {
  id: string;
  type: string;
  choices: { id: string; correct: boolean; text?: string }[];
}

async function quizzesOn(frame: Frame): Promise<QuizData[]> {
  return frame.evaluate(() => JSON.parse(document.getElementById('hocso-data')!.textContent!).quizzes);
}

/** Answers one quiz as a learner: picks choices or types, then presses Check. `pick`: which wrong choice (by rank). */
async function answer(frame: Frame, quiz: QuizData, right: boolean, pick = 0): Promise<void> {
  const base = `#quiz-${quiz.id}`;
  if (quiz.type === 'fill') {
    await frame.fill(`${base}-answer`, right ? quiz.choices.find((c) => c.correct)!.text! : 'không biết');
  } else {
    const wrong = quiz.choices.filter((c) => !c.correct);
    for (const choice of right ? quiz.choices.filter((c) => c.correct) : [wrong[pick % wrong.length]!]) await frame.check(`${base}-${choice.id}`);
  }
  await frame.click(`${base} .quiz-check`);
  await frame.waitForSelector(`${base} .quiz-feedback.${right ? 'is-correct' : 'is-incorrect'}`);
}

async function answerAll(frame: Frame, right: (quiz: QuizData, n: number) => boolean): Promise<void> {
  const quizzes = await quizzesOn(frame);
  for (const [n, quiz] of quizzes.entries()) await answer(frame, quiz, right(quiz, n));
}

/** Every quiz right, quicker: the same inputs and Check buttons, pressed from inside the page in one go. */
async function answerAllRight(frame: Frame): Promise<void> {
  const count = await frame.evaluate(() => {
    const quizzes: QuizData[] = JSON.parse(document.getElementById('hocso-data')!.textContent!).quizzes;
    for (const quiz of quizzes) {
      const base = `quiz-${quiz.id}`;
      if (quiz.type === 'fill') (document.getElementById(`${base}-answer`) as HTMLInputElement).value = quiz.choices.find((c) => c.correct)!.text!;
      else for (const c of quiz.choices) (document.getElementById(`${base}-${c.id}`) as HTMLInputElement).checked = c.correct;
      document.querySelector<HTMLButtonElement>(`#${base} .quiz-check`)!.click();
    }
    return document.querySelectorAll('.quiz-feedback.is-correct').length;
  });
  expect(count).toBe(4);
}

/** Scrolls to the end of the lesson, and waits until the SCO has told the LMS. */
async function reachEnd(frame: Frame, s: Session, lesson: string): Promise<void> {
  await frame.locator('.lesson-end').scrollIntoViewIfNeeded();
  await expect.poll(async () => suspendOf(await s.state()).e).toContain(lesson);
}

const cmiOf = (state: CmiState): Record<string, any> => state.cmi.cmi;
const interactions = (state: CmiState): any[] => Object.values(cmiOf(state).interactions ?? {});
const core = (version: Version, state: CmiState): Record<string, any> => (version === '1.2' ? cmiOf(state).core : cmiOf(state));
const scoreOf = (version: Version, state: CmiState): Record<string, string> => core(version, state).score;
const suspendOf = (state: CmiState): { q: [string, string[], number][]; e: string[] } => JSON.parse(cmiOf(state).suspend_data);
const statusOf = (version: Version, state: CmiState): string | { completion: string; success: string } =>
  version === '1.2' ? cmiOf(state).core.lesson_status : { completion: cmiOf(state).completion_status, success: cmiOf(state).success_status };
const locationOf = (version: Version, state: CmiState): string => (version === '1.2' ? cmiOf(state).core.lesson_location : cmiOf(state).location);
const sessionTimeOf = (version: Version, state: CmiState): string => core(version, state).session_time;

/** The LMS's data for the next launch: what it kept, with entry = resume since the SCO exited with `suspend`. */
function resumeData(version: Version, state: CmiState): unknown {
  const cmi = structuredClone(cmiOf(state));
  if (version === '1.2') cmi.core.entry = 'resume';
  else cmi.entry = 'resume';
  return { cmi };
}

/** Warnings and errors of the player and the SCO. */
const problems = (logs: string[]): string[] => logs.filter((l) => /^(warning|error|pageerror):/.test(l));

// ---------------------------------------------------------------------------------------------------------------

describe.each(VERSIONS)('SCORM %s, one SCO per lesson', (version) => {
  const pkg = `lesson-${TARGET[version]}`;
  const launch = `${pkg}/lessons/${LESSON}.html`;
  const interactionStatus = (right: boolean): string => (right ? 'correct' : version === '1.2' ? 'wrong' : 'incorrect');

  it('reports an attempt with every answer right: initialized, commits per answer, completed, passed, scores, interactions, session time, terminated once', async () => {
    const context = await browser.newContext();
    const s = await play(context, version, launch);
    const frame = await s.lesson(LESSON);
    let state = await s.state();
    expect(state.initialized).toBe(true);
    expect(state.calls).toEqual([version === '1.2' ? 'LMSInitialize' : 'Initialize']);
    expect(statusOf(version, state)).toEqual(version === '1.2' ? 'incomplete' : { completion: 'incomplete', success: 'unknown' });

    const commit = version === '1.2' ? 'LMSCommit' : 'Commit';
    const quizzes = await quizzesOn(frame);
    expect(quizzes.map((q) => q.id)).toEqual(QUIZ_IDS);
    for (const [n, quiz] of quizzes.entries()) {
      const commits = state.calls.filter((c) => c === commit).length;
      await answer(frame, quiz, true);
      state = await s.state();
      expect(state.calls.filter((c) => c === commit).length).toBeGreaterThan(commits);
      expect(interactions(state)).toHaveLength(n + 1);
    }
    // Every question answered: success is known, whether or not the end of the page was reached yet.
    expect(version === '1.2' ? cmiOf(state).core.lesson_status : cmiOf(state).success_status).toBe('passed');
    await reachEnd(frame, s, LESSON);
    await expect.poll(async () => statusOf(version, await s.state())).toEqual(version === '1.2' ? 'passed' : { completion: 'completed', success: 'passed' });

    state = await s.close();
    expect(state.terminated).toBe(true);
    expect(state.calls.filter((c) => c === (version === '1.2' ? 'LMSFinish' : 'Terminate'))).toHaveLength(1);
    expect(state.calls.at(-1)).toBe(version === '1.2' ? 'LMSFinish' : 'Terminate');
    expect(state.calls.filter((c) => /Initialize/.test(c))).toHaveLength(1);

    expect(scoreOf(version, state)).toEqual(version === '1.2' ? { raw: '100', min: '0', max: '100' } : { raw: '100', min: '0', max: '100', scaled: '1' });
    expect(core(version, state).exit).toBe('suspend');
    // (scorm-again keeps 1.2 times as HH:MM:SS.SS)
    expect(sessionTimeOf(version, state)).toMatch(version === '1.2' ? /^\d{2,4}:\d{2}:\d{2}\.\d{1,2}$/ : /^PT\d+H\d+M\d+\.\d{2}S$/);
    expect(sessionTimeOf(version, state)).not.toMatch(/^(0+:00:00\.0+|PT0H0M0\.00S)$/);

    const got = interactions(state);
    expect(got.map((i) => i.id)).toEqual(QUIZ_IDS);
    for (const i of got) {
      const want = EXPECTED[i.id]!;
      expect(i.type).toBe(want.type);
      expect(i.result).toBe('correct');
      expect(Object.values(i.correct_responses).map((c: any) => c.pattern)).toEqual(want.patterns[version]);
      expect(Object.values(i.objectives).map((o: any) => o.id)).toEqual(LESSON_OBJECTIVES);
      if (version === '1.2') {
        expect(i.student_response).toBe(want.right[version]);
        expect(i.time).toMatch(/^\d{2}:\d{2}:\d{2}$/);
        expect(i.description).toBeUndefined(); // SCORM 1.2 has no interaction description
      } else {
        expect(i.learner_response).toBe(want.right[version]);
        expect(i.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2})?Z$/);
        expect(i.description).toBe(want.description);
      }
    }
    expect(suspendOf(state).e).toEqual([LESSON]);
    expect(problems(s.logs)).toEqual([]);
    await context.close();
  });

  it('fails an attempt below the mastery score, and keeps one interaction per question when one is answered again', async () => {
    const context = await browser.newContext();
    const s = await play(context, version, launch);
    const frame = await s.lesson(LESSON);
    const quizzes = await quizzesOn(frame);
    await answer(frame, quizzes[0]!, false, 0);
    for (const quiz of quizzes.slice(1)) await answer(frame, quiz, true);
    // The learner tries the first question again, and picks another wrong choice.
    await frame.click(`#quiz-${quizzes[0]!.id} .quiz-retry`);
    await answer(frame, quizzes[0]!, false, 1);
    await reachEnd(frame, s, LESSON);
    await expect.poll(async () => statusOf(version, await s.state())).toEqual(version === '1.2' ? 'failed' : { completion: 'completed', success: 'failed' });

    const state = await s.close();
    // 3 of 4 right: 75 % is below the lesson's mastery score of 0.8.
    expect(scoreOf(version, state)).toEqual(version === '1.2' ? { raw: '75', min: '0', max: '100' } : { raw: '75', min: '0', max: '100', scaled: '0.75' });
    const got = interactions(state);
    expect(got.map((i) => i.id)).toEqual(QUIZ_IDS);
    expect(got.map((i) => i.result)).toEqual([interactionStatus(false), ...QUIZ_IDS.slice(1).map(() => interactionStatus(true))]);
    expect(got[0][version === '1.2' ? 'student_response' : 'learner_response']).toBe('c');
    expect(Object.values(got[0].correct_responses).map((c: any) => c.pattern)).toEqual(['b']);
    expect(suspendOf(state).q.map(([id, response, right]) => [id, response, right])).toEqual([
      ['dang-ky-muc-2', ['c'], 0],
      ['so-chu-so-passcode', ['6'], 1],
      ['cong-an-xin-passcode', ['false'], 1],
      ['giay-to-tich-hop', ['a', 'b'], 1],
    ]);
    expect(state.terminated).toBe(true);
    expect(problems(s.logs)).toEqual([]);
    await context.close();
  });

  it('passes the same attempt when the LMS sets a lower mastery score', async () => {
    const context = await browser.newContext();
    // The LMS's own threshold (1.2 cmi.student_data.mastery_score, 0–100; 2004 cmi.scaled_passing_score, 0–1) wins.
    const cmi = version === '1.2' ? { cmi: { student_data: { mastery_score: '70' } } } : { cmi: { scaled_passing_score: '0.7' } };
    const s = await play(context, version, launch, { cmi });
    const frame = await s.lesson(LESSON);
    await answerAll(frame, (_q, n) => n > 0);
    // The page's verdict agrees with what the LMS records.
    expect(await frame.locator('.lesson-result').getAttribute('class')).toContain('is-passed');
    const state = await s.close();
    expect(scoreOf(version, state).raw).toBe('75');
    expect(version === '1.2' ? cmiOf(state).core.lesson_status : cmiOf(state).success_status).toBe('passed');
    expect(problems(s.logs)).toEqual([]);
    await context.close();
  });

  it('resumes a learner who left mid-lesson: answers shown again, back at the section, new answers take the next interactions', async () => {
    const context = await browser.newContext();
    // Someone else used this browser before, without an LMS: everything answered, kept in localStorage.
    const preview = await context.newPage();
    await preview.goto(`${server.origin}/${launch}`);
    await answerAll(preview.mainFrame(), () => true);
    await preview.close();

    // A fresh attempt: the LMS has nothing, so the page shows nothing of the other learner.
    const first = await play(context, version, launch);
    let frame = await first.lesson(LESSON);
    for (const id of QUIZ_IDS) expect(await frame.locator(`#quiz-${id} .quiz-feedback`).textContent()).toBe('');
    expect(await frame.isChecked(`#quiz-giay-to-tich-hop-a`)).toBe(false);
    const quizzes = await quizzesOn(frame);
    await answer(frame, quizzes[0]!, true); // dang-ky-muc-2
    await answer(frame, quizzes[1]!, false); // so-chu-so-passcode
    const section = 'bước-2-cài-ứng-dụng-và-kích-hoạt';
    await frame.evaluate((id) => document.getElementById(id)!.scrollIntoView(), section);
    let state = await first.close();
    expect(locationOf(version, state)).toBe(section);
    expect(statusOf(version, state)).toEqual(version === '1.2' ? 'incomplete' : { completion: 'incomplete', success: 'unknown' });
    expect(scoreOf(version, state).raw).toBe('');
    expect(interactions(state).map((i) => i.id)).toEqual(['dang-ky-muc-2', 'so-chu-so-passcode']);
    expect(core(version, state).exit).toBe('suspend');
    expect(state.terminated).toBe(true);
    await first.page.close();

    // The next launch, on another device: the LMS's data is all there is.
    const otherDevice = await browser.newContext();
    const again = await play(otherDevice, version, launch, { cmi: resumeData(version, state) });
    frame = await again.lesson(LESSON);
    expect(await frame.isChecked('#quiz-dang-ky-muc-2-b')).toBe(true);
    expect(await frame.isChecked('#quiz-dang-ky-muc-2-a')).toBe(false);
    expect(await frame.inputValue('#quiz-so-chu-so-passcode-answer')).toBe('không biết');
    expect(await frame.locator('#quiz-so-chu-so-passcode .quiz-feedback').getAttribute('class')).toContain('is-incorrect');
    expect(await frame.isChecked('#quiz-giay-to-tich-hop-a')).toBe(false);
    const [top, scrolled] = await frame.evaluate((id) => [document.getElementById(id)!.getBoundingClientRect().top, scrollY], section);
    expect(top).toBeGreaterThanOrEqual(0); // at the top of the frame, less the headings' scroll margin
    expect(top).toBeLessThan(40);
    expect(scrolled).toBeGreaterThan(0);

    // The rest, in another order: new questions take the next interaction indexes, in answer order.
    await answer(frame, quizzes[3]!, true);
    await answer(frame, quizzes[2]!, true);
    await reachEnd(frame, again, LESSON);
    await expect.poll(async () => statusOf(version, await again.state())).toEqual(version === '1.2' ? 'failed' : { completion: 'completed', success: 'failed' });
    state = await again.close();
    expect(interactions(state).map((i) => [i.id, i.result])).toEqual([
      ['dang-ky-muc-2', 'correct'],
      ['so-chu-so-passcode', interactionStatus(false)],
      ['giay-to-tich-hop', 'correct'],
      ['cong-an-xin-passcode', 'correct'],
    ]);
    expect(scoreOf(version, state).raw).toBe('75');
    expect(state.calls.filter((c) => /Initialize/.test(c))).toHaveLength(1);
    expect(problems([...first.logs, ...again.logs])).toEqual([]);
    await Promise.all([context.close(), otherDevice.close()]);
  });

  it('records nothing when the LMS opens the SCO in review mode, and shows the saved answers', async () => {
    const context = await browser.newContext();
    const first = await play(context, version, launch);
    let frame = await first.lesson(LESSON);
    const quizzes = await quizzesOn(frame);
    await answer(frame, quizzes[0]!, false);
    const saved = await first.close();
    await first.page.close();

    const data = resumeData(version, saved) as { cmi: Record<string, any> };
    if (version === '1.2') data.cmi.core.lesson_mode = 'review';
    else data.cmi.mode = 'review';
    const review = await play(context, version, launch, { cmi: data });
    frame = await review.lesson(LESSON);
    expect(await frame.locator(`#quiz-${quizzes[0]!.id} .quiz-feedback`).getAttribute('class')).toContain('is-incorrect');
    await frame.locator(`#quiz-${quizzes[0]!.id} .quiz-retry`).click();
    await answer(frame, quizzes[0]!, true);
    await answerAll(frame, () => true);
    await reachEnd(frame, review, LESSON).catch(() => undefined); // nothing is recorded, so nothing to wait for
    const state = await review.close();
    expect(state.terminated).toBe(true);
    expect(state.sets).toEqual([]);
    expect(statusOf(version, state)).toEqual(statusOf(version, saved));
    expect(interactions(state).map((i) => i.result)).toEqual([interactionStatus(false)]);
    expect(problems(review.logs)).toEqual([]);
    await context.close();
  });

  it('works without an LMS (preview): one info line, the quizzes still grade and progress stays in the browser', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(`${server.origin}/${launch}`);
    await answerAll(page.mainFrame(), (_q, n) => n > 0);
    expect(await page.locator('.lesson-result').textContent()).toContain('3/4');
    await page.reload();
    expect(await page.isChecked('#quiz-giay-to-tich-hop-a')).toBe(true);
    const info = logs.filter((l) => l.includes('hocso-scorm'));
    expect(info).toEqual([`info: hocso-scorm: no SCORM ${version} LMS found, preview mode`, `info: hocso-scorm: no SCORM ${version} LMS found, preview mode`]);
    expect(problems(logs)).toEqual([]);
    await context.close();
  });

  it('keeps the lesson working when the LMS fails to commit, and logs the SCORM error code', async () => {
    const context = await browser.newContext();
    const s = await play(context, version, launch, { commitUrl: `${server.origin}/commit-fail` });
    const frame = await s.lesson(LESSON);
    await answerAll(frame, () => true);
    expect(await frame.locator('.lesson-result').textContent()).toContain('4/4');
    const failures = problems(s.logs).filter((l) => l.includes('hocso-scorm'));
    // One per answer at least: each answer commits. scorm-again answers a failed HTTP commit with 101 (general exception).
    expect(failures.length).toBeGreaterThanOrEqual(4);
    expect(failures[0]).toMatch(new RegExp(`^warning: hocso-scorm: ${version === '1.2' ? 'LMSCommit' : 'Commit'}\\(\\) failed: SCORM error 101 General Exception$`, 'i'));
    expect(s.logs.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    const state = await s.close();
    // The data model still holds what the SCO set; only the transport failed.
    expect(interactions(state)).toHaveLength(4);
    expect(state.terminated).toBe(true);
    await context.close();
  });

  it('plays every SCO of the package from its manifest launch file to a passed lesson', async () => {
    const context = await browser.newContext();
    const launches = scoLaunches(pkg);
    expect(launches).toHaveLength(6);
    for (const href of launches) {
      const s = await play(context, version, `${pkg}/${href}`);
      const id = /lessons\/(.+)\.html$/.exec(href)![1]!;
      const frame = await s.lesson(id);
      await answerAllRight(frame);
      await reachEnd(frame, s, id);
      await expect.poll(async () => statusOf(version, await s.state())).toEqual(version === '1.2' ? 'passed' : { completion: 'completed', success: 'passed' });
      const state = await s.close();
      expect(state.terminated).toBe(true);
      expect(interactions(state)).toHaveLength(4);
      expect(problems(s.logs)).toEqual([]);
      await s.page.close();
    }
    await context.close();
  });
});

describe.each(VERSIONS)('SCORM %s, a lesson with no quiz', (version) => {
  it('is completed when the learner reaches its end (and, in 2004, passed, so lessons that require it open)', async () => {
    const context = await browser.newContext();
    const s = await play(context, version, `reading-${TARGET[version]}/lessons/bai-doc.html`);
    const frame = await s.lesson('bai-doc');
    await reachEnd(frame, s, 'bai-doc');
    await expect.poll(async () => statusOf(version, await s.state())).toEqual(version === '1.2' ? 'completed' : { completion: 'completed', success: 'passed' });
    const state = await s.close();
    expect(state.terminated).toBe(true);
    expect(scoreOf(version, state).raw).toBe('');
    expect(interactions(state)).toEqual([]);
    expect(problems(s.logs)).toEqual([]);
    await context.close();
  });
});

describe.each(VERSIONS)('SCORM %s, the whole course as one SCO (sco.html)', (version) => {
  const pkg = `course-${TARGET[version]}`;

  it('aggregates every lesson into one session: prefixed interactions, lesson#section location, resume, course score', async () => {
    const launches = scoLaunches(pkg);
    expect(launches).toEqual(['sco.html']);
    const context = await browser.newContext();
    const s = await play(context, version, `${pkg}/sco.html`);
    // sco.html shows the course index; the learner opens the first lesson from it.
    await expect.poll(() => s.page.frames().some((f) => f.url().endsWith('/index.html'))).toBe(true);
    const index = s.page.frames().find((f) => f.url().endsWith('/index.html'))!;
    await index.click(`a.lesson-link[data-lesson="${LESSON}"]`);
    let frame = await s.lesson(LESSON);
    await answerAll(frame, () => true);
    await reachEnd(frame, s, LESSON);
    await frame.click('a.pager-next');
    frame = await s.lesson(NEXT_LESSON);
    const next = await quizzesOn(frame);
    await answer(frame, next[0]!, false);
    await answer(frame, next[1]!, true);
    const section = 'đăng-nhập-bằng-vneid';
    await frame.evaluate((id) => document.getElementById(id)!.scrollIntoView(), section);
    let state = await s.close();

    expect(state.calls.filter((c) => /Initialize/.test(c))).toHaveLength(1);
    expect(state.calls.filter((c) => /Finish|Terminate/.test(c))).toHaveLength(1);
    expect(interactions(state).map((i) => i.id)).toEqual([...QUIZ_IDS.map((q) => `${LESSON}.${q}`), `${NEXT_LESSON}.${next[0]!.id}`, `${NEXT_LESSON}.${next[1]!.id}`]);
    expect(Object.values(interactions(state)[4].objectives).map((o: any) => o.id)).toEqual(['tt02:2.3', 'tt02:2.6', 'tt02:1.1', 'qd757:0.2', 'qd757:1.1', 'qd757:1.3', 'digcomp22:2.3']);
    expect(locationOf(version, state)).toBe(`${NEXT_LESSON}#${section}`);
    expect(statusOf(version, state)).toEqual(version === '1.2' ? 'incomplete' : { completion: 'incomplete', success: 'unknown' });
    expect(scoreOf(version, state).raw).toBe('');
    expect(suspendOf(state).e).toEqual([LESSON]);
    expect(problems(s.logs)).toEqual([]);
    await context.close();

    // Resume: sco.html reopens the lesson the learner was in, at the section, with their answers.
    const other = await browser.newContext();
    const again = await play(other, version, `${pkg}/sco.html`, { cmi: resumeData(version, state) });
    frame = await again.lesson(NEXT_LESSON);
    const top = await frame.evaluate((id) => document.getElementById(id)!.getBoundingClientRect().top, section);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(40);
    expect(await frame.locator(`#quiz-${next[0]!.id} .quiz-feedback`).getAttribute('class')).toContain('is-incorrect');
    expect(await frame.locator(`#quiz-${next[1]!.id} .quiz-feedback`).getAttribute('class')).toContain('is-correct');
    for (const quiz of next.slice(2)) await answer(frame, quiz, true);
    await reachEnd(frame, again, NEXT_LESSON);
    // The rest of the course, lesson after lesson.
    for (;;) {
      const link = frame.locator('a.pager-next');
      if (!(await link.count())) break;
      const id = /([^/]+)\.html$/.exec((await link.getAttribute('href'))!)![1]!;
      await link.click();
      frame = await again.lesson(id);
      await answerAllRight(frame);
      await reachEnd(frame, again, id);
    }
    await expect.poll(async () => statusOf(version, await again.state())).toEqual(version === '1.2' ? 'passed' : { completion: 'completed', success: 'passed' });
    state = await again.close();
    // 23 of the course's 24 questions right.
    expect(scoreOf(version, state)).toEqual(version === '1.2' ? { raw: '95.83', min: '0', max: '100' } : { raw: '95.83', min: '0', max: '100', scaled: '0.9583' });
    expect(interactions(state)).toHaveLength(24);
    expect(interactions(state).filter((i) => i.result !== 'correct').map((i) => i.id)).toEqual([`${NEXT_LESSON}.${next[0]!.id}`]);
    expect(suspendOf(state).e).toHaveLength(6);
    expect(state.terminated).toBe(true);
    expect(problems(again.logs)).toEqual([]);
    await other.close();
  });
});
