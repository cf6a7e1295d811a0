// @vitest-environment node
// `hocso preview` as an author uses it: the real CLI in a child process, real HTTP, and Debian's Chromium watching the
// pages reload as the lesson file is edited, an error overlay after a broken save, and the SCORM panel's live view.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { BIN, SHARED_MEDIA_CACHE, TEMPLATE_LESSON, templateProject } from '../helpers/project.js';

const COURSE = 'khoa-hoc-dau-tien';
const LESSON = 'bai-dau-tien';
const TITLE = 'Bài học đầu tiên';
const LESSON_URL = `/${COURSE}/vi/lessons/${LESSON}.html`;

let browser: Browser;
let child: ChildProcess;
let origin: string;
let stderr = '';
let dir: string;
let lessonFile: string;

/** A GET with the path sent exactly as written (fetch would resolve `..` before sending). */
function rawGet(pathname: string): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    get({ host: url.hostname, port: url.port, path: pathname }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    }).on('error', reject);
  });
}

function editLesson(change: (text: string) => string): void {
  writeFileSync(lessonFile, change(readFileSync(lessonFile, 'utf8')));
}

beforeAll(async () => {
  browser = await launchChromium();
  dir = templateProject();
  lessonFile = path.join(dir, TEMPLATE_LESSON);
  child = spawn(process.execPath, [BIN, 'preview', '--port', '0'], { cwd: dir, env: { ...process.env, CI: '1', NO_COLOR: '1', HOCSO_CACHE_DIR: SHARED_MEDIA_CACHE }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL on stderr:\n${stderr}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`hocso preview exited (${code}):\n${stderr}`)));
    child.stderr!.on('data', () => {
      const match = /Preview: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await browser?.close();
});

describe('hocso preview', () => {
  it('serves the index, lesson pages and assets from memory with their content types, and nothing else', async () => {
    const index = await rawGet('/');
    expect(index.status).toBe(200);
    expect(index.type).toBe('text/html; charset=utf-8');
    expect(index.body).toContain(`href="${LESSON_URL}"`);
    expect(index.body).toContain(`href="/__hocso/scorm/${COURSE}/vi/${LESSON}"`);

    const lesson = await rawGet(LESSON_URL);
    expect(lesson.status).toBe(200);
    expect(lesson.type).toBe('text/html; charset=utf-8');
    expect(lesson.body).toContain(`<h1>${TITLE}</h1>`);
    expect(lesson.body).toContain('/__hocso/events'); // the reload script
    expect(lesson.body).not.toContain('id="hocso-preview-overlay"'); // a clean build: no overlay

    const css = await rawGet(`/${COURSE}/vi/assets/hocso.css`);
    expect(css.status).toBe(200);
    expect(css.type).toBe('text/css; charset=utf-8');
    const courseIndex = await rawGet(`/${COURSE}/vi/`);
    expect(courseIndex.status).toBe(200);
    expect(courseIndex.body).toContain(TITLE);

    for (const attempt of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', `/${COURSE}/vi/..%2f..%2f..%2fhocso.config.yaml`, `/${COURSE}/vi/lessons/..%2F..%2F..%2F..%2Fetc%2Fpasswd`, '/etc/passwd', '/hocso.config.yaml', '/__hocso/scorm-again/..%2fpackage.json']) {
      const got = await rawGet(attempt);
      expect(got.status, attempt).toBe(404);
      expect(got.body, attempt).not.toMatch(/root:|courses:/);
      expect(got.body, attempt).toContain('404');
    }
    expect((await rawGet(`/${COURSE}/vi/lessons/nope.html`)).status).toBe(404);
  });

  it('shows what a SCORM 2004 LMS receives while the lesson is played in the panel', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/__hocso/scorm/${COURSE}/vi/${LESSON}`);
    const frame = await scoFrame(page);
    await expect.poll(() => page.locator('#cmi-calls').textContent()).toContain('Initialize');
    await expect.poll(() => page.locator('#cmi-completion').textContent()).toBe('incomplete');
    expect(await page.locator('#cmi-success').textContent()).toBe('unknown');
    expect(await page.locator('#cmi-count').textContent()).toBe('0');

    // The template lesson's one quiz, answered right as a learner does, then the end of the page reached.
    const quizzes: { id: string; choices: { id: string; correct: boolean }[] }[] = await frame.evaluate(() => JSON.parse(document.getElementById('hocso-data')!.textContent!).quizzes);
    expect(quizzes).toHaveLength(1);
    const quiz = quizzes[0]!;
    for (const choice of quiz.choices.filter((c) => c.correct)) await frame.check(`#quiz-${quiz.id}-${choice.id}`);
    await frame.click(`#quiz-${quiz.id} .quiz-check`);
    await frame.waitForSelector(`#quiz-${quiz.id} .quiz-feedback.is-correct`);
    await expect.poll(() => page.locator('#cmi-success').textContent()).toBe('passed');
    await expect.poll(() => page.locator('#cmi-count').textContent()).toBe('1');
    const row = await page.locator('#cmi-interactions tr').first().locator('td').allTextContents();
    expect(row).toEqual([quiz.id, 'choice', quiz.choices.filter((c) => c.correct).map((c) => c.id).join('[,]'), 'correct']);
    expect(await page.locator('#cmi-score').textContent()).toBe('1');
    await frame.locator('.lesson-end').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('#cmi-completion').textContent()).toBe('completed');
    expect(await page.locator('#cmi-calls').textContent()).toContain('Commit');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reloads an open page when the lesson is saved, showing the new title', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}${LESSON_URL}`);
    expect(await page.locator('h1').textContent()).toBe(TITLE);
    // Marks this document: a reload replaces it, so the mark is gone after one.
    await page.evaluate(() => ((window as unknown as { marked: boolean }).marked = true));
    await page.waitForTimeout(300); // the page's event stream is open
    editLesson((text) => text.replace(`title: ${TITLE}`, 'title: Bài học đã sửa'));
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('Bài học đã sửa');
    expect(await page.evaluate(() => (window as unknown as { marked?: boolean }).marked)).toBeUndefined();
    await page.close();
  });

  it('keeps the last good pages after a save with an error, shows the error over them and in the terminal, and clears it when fixed', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}${LESSON_URL}`);
    await page.waitForTimeout(300);
    const printed = stderr.length;
    editLesson((text) => text.replace('tt02:1.1@1', 'tt02:9.9@1'));
    const overlay = page.locator('#hocso-preview-overlay');
    await expect.poll(() => overlay.count(), { timeout: 20_000 }).toBe(1);
    const shown = (await overlay.textContent())!;
    expect(shown).toContain('competency/unknown-code');
    expect(shown).toContain(`content/courses/${COURSE}/lessons/${LESSON}.md:5`);
    expect(shown).toContain('`tt02:9.9@1`');
    expect(shown).toContain('hint: Use a competence code');
    expect(await page.locator('h1').textContent()).toBe('Bài học đã sửa'); // the last good page, under the overlay
    expect(stderr.slice(printed)).toMatch(/bai-dau-tien\.md:5:\d+\s+error\s+.*competency\/unknown-code/);
    // Every page shows it: the index too.
    expect((await rawGet('/')).body).toContain('competency/unknown-code');

    editLesson((text) => text.replace('tt02:9.9@1', 'tt02:1.1@1'));
    await expect.poll(() => overlay.count(), { timeout: 20_000 }).toBe(0);
    expect(await page.locator('h1').textContent()).toBe('Bài học đã sửa');
    await page.close();
  });

  it('escapes what the overlay shows', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}${LESSON_URL}`);
    await page.waitForTimeout(300);
    editLesson((text) => text.replace('tt02:1.1@1', 'tt02:<b>x</b>'));
    const overlay = page.locator('#hocso-preview-overlay');
    await expect.poll(() => overlay.count(), { timeout: 20_000 }).toBe(1);
    expect(await overlay.locator('b').count()).toBe(0);
    expect(await overlay.textContent()).toContain('<b>x</b>');
    editLesson((text) => text.replace('tt02:<b>x</b>', 'tt02:1.1@1'));
    await expect.poll(() => overlay.count(), { timeout: 20_000 }).toBe(0);
    await page.close();
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Preview stopped.');
  });
});

async function scoFrame(page: Page): Promise<Frame> {
  const pattern = new RegExp(`/__hocso/sco/${COURSE}/vi/lessons/${LESSON}\\.html$`);
  await expect.poll(() => page.frames().some((f) => pattern.test(f.url()))).toBe(true);
  const frame = page.frames().find((f) => pattern.test(f.url()))!;
  await frame.waitForLoadState('load');
  return frame;
}
