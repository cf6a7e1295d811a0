// @vitest-environment node
// The cmi5 and xAPI (Tin Can) packages `hocso build` writes, launched as an LMS launches them: a test LRS/LMS on one
// origin (tests/helpers/lrs.ts) writes LMS.LaunchData, records `launched` and builds the launch URL; Debian's Chromium
// opens the AU from the content server, on another origin; a learner answers. The tests assert the exact statements the
// LRS stored, check every one with Learning Locker's validator (xapi-validation) and the cmi5 rules.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { competenceIri, competencesOf, type Framework } from '../../src/frameworks/framework.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { unzip } from '../helpers/unzip.js';
import { launchChromium, serveStatic, type StaticServer } from '../helpers/chromium.js';
import { LEARNER, startLrs, validateStatement, type Cmi5Launch, type Statement, type TestLrs } from '../helpers/lrs.js';
import { hocso, REPO, sampleProject, tempDir } from '../helpers/project.js';

const COURSE = 'ky-nang-so-thiet-yeu';
const LESSON = 'cai-dat-vneid';
const NEXT_LESSON = 'dich-vu-cong-truc-tuyen';
const BASE = `https://w3id.org/hocso/binh-dan-hoc-vu-so/${COURSE}`;
const LESSON_IRI = `${BASE}/lessons/${LESSON}`;
const LESSON_COMPETENCIES = ['tt02:2.6', 'tt02:2.3', 'tt02:4.2', 'qd757:0.2', 'qd757:4.1'];
const ADL = 'http://adlnet.gov/expapi/verbs/';
const CMI5 = 'https://w3id.org/xapi/cmi5/context/';
const SESSION_ID = `${CMI5}extensions/sessionid`;
const CMI5_CATEGORY = { id: `${CMI5}categories/cmi5` };
const MOVEON_CATEGORY = { id: `${CMI5}categories/moveon` };
const DURATION = /^PT\d+H\d+M\d+\.\d\dS$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The interaction each question of the lesson must be defined as (xAPI 1.0.3 Data §2.4.4.1). */
const QUESTIONS: Record<string, { interactionType: string; correctResponsesPattern: string[]; choices?: string[]; right: string; description: string }> = {
  'dang-ky-muc-2': { interactionType: 'choice', correctResponsesPattern: ['b'], choices: ['a', 'b', 'c'], right: 'b', description: 'Muốn có tài khoản định danh điện tử mức 2, bạn cần làm gì trước tiên?' },
  'so-chu-so-passcode': { interactionType: 'fill-in', correctResponsesPattern: ['{case_matters=false}6', '{case_matters=false}sáu'], right: '6', description: 'Mã passcode của VNeID gồm ___ chữ số.' },
  'cong-an-xin-passcode': { interactionType: 'true-false', correctResponsesPattern: ['false'], right: 'false', description: 'Công an có thể gọi điện xin passcode VNeID của bạn để "cập nhật thông tin".' },
  'giay-to-tich-hop': { interactionType: 'choice', correctResponsesPattern: ['a[,]b'], choices: ['a', 'b', 'c'], right: 'a[,]b', description: 'Những thứ nào có thể tích hợp vào Ví giấy tờ của VNeID? Chọn tất cả câu đúng.' },
};
const QUIZ_IDS = Object.keys(QUESTIONS);

let browser: Browser;
let server: StaticServer;
let lrs: TestLrs;
let frameworks: Map<string, Framework>;
/** The lesson's AU in cmi5.xml, as the LMS imported it: its url, moveOn and masteryScore. */
let cmi5Au: { url: string; moveOn: string; masteryScore: number };
/** The course's launch file in tincan.xml. */
let tincanLaunch: string;

beforeAll(async () => {
  browser = await launchChromium(); // first: without a browser, fail at once and say why
  const out = tempDir('hocso-xapi-play-');
  // The real CLI, as a user builds; the zips unzipped as an LMS does on import.
  expect(hocso(['build', '--lang', 'vi', '--target', 'cmi5', '--target', 'xapi', '--out', out], sampleProject())).toMatchObject({ code: 0 });
  const mounts: Record<string, string> = {};
  for (const target of ['cmi5', 'xapi']) {
    mounts[target] = path.join(out, 'unzipped', target);
    await unzip(path.join(out, target, `${COURSE}.vi.${target}.zip`), mounts[target]!);
  }
  frameworks = loadFrameworks(path.join(REPO, 'content', 'frameworks'), REPO).frameworks;
  const cmi5Xml = readFileSync(path.join(mounts.cmi5!, 'cmi5.xml'), 'utf8');
  const auXml = new RegExp(`<au ([^>]*id="${LESSON_IRI}"[^>]*)>([\\s\\S]*?)</au>`).exec(cmi5Xml)!;
  const attribute = (name: string): string => new RegExp(`\\b${name}="([^"]*)"`).exec(auXml[1]!)![1]!;
  cmi5Au = { url: /<url>([^<]+)<\/url>/.exec(auXml[2]!)![1]!, moveOn: attribute('moveOn'), masteryScore: Number(attribute('masteryScore')) };
  expect(cmi5Au).toEqual({ url: `lessons/${LESSON}.html`, moveOn: 'CompletedAndPassed', masteryScore: 0.8 });
  const tincanXml = readFileSync(path.join(mounts.xapi!, 'tincan.xml'), 'utf8');
  tincanLaunch = new RegExp(`<activity id="${BASE}"[^>]*>[\\s\\S]*?<launch lang="vi">([^<]+)</launch>`).exec(tincanXml)![1]!;
  server = await serveStatic(mounts, { '/favicon.ico': (_body, res) => res.writeHead(204).end() });
  lrs = await startLrs();
});

