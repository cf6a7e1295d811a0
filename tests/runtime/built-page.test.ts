// @vitest-environment node
// The real built page (templates, markup and data from the compiler) with the real engine, as a learner uses it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { hocso, sampleProject } from '../helpers/project.js';

let bundle: string;

beforeAll(() => {
  const project = sampleProject();
  expect(hocso(['build'], project).code).toBe(0);
  bundle = path.join(project, 'out/web/ky-nang-so-thiet-yeu/vi');
});

async function openPage(relative: string): Promise<JSDOM> {
  const dom = await JSDOM.fromFile(path.join(bundle, relative), { runScripts: 'dangerously', resources: 'usable' });
  await new Promise<void>((resolve) => dom.window.addEventListener('load', () => resolve()));
  return dom;
}

describe('a built lesson page in a browser DOM', () => {
  it('loads the engine from the bundle and grades every quiz from the compiled data', async () => {
    const dom = await openPage('lessons/cai-dat-vneid.html');
    const { document } = dom.window;
    const data = JSON.parse(document.getElementById('hocso-data')!.textContent!) as { quizzes: { id: string; type: string; choices: { id: string; correct: boolean; text?: string }[] }[] };
    expect((dom.window as unknown as { hocso?: unknown }).hocso).toBeDefined();

    for (const quiz of data.quizzes) {
      const section = document.getElementById(`quiz-${quiz.id}`)!;
      const form = section.querySelector('form')!;
      if (quiz.type === 'fill') {
        const input = section.querySelector<HTMLInputElement>('input[type=text]')!;
        input.value = `  ${quiz.choices.find((c) => c.correct)!.text!.toUpperCase()} `;
      } else {
        for (const choice of quiz.choices.filter((c) => c.correct)) {
          section.querySelector<HTMLInputElement>(`input[value="${choice.id}"]`)!.checked = true;
        }
      }
      form.dispatchEvent(new dom.window.Event('submit', { bubbles: true, cancelable: true }));
      expect(section.querySelector('.quiz-feedback')!.classList.contains('is-correct')).toBe(true);
      expect(section.querySelector('.quiz-feedback')!.textContent).toContain('Đúng rồi!');
    }
    const result = document.querySelector<HTMLElement>('.lesson-result')!;
    expect(result.hidden).toBe(false);
    expect(result.textContent).toContain(`${data.quizzes.length}/${data.quizzes.length}`);
    expect(result.textContent).toContain('Bạn đã đạt bài này.');
  });

  it('shows the author\'s feedback for a wrong choice', async () => {
    const dom = await openPage('lessons/lua-dao-truc-tuyen.html');
    const { document } = dom.window;
    const section = document.querySelector<HTMLElement>('.quiz[data-type="single"]')!;
    const wrong = [...section.querySelectorAll<HTMLInputElement>('input[type=radio]')].find((input) => {
      const data = JSON.parse(document.getElementById('hocso-data')!.textContent!) as { quizzes: { id: string; choices: { id: string; correct: boolean }[] }[] };
      return !data.quizzes.find((q) => q.id === section.dataset.quiz)!.choices.find((c) => c.id === input.value)!.correct;
    })!;
    wrong.checked = true;
    section.querySelector('form')!.dispatchEvent(new dom.window.Event('submit', { bubbles: true, cancelable: true }));
    const feedback = document.getElementById(`${wrong.id}-feedback`)!;
    expect(feedback.hidden).toBe(false);
    expect(feedback.textContent!.trim().length).toBeGreaterThan(10);
    expect(wrong.closest('.choice')!.classList.contains('is-incorrect')).toBe(true);
  });

  it('runs on the course index too: one status per lesson, none completed on a first visit', async () => {
    const dom = await openPage('index.html');
    const statuses = [...dom.window.document.querySelectorAll('.lesson-status')];
    expect(statuses.map((s) => (s as HTMLElement).dataset.lesson)).toEqual(JSON.parse(readFileSync(path.join(bundle, 'index.html'), 'utf8').match(/"lessons":(\[[^\]]*\])/)![1]!));
    expect(statuses.some((s) => s.classList.contains('is-completed'))).toBe(false);
  });
});