afterAll(async () => {
  await Promise.all([browser?.close(), server?.close(), lrs?.close()]);
});

afterEach(() => {
  // Every statement the LRS holds passes Learning Locker's validator, and the LRS refused none.
  for (const statement of lrs.statements) expect(validateStatement(statement), JSON.stringify(statement)).toEqual([]);
  expect(lrs.invalid).toEqual([]);
  expect(cmi5Problems(lrs.statements)).toEqual([]);
});

// ---------------------------------------------------------------------------------------------------------------

interface Learner {
  page: Page;
  /** console messages and page errors, `type: text`. */
  logs: string[];
}

async function open(context: BrowserContext, url: string): Promise<Learner> {
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}${m.type() === 'error' ? ` (${m.location().url})` : ''}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return { page, logs };
}

/**
 * Warnings and errors, less the browser's own log of the LRS's expected answers: 404 for a learner without cmi5
 * preferences (the Agent Profile API's answer for a missing document), 503 while the test LRS is down.
 */
const problems = (logs: string[]): string[] =>
  logs.filter((l) => /^(warning|error|pageerror):/.test(l) && !/^error: Failed to load resource: the server responded with a status of (404 \(Not Found\) \(\S+\/xapi\/agents\/profile\?|503 \(Service Unavailable\) \(\S+\/xapi\/statements)/.test(l));

interface QuizData {
  id: string;
  type: string;
  choices: { id: string; correct: boolean; text?: string }[];
}

/**
 * Answers quizzes from inside the page (inputs set, Check pressed), without scrolling, so the end of the lesson stays
 * out of view until the test scrolls there. `right(quiz id)`: answer it right or wrong. Only the quizzes listed.
 */
async function answer(page: Page, answers: Record<string, boolean>): Promise<void> {
  await page.evaluate((answers) => {
    const quizzes: QuizData[] = JSON.parse(document.getElementById('hocso-data')!.textContent!).quizzes;
    for (const quiz of quizzes) {
      if (!(quiz.id in answers)) continue;
      const right = answers[quiz.id];
      const base = `quiz-${quiz.id}`;
      const retry = document.querySelector<HTMLButtonElement>(`#${base} .quiz-retry`)!;
      if (!retry.hidden) retry.click();
      if (quiz.type === 'fill') (document.getElementById(`${base}-answer`) as HTMLInputElement).value = right ? quiz.choices.find((c) => c.correct)!.text! : 'không biết';
      else {
        const wrong = quiz.choices.find((c) => !c.correct)!;
        for (const c of quiz.choices) (document.getElementById(`${base}-${c.id}`) as HTMLInputElement).checked = right ? c.correct : c === wrong;
      }
      document.querySelector<HTMLButtonElement>(`#${base} .quiz-check`)!.click();
    }
  }, answers);
}
const all = (right: boolean | ((id: string) => boolean)): Record<string, boolean> => Object.fromEntries(QUIZ_IDS.map((id) => [id, typeof right === 'function' ? right(id) : right]));

async function reachEnd(page: Page): Promise<void> {
  await page.locator('.lesson-end').scrollIntoViewIfNeeded();
}

const verbOf = (s: Statement): string => String(s.verb.id).replace(/^.*\//, '');
const ofRegistration = (registration: string): Statement[] => lrs.statements.filter((s) => s.context?.registration === registration);
const verbs = (registration: string): string[] => ofRegistration(registration).map(verbOf);
/** The AU's statements in a session (the LMS's `launched` left out). */
const ofSession = (launch: Cmi5Launch): Statement[] => lrs.statements.filter((s) => s.context?.extensions?.[SESSION_ID] === launch.sessionId && verbOf(s) !== 'launched');
const sessionVerbs = (launch: Cmi5Launch): string[] => ofSession(launch).map(verbOf);
const fetchPath = (launch: Cmi5Launch): string => new URL(new URL(launch.url).searchParams.get('fetch')!).pathname;
const fetchCalls = (launch: Cmi5Launch): number => lrs.requests.filter((r) => r.method === 'POST' && r.path === fetchPath(launch)).length;

/** Launches the lesson's AU as the LMS that imported cmi5.xml does (its url, moveOn and masteryScore, unless overridden). */
function launchLesson(options: { registration?: string; launchMode?: 'Normal' | 'Browse' | 'Review'; masteryScore?: number; returnURL?: boolean } = {}): Cmi5Launch {
  return lrs.launchCmi5({
    url: `${server.origin}/cmi5/${cmi5Au.url}`,
    publisherId: LESSON_IRI,
    moveOn: cmi5Au.moveOn as 'CompletedAndPassed',
    masteryScore: options.masteryScore ?? cmi5Au.masteryScore,
    ...(options.registration ? { registration: options.registration } : {}),
    ...(options.launchMode ? { launchMode: options.launchMode } : {}),
    ...(options.returnURL === false ? {} : { returnURL: lrs.returnUrl }),
  });
}

/** The competence activities every statement of the lesson carries, as an LRS reads them. */
function competencies(): unknown[] {
  return LESSON_COMPETENCIES.map((ref) => {
    const [fw, code] = ref.split(':') as [string, string];
    const framework = frameworks.get(fw)!;
    const competence = competencesOf(framework).find((c) => c.code === code)!;
    return {
      objectType: 'Activity',
      id: competenceIri(framework, code),
      definition: { type: 'http://adlnet.gov/expapi/activities/objective', name: { vi: competence.title.vi }, description: { vi: `${ref} — ${framework.title.vi}` } },
    };
  });
}

const COURSE_ACTIVITY = expect.objectContaining({ objectType: 'Activity', id: BASE, definition: expect.objectContaining({ type: 'http://adlnet.gov/expapi/activities/course', name: { vi: 'Kỹ năng số thiết yếu cho người dân' } }) });
const MODULE_ACTIVITY = {
  objectType: 'Activity',
  id: `${BASE}/modules/dinh-danh-va-dich-vu-cong`,
  definition: { type: 'http://adlnet.gov/expapi/activities/module', name: { vi: 'Định danh điện tử và dịch vụ công trực tuyến' } },
};
const LESSON_DEFINITION = expect.objectContaining({ type: 'http://adlnet.gov/expapi/activities/lesson', name: { vi: 'Cài đặt và kích hoạt VNeID' }, description: { vi: expect.stringMatching(/^Biết cần mang gì/) } });

/** A question's activity, as the statements define it. */
function questionActivity(id: string, n: number): unknown {
  const q = QUESTIONS[id]!;
  return {
    objectType: 'Activity',
    id: `${LESSON_IRI}/questions/${id}`,
    definition: {
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      name: { vi: `Cài đặt và kích hoạt VNeID — Câu hỏi ${n}` },
      description: { vi: q.description },
      interactionType: q.interactionType,
      correctResponsesPattern: q.correctResponsesPattern,
      ...(q.choices ? { choices: q.choices.map((c) => ({ id: c, description: { vi: expect.any(String) } })) } : {}),
    },
  };
}

/**
 * The cmi5 rules (cmi5 §9.3, §9.5, §9.6, §10) over every statement the AUs sent, per session and registration.
 * Returns what breaks them; LMS statements (launched) are left out.
 */
function cmi5Problems(statements: Statement[]): string[] {
  const out: string[] = [];
  const defined = new Set(['initialized', 'completed', 'passed', 'failed', 'terminated']);
  const au = statements.filter((s) => s.context?.extensions?.[SESSION_ID] && verbOf(s) !== 'launched');
  const sessions = new Map<string, Statement[]>();
  for (const s of au) sessions.set(s.context.extensions[SESSION_ID], [...(sessions.get(s.context.extensions[SESSION_ID]) ?? []), s]);
  for (const [id, list] of sessions) {
    const launched = statements.find((s) => verbOf(s) === 'launched' && s.context.extensions[SESSION_ID] === id)!;
    const byTime = [...list].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    if (verbOf(byTime[0]!) !== 'initialized') out.push(`session ${id}: ${verbOf(byTime[0]!)} before initialized`);
    const terminated = list.filter((s) => verbOf(s) === 'terminated');
    if (terminated.length === 1 && byTime.at(-1) !== terminated[0]) out.push(`session ${id}: ${verbOf(byTime.at(-1)!)} after terminated`);
    const definedVerbs = list.filter((s) => defined.has(verbOf(s))).map(verbOf);
    if (new Set(definedVerbs).size !== definedVerbs.length) out.push(`session ${id}: a cmi5 defined verb twice: ${definedVerbs.join(' ')}`);
    if (definedVerbs.filter((v) => v === 'passed' || v === 'failed').length > 1) out.push(`session ${id}: passed and failed`);
    const mode = launched.context.extensions[`${CMI5}extensions/launchmode`];
    if (mode !== 'Normal' && definedVerbs.some((v) => !['initialized', 'terminated'].includes(v))) out.push(`session ${id}: ${definedVerbs.join(' ')} in ${mode} mode`);
    for (const s of list) {
      const verb = verbOf(s);
      const where = `${verb} ${s.id}`;
      const categories = (s.context.contextActivities?.category ?? []).map((c: { id: string }) => c.id);
      if (!UUID_V4.test(s.id)) out.push(`${where}: id is not a UUID v4`);
      if (s.context.registration !== launched.context.registration) out.push(`${where}: not the launch's registration`);
      if (!(s.context.contextActivities?.grouping ?? []).some((g: { id: string }) => g.id === launched.context.contextActivities.grouping[0].id)) out.push(`${where}: no publisher id in grouping`);
      if (!isDeepEqual(s.actor, launched.actor)) out.push(`${where}: not the launch's actor`);
      if (defined.has(verb)) {
        if (s.object.id !== launched.object.id) out.push(`${where}: object is not the launch's activityId`);
        if (!categories.includes(CMI5_CATEGORY.id)) out.push(`${where}: no cmi5 category`);
        const moveOn = ['completed', 'passed', 'failed'].includes(verb);
        if (categories.includes(MOVEON_CATEGORY.id) !== moveOn) out.push(`${where}: moveOn category ${moveOn ? 'missing' : 'not allowed'}`);
        if ((verb === 'terminated' || moveOn) && !DURATION.test(s.result?.duration ?? '')) out.push(`${where}: no duration`);
        if ((s.result?.score !== undefined) !== (verb === 'passed' || verb === 'failed')) out.push(`${where}: score`);
        if ((s.result?.success !== undefined) !== (verb === 'passed' || verb === 'failed') || (verb === 'passed' && s.result.success !== true) || (verb === 'failed' && s.result.success !== false)) out.push(`${where}: success`);
        if ((s.result?.completion !== undefined) !== (verb === 'completed') || (verb === 'completed' && s.result.completion !== true)) out.push(`${where}: completion`);
        const mastery = launched.context.extensions[`${CMI5}extensions/masteryscore`];
        if (verb === 'passed' && !(s.result.score.scaled >= mastery)) out.push(`${where}: passed below the mastery score`);
        if (verb === 'failed' && !(s.result.score.scaled < mastery)) out.push(`${where}: failed at the mastery score`);
        if ((verb === 'passed' || verb === 'failed') && s.context.extensions[`${CMI5}extensions/masteryscore`] !== mastery) out.push(`${where}: masteryScore extension`);
      } else if (categories.includes(CMI5_CATEGORY.id)) out.push(`${where}: cmi5 category on a cmi5 allowed statement`);
    }
  }
  // Per registration (and AU): one completed, one passed, no failed after passed (by timestamp).
  const registrations = new Map<string, Statement[]>();
  for (const s of au) registrations.set(`${s.context.registration} ${s.context.contextActivities.grouping[0].id}`, [...(registrations.get(`${s.context.registration} ${s.context.contextActivities.grouping[0].id}`) ?? []), s]);
  for (const [id, list] of registrations) {
    const byTime = [...list].sort((a, b) => a.timestamp.localeCompare(b.timestamp)).map(verbOf);
    if (byTime.filter((v) => v === 'completed').length > 1) out.push(`registration ${id}: completed twice`);
    if (byTime.filter((v) => v === 'passed').length > 1) out.push(`registration ${id}: passed twice`);
    if (byTime.includes('passed') && byTime.lastIndexOf('failed') > byTime.indexOf('passed')) out.push(`registration ${id}: failed after passed`);
  }
  return out;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---------------------------------------------------------------------------------------------------------------

describe('a cmi5 AU launched by an LMS', () => {
  it('reports a pass: initialized, answered per question, passed with its score, completed at the end, terminated on leaving by the return link', async () => {
    const context = await browser.newContext();
    const launch = launchLesson();
    const { page, logs } = await open(context, launch.url);
    await expect.poll(() => sessionVerbs(launch)).toEqual(['initialized']);
    await answer(page, all(true));
    await expect.poll(() => sessionVerbs(launch)).toEqual(['initialized', 'answered', 'answered', 'answered', 'answered', 'passed']);
    await reachEnd(page);
    await expect.poll(() => sessionVerbs(launch)).toEqual(['initialized', 'answered', 'answered', 'answered', 'answered', 'passed', 'completed']);
    // returnURL: the AU offers the way back; leaving terminates the session.
    await page.click('.hocso-exit a');
    await page.waitForURL(lrs.returnUrl);
    await expect.poll(() => verbs(launch.registration)).toEqual(['launched', 'initialized', 'answered', 'answered', 'answered', 'answered', 'passed', 'completed', 'terminated']);

    // The LMS's side: one fetch, LMS.LaunchData and the learner's preferences read before the first statement.
    expect(fetchCalls(launch)).toBe(1);
    const xapi = lrs.requests.filter((r) => r.path.startsWith('/xapi/') && r.method !== 'OPTIONS' && r.headers.authorization === `Basic ${fetchPath(launch).split('/').at(-1)}`);
    expect(xapi.slice(0, 2).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /xapi/activities/state', 'GET /xapi/agents/profile']);
    expect(xapi.find((r) => r.path === '/xapi/activities/state')!.query).toMatchObject({ stateId: 'LMS.LaunchData', activityId: launch.activityId, registration: launch.registration });
    expect(xapi.every((r) => r.headers['x-experience-api-version'] === '1.0.3')).toBe(true);

    const [, initialized, ...rest] = ofRegistration(launch.registration);
    const context0 = {
      registration: launch.registration,
      language: 'vi',
      extensions: { [SESSION_ID]: launch.sessionId },
    };
    const grouping = [{ objectType: 'Activity', id: LESSON_IRI }, COURSE_ACTIVITY, MODULE_ACTIVITY];
    const au = { objectType: 'Activity', id: launch.activityId, definition: LESSON_DEFINITION };
    expect(initialized).toEqual({
      id: expect.stringMatching(UUID_V4),
      timestamp: expect.any(String),
      actor: LEARNER,
      verb: { id: `${ADL}initialized`, display: { 'en-US': 'initialized' } },
      object: au,
      context: { ...context0, contextActivities: { grouping, parent: competencies(), category: [CMI5_CATEGORY] } },
      stored: expect.any(String),
      authority: expect.any(Object),
      version: '1.0.3',
    });
    const answered = rest.slice(0, 4);
    answered.forEach((s, n) => {
      const id = QUIZ_IDS[n]!;
      expect(s.verb).toEqual({ id: `${ADL}answered`, display: { 'en-US': 'answered' } });
      expect(s.object).toEqual(questionActivity(id, n + 1));
      expect(s.result).toEqual({ response: QUESTIONS[id]!.right, success: true });
      // cmi5 allowed: the context template (registration, session id, publisher id), no cmi5 category.
      expect(s.context).toEqual({ ...context0, contextActivities: { grouping, parent: [au, ...competencies()] } });
    });
    const [passed, completed, terminated] = rest.slice(4);
    expect(passed!.object).toEqual(au);
    expect(passed!.result).toEqual({ score: { scaled: 1, raw: 4, min: 0, max: 4 }, success: true, duration: expect.stringMatching(DURATION) });
    expect(passed!.context).toEqual({
      ...context0,
      extensions: { [SESSION_ID]: launch.sessionId, [`${CMI5}extensions/masteryscore`]: 0.8 },
      contextActivities: { grouping, parent: competencies(), category: [CMI5_CATEGORY, MOVEON_CATEGORY] },
    });
    expect(completed!.result).toEqual({ completion: true, duration: expect.stringMatching(DURATION) });
    expect(completed!.context.contextActivities.category).toEqual([CMI5_CATEGORY, MOVEON_CATEGORY]);
    expect(terminated!.result).toEqual({ duration: expect.stringMatching(DURATION) });
    expect(terminated!.context.contextActivities.category).toEqual([CMI5_CATEGORY]);
    expect(problems(logs)).toEqual([]);
    await context.close();
  });

  it('reports a fail below the LMS mastery score, once per session; the next session reports the pass the learner reached after', async () => {
    const context = await browser.newContext();
    // The LMS's masteryScore (0.7) wins over the lesson's (0.8): 3 of 4 passes it.
    const launch = launchLesson({ masteryScore: 0.7 });
    const { page, logs } = await open(context, launch.url);
    await answer(page, all((id) => id === QUIZ_IDS[0] || id === QUIZ_IDS[1]));
    await expect.poll(() => sessionVerbs(launch)).toEqual(['initialized', 'answered', 'answered', 'answered', 'answered', 'failed']);
    const failed = ofSession(launch).at(-1)!;
    expect(failed.result).toEqual({ score: { scaled: 0.5, raw: 2, min: 0, max: 4 }, success: false, duration: expect.stringMatching(DURATION) });
    expect(failed.context.extensions[`${CMI5}extensions/masteryscore`]).toBe(0.7);
    // The learner retries one question and reaches 3/4: no second verdict in this session (cmi5 §9.3).
    await answer(page, { [QUIZ_IDS[2]!]: true });
    await expect.poll(() => sessionVerbs(launch)).toEqual(['initialized', 'answered', 'answered', 'answered', 'answered', 'failed', 'answered']);
    await page.goto(lrs.returnUrl);
    await expect.poll(() => sessionVerbs(launch).at(-1)).toBe('terminated');

    // Relaunched: the answers come back and the pass the last session could not report is reported now.
    const again = launchLesson({ registration: launch.registration, masteryScore: 0.7 });
    const second = await open(context, again.url);
    await expect.poll(() => sessionVerbs(again)).toEqual(['initialized', 'passed']);
    expect(ofSession(again)[1]!.result.score).toEqual({ scaled: 0.75, raw: 3, min: 0, max: 4 });
    expect(await second.page.locator('.quiz-feedback.is-correct').count()).toBe(3);
    // The page's verdict agrees with the statement: passed at the LMS's 0.7.
    await expect.poll(() => second.page.locator('.lesson-result').getAttribute('class')).toContain('is-passed');
    await reachEnd(second.page);
    await expect.poll(() => sessionVerbs(again)).toEqual(['initialized', 'passed', 'completed']);
    await second.page.goto(lrs.returnUrl);
    await expect.poll(() => verbs(launch.registration)).toEqual([
      ...['launched', 'initialized', 'answered', 'answered', 'answered', 'answered', 'failed', 'answered', 'terminated'],
      ...['launched', 'initialized', 'passed', 'completed', 'terminated'],
    ]);
    expect(problems([...logs, ...second.logs])).toEqual([]);
    await context.close();
  });

  it.each(['Browse', 'Review'] as const)('records no status in %s mode: initialized, the answers (cmi5 allowed), terminated; nothing kept for the registration', async (launchMode) => {
    const context = await browser.newContext();
    const launch = launchLesson({ launchMode });
    const { page, logs } = await open(context, launch.url);
    await answer(page, all(true));
    await reachEnd(page);
    await expect.poll(() => sessionVerbs(launch)).toEqual(['initialized', 'answered', 'answered', 'answered', 'answered']);
    expect(await page.locator('.lesson-result').textContent()).toContain('4/4');
    await page.goto(lrs.returnUrl);
    await expect.poll(() => verbs(launch.registration)).toEqual(['launched', 'initialized', 'answered', 'answered', 'answered', 'answered', 'terminated']);
    // A Normal launch of the same registration starts from nothing: browsing judged nothing.
    const normal = launchLesson({ registration: launch.registration });
    const second = await open(context, normal.url);
    await expect.poll(() => sessionVerbs(normal)).toEqual(['initialized']);
    expect(await second.page.locator('.quiz-feedback.is-correct').count()).toBe(0);
    await second.page.goto(lrs.returnUrl);
    await expect.poll(() => sessionVerbs(normal)).toEqual(['initialized', 'terminated']);
    expect(problems([...logs, ...second.logs])).toEqual([]);
    await context.close();
  });

  it('resumes: a reload does not fetch the token again and records nothing after terminated; the relaunch restores the answers and sends no second completed', async () => {
    const context = await browser.newContext();
    const launch = launchLesson();
    const { page, logs } = await open(context, launch.url);
    await answer(page, { [QUIZ_IDS[0]!]: true, [QUIZ_IDS[1]!]: true });
    await reachEnd(page);
    await expect.poll(() => sessionVerbs(launch)).toEqual(['initialized', 'answered', 'answered', 'completed']);
    // A reload ends the page, so the session (terminated is sent when the page goes): the reloaded page shows the
    // answers, does not fetch the one-time token again, and records nothing more.
    await page.reload();
    await expect.poll(() => sessionVerbs(launch)).toEqual(['initialized', 'answered', 'answered', 'completed', 'terminated']);
    await expect.poll(() => logs).toContain('info: hocso-xapi: this cmi5 session has ended: launch the lesson again to record more');
    expect(await page.locator('.quiz-feedback.is-correct').count()).toBe(2);
    await answer(page, { [QUIZ_IDS[2]!]: true });
    expect(fetchCalls(launch)).toBe(1);

    // The LMS relaunches (new session, same registration): the registration's answers are back.
    const again = launchLesson({ registration: launch.registration });
    const second = await open(context, again.url);
    await expect.poll(() => sessionVerbs(again)).toEqual(['initialized']);
    expect(await second.page.locator('.quiz-feedback.is-correct').count()).toBe(2);
    await answer(second.page, { [QUIZ_IDS[2]!]: true, [QUIZ_IDS[3]!]: true });
    await reachEnd(second.page);
    await expect.poll(() => sessionVerbs(again)).toEqual(['initialized', 'answered', 'answered', 'passed']);
    await second.page.goto(lrs.returnUrl);
    await expect.poll(() => sessionVerbs(again)).toEqual(['initialized', 'answered', 'answered', 'passed', 'terminated']);
    expect(verbs(launch.registration).filter((v) => v === 'completed')).toHaveLength(1);
    expect(fetchCalls(again)).toBe(1);
    expect(problems([...logs, ...second.logs])).toEqual([]);
    await context.close();
  });

  it('keeps statements while the LRS fails, sends them later in order and once, also after the page was closed', async () => {
    const context = await browser.newContext();
    // The first two statement requests fail (503): retried after 1 s, then 2 s.
    lrs.fail(2);
    const launch = launchLesson();
    const { page, logs } = await open(context, launch.url);
    await answer(page, all(true));
    await reachEnd(page);
    await expect.poll(() => sessionVerbs(launch), { timeout: 15_000 }).toEqual(['initialized', 'answered', 'answered', 'answered', 'answered', 'passed', 'completed']);
    expect(lrs.requests.filter((r) => r.path === '/xapi/statements' && r.status === 503)).toHaveLength(2);
    expect(problems(logs)).toEqual(['warning: hocso-xapi: LRS unreachable (HTTP 503), retrying']);
    await page.goto(lrs.returnUrl);
    await expect.poll(() => sessionVerbs(launch).at(-1)).toBe('terminated');

    // Down for a whole session: nothing arrives, not even the batch sent when the page goes.
    lrs.fail(Infinity);
    const down = launchLesson();
    const first = await open(context, down.url);
    await expect.poll(() => first.logs).toContain('warning: hocso-xapi: LRS unreachable (HTTP 503), retrying');
    await answer(first.page, { [QUIZ_IDS[0]!]: true, [QUIZ_IDS[1]!]: false });
    await first.page.goto(lrs.returnUrl);
    await expect.poll(() => lrs.requests.some((r) => r.method === 'POST' && r.path === '/xapi/statements' && r.status === 503)).toBe(true);
    expect(verbs(down.registration)).toEqual(['launched']);

    // Back up; the next launch sends what the browser kept first, in order, then its own.
    lrs.fail(0);
    const again = launchLesson({ registration: down.registration });
    const second = await open(context, again.url);
    await expect.poll(() => verbs(down.registration)).toEqual(['launched', 'launched', 'initialized', 'answered', 'answered', 'terminated', 'initialized']);
    expect(sessionVerbs(down)).toEqual(['initialized', 'answered', 'answered', 'terminated']);
    const ids = lrs.statements.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    // In the order they happened (the LMS's second `launched` came before the first session's statements arrived).
    const sentByAu = ofRegistration(down.registration).filter((s) => verbOf(s) !== 'launched');
    expect(sentByAu.map((s) => s.timestamp)).toEqual(sentByAu.map((s) => s.timestamp).sort());
    await second.page.goto(lrs.returnUrl);
    await expect.poll(() => sessionVerbs(again)).toEqual(['initialized', 'terminated']);
    await context.close();
  });
});

describe('an xAPI (Tin Can) package launched at its index', () => {
  it('keeps the launch across the lesson pages and sends answered with the interaction definitions, the verdict, completed, terminated, with the competencies', async () => {
    const context = await browser.newContext();
    // A Tin Can 0.95 actor, as older LMSs launch: values in arrays.
    const launch = lrs.launchTincan({ url: `${server.origin}/xapi/${tincanLaunch}`, activityId: BASE, actor: { name: ['Nguyễn Văn An'], mbox: ['mailto:an@example.vn'] } });
    const from = lrs.requests.length;
    const { page, logs } = await open(context, launch.url);
    await page.click(`a.lesson-link[data-lesson="${LESSON}"]`);
    await page.waitForURL(/\/lessons\/cai-dat-vneid\.html$/);
    await expect.poll(() => verbs(launch.registration)).toEqual(['initialized']);
    await answer(page, all((id) => id !== QUIZ_IDS[1]));
    await reachEnd(page);
    await expect.poll(() => verbs(launch.registration)).toEqual(['initialized', 'answered', 'answered', 'answered', 'answered', 'failed', 'completed']);
    await page.click('a.pager-next');
    await page.waitForURL(new RegExp(`/lessons/${NEXT_LESSON}\\.html$`));
    await expect.poll(() => verbs(launch.registration)).toEqual(['initialized', 'answered', 'answered', 'answered', 'answered', 'failed', 'completed', 'terminated', 'initialized']);
    await page.goto('about:blank');
    await expect.poll(() => verbs(launch.registration).length).toBe(10);

    const statements = ofRegistration(launch.registration);
    const actor = { objectType: 'Agent', name: 'Nguyễn Văn An', mbox: 'mailto:an@example.vn' };
    expect(statements.every((s) => isDeepEqual(s.actor, actor))).toBe(true);
    const lesson = { objectType: 'Activity', id: LESSON_IRI, definition: LESSON_DEFINITION };
    const grouping = [COURSE_ACTIVITY, MODULE_ACTIVITY];
    for (const s of statements.slice(0, 8)) {
      // no cmi5 category, no session id: plain xAPI, with the lesson's competencies and the course and module
      expect(s.context).toEqual({
        registration: launch.registration,
        language: 'vi',
        contextActivities: { grouping, parent: verbOf(s) === 'answered' ? [lesson, ...competencies()] : competencies() },
      });
      if (verbOf(s) !== 'answered') expect(s.object).toEqual(lesson);
    }
    statements.slice(1, 5).forEach((s, n) => {
      const id = QUIZ_IDS[n]!;
      expect(s.object).toEqual(questionActivity(id, n + 1));
      expect(s.result).toEqual(n === 1 ? { response: 'không biết', success: false } : { response: QUESTIONS[id]!.right, success: true });
    });
    expect(statements[1]!.object.definition.choices.map((c: { description: { vi: string } }) => c.description.vi)).toEqual([
      'Nhờ người quen cài ứng dụng hộ.',
      'Mang thẻ căn cước gắn chip đến công an xã, phường để đăng ký.',
      'Bấm vào đường link "đăng ký VNeID" gửi qua Zalo.',
    ]);
    expect(statements[5]!.result).toEqual({ score: { scaled: 0.75, raw: 3, min: 0, max: 4 }, success: false, duration: expect.stringMatching(DURATION) });
    expect(statements[8]!.object.id).toBe(`${BASE}/lessons/${NEXT_LESSON}`);
    expect(statements[8]!.context.contextActivities.grouping).toEqual([COURSE_ACTIVITY, expect.objectContaining({ id: `${BASE}/modules/dinh-danh-va-dich-vu-cong` })]);
    // Basic auth as the launch gave it, on every request the content made.
    const sent = lrs.requests.slice(from).filter((r) => r.path.startsWith('/xapi/') && r.method !== 'OPTIONS');
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent.every((r) => r.headers.authorization === launch.auth)).toBe(true);
    expect(problems(logs)).toEqual([]);
    await context.close();
  });

  it('works without a launch (preview): one info line, no request, the quizzes still grade', async () => {
    const context = await browser.newContext();
    const before = lrs.requests.length;
    const { page, logs } = await open(context, `${server.origin}/xapi/lessons/${LESSON}.html`);
    await answer(page, all(true));
    expect(await page.locator('.lesson-result').textContent()).toContain('4/4');
    expect(logs.filter((l) => l.includes('hocso-xapi'))).toEqual(['info: hocso-xapi: no tincan launch, preview mode']);
    expect(lrs.requests.length).toBe(before);
    expect(problems(logs)).toEqual([]);
    await context.close();
  });
});

describe('the cmi5 rule check these tests use', () => {
  it('finds what breaks the rules', () => {
    const sessionid = 'session-1';
    const activityId = 'https://lms.example.vn/cmi5/au/1';
    const base = (verb: string, extra: Record<string, any> = {}, categories = [CMI5_CATEGORY]): Statement => ({
      id: '9f1c7f4e-5b7a-4c1e-8d3a-2f6b1e0c9a7d',
      timestamp: extra.timestamp ?? '2026-01-01T00:00:01.000Z',
      actor: LEARNER,
      verb: { id: `${ADL}${verb}` },
      object: { id: activityId },
      result: extra.result,
      context: {
        registration: 'c0a80101-0000-4000-8000-000000000001',
        contextActivities: { grouping: [{ id: LESSON_IRI }], category: categories },
        extensions: { [SESSION_ID]: sessionid, ...extra.extensions },
      },
    });
    const launched = base('launched', { timestamp: '2026-01-01T00:00:00.000Z', extensions: { [`${CMI5}extensions/launchmode`]: 'Normal', [`${CMI5}extensions/masteryscore`]: 0.8 } });
    const found = cmi5Problems([
      launched,
      base('completed', { timestamp: '2026-01-01T00:00:01.000Z', result: { completion: true } }),
      base('initialized', { timestamp: '2026-01-01T00:00:02.000Z' }),
      base('passed', { timestamp: '2026-01-01T00:00:03.000Z', result: { success: true, score: { scaled: 0.5 }, duration: 'PT1S' } }, [CMI5_CATEGORY, MOVEON_CATEGORY]),
      base('failed', { timestamp: '2026-01-01T00:00:04.000Z', result: { success: false, score: { scaled: 0.5 }, duration: 'PT0H0M1.00S' }, extensions: { [`${CMI5}extensions/masteryscore`]: 0.8 } }, [CMI5_CATEGORY, MOVEON_CATEGORY]),
      base('answered', { timestamp: '2026-01-01T00:00:05.000Z' }),
      base('terminated', { timestamp: '2026-01-01T00:00:04.500Z', result: { duration: 'PT0H0M9.00S' } }),
    ]).join('\n');
    for (const rule of [
      'completed before initialized',
      'answered after terminated',
      'passed and failed',
      'completed .*: moveOn category missing',
      'completed .*: no duration',
      'passed .*: no duration',
      'passed .*: passed below the mastery score',
      'passed .*: masteryScore extension',
      'answered .*: cmi5 category on a cmi5 allowed statement',
      'failed after passed',
    ]) expect(found).toMatch(new RegExp(rule));
  });
});
