// @vitest-environment jsdom
// Loads the real templates/web/assets/hocso.js into jsdom pages built to the compiler's markup contract,
// then clicks, types and submits like a learner would.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM, VirtualConsole } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';

const ENGINE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../templates/web/assets/hocso.js'), 'utf8');
const LESSON_URL = 'file:///course/vi/lessons/x.html';
const INDEX_URL = 'file:///course/vi/index.html';
const COURSE = 'ky-nang-so';

const STRINGS = {
  correct: 'Đúng rồi!',
  incorrect: 'Chưa đúng.',
  chooseOne: 'Hãy chọn một câu trả lời.',
  typeAnswer: 'Hãy nhập câu trả lời.',
  correctAnswerIs: 'Đáp án đúng: {answer}',
  score: 'Bạn trả lời đúng {correct}/{total} câu ({percent}%).',
  passed: 'Bạn đã đạt bài này.',
  failed: 'Bạn chưa đạt. Hãy đọc lại bài và làm lại các câu sai.',
  completed: 'Đã học xong',
  inProgress: 'Đang học',
};

interface ChoiceSpec {
  id: string;
  html: string;
  correct: boolean;
  feedbackHtml?: string;
  text?: string;
}
interface QuizSpec {
  id: string;
  type: 'single' | 'multiple' | 'truefalse' | 'fill';
  question: string;
  choices: ChoiceSpec[];
  answers?: string[];
}

const OTP: QuizSpec = {
  id: 'otp',
  type: 'single',
  question: 'Có người gọi điện xin mã <strong>OTP</strong>. Bạn làm gì?',
  choices: [
    { id: 'a', html: 'Đọc mã OTP cho họ.', correct: false, feedbackHtml: '<p>Sai. Ngân hàng <em>không bao giờ</em> hỏi mã OTP.</p>' },
    { id: 'b', html: 'Từ chối và dập máy.', correct: true, feedbackHtml: '<p>Đúng. Luôn <strong>tự gọi lại</strong> số chính thức.</p>' },
    { id: 'c', html: 'Hỏi tên người gọi.', correct: false },
  ],
};
const SAFE: QuizSpec = {
  id: 'mat-khau',
  type: 'multiple',
  question: 'Mật khẩu nào an toàn?',
  choices: [
    { id: 'a', html: '123456', correct: false, feedbackHtml: '<p>Quá dễ đoán.</p>' },
    { id: 'b', html: 'Hoa-Sen-Nở-2024!', correct: true, feedbackHtml: '<p>Dài và khó đoán.</p>' },
    { id: 'c', html: 'Ngày sinh của bạn', correct: false },
    { id: 'd', html: 'Ba từ ngẫu nhiên ghép lại', correct: true },
  ],
};
const TF: QuizSpec = {
  id: 'wifi',
  type: 'truefalse',
  question: 'Wi-Fi công cộng luôn an toàn để chuyển tiền.',
  choices: [
    { id: 'true', html: 'Đúng', correct: false, feedbackHtml: '<p>Không, kẻ gian có thể nghe lén.</p>' },
    { id: 'false', html: 'Sai', correct: true },
  ],
};
const FILL: QuizSpec = {
  id: 'so-chu',
  type: 'fill',
  question: 'Mã OTP thường có ___ chữ số.',
  choices: [
    { id: 'a', html: '6', text: '6', correct: true, feedbackHtml: '<p>Chính xác, <strong>sáu</strong> chữ số.</p>' },
    { id: 'b', html: 'sáu', text: 'sáu', correct: true },
    { id: 'c', html: 'hai mươi', text: 'hai mươi', correct: false, feedbackHtml: '<p>Quá dài: mã OTP ngắn hơn nhiều.</p>' },
  ],
  answers: ['6', 'sáu'],
};

function quizHtml(q: QuizSpec, n: number): string {
  const p = `quiz-${q.id}`;
  const inputs =
    q.type === 'fill'
      ? `<div class="fill"><label for="${p}-answer">Câu trả lời của bạn</label><input type="text" id="${p}-answer" name="${p}" autocomplete="off" autocapitalize="off" spellcheck="false"></div>`
      : q.choices
          .map(
            (c) =>
              `<div class="choice"><input type="${q.type === 'multiple' ? 'checkbox' : 'radio'}" id="${p}-${c.id}" name="${p}" value="${c.id}"><label for="${p}-${c.id}">${c.html}</label><div class="choice-feedback" id="${p}-${c.id}-feedback" hidden></div></div>`,
          )
          .join('');
  return `<section class="quiz" id="${p}" data-quiz="${q.id}" data-type="${q.type}" aria-labelledby="${p}-title">
  <h2 class="quiz-title" id="${p}-title">Câu hỏi ${n}</h2>
  <form class="quiz-form" novalidate>
    <fieldset>
      <legend class="quiz-question">${q.question}</legend>
      ${inputs}
    </fieldset>
    <div class="quiz-actions"><button type="submit" class="quiz-check">Kiểm tra</button> <button type="button" class="quiz-retry" hidden>Làm lại</button></div>
    <div class="quiz-feedback" role="status" aria-live="polite"></div>
  </form>
</section>`;
}

function quizData(q: QuizSpec) {
  return {
    id: q.id,
    type: q.type,
    choices: q.choices.map(({ id, correct, feedbackHtml, text }) => ({ id, correct, ...(feedbackHtml ? { feedbackHtml } : {}), ...(q.type === 'fill' ? { text } : {}) })),
    ...(q.answers ? { answers: q.answers } : {}),
  };
}

interface PageOptions {
  quizzes?: QuizSpec[];
  /** Quizzes in the markup but left out of #hocso-data. */
  undocumented?: QuizSpec[];
  lesson?: string;
  masteryScore?: number;
  noData?: boolean;
  /** HTML put before the engine (e.g. a fake IntersectionObserver). */
  before?: string;
  /** A script run right after the engine, before the page has loaded (as an LMS adapter runs). */
  after?: string;
}

function lessonHtml(o: PageOptions = {}): string {
  const quizzes = o.quizzes ?? [];
  const lesson = o.lesson ?? 'x';
  const data = { course: COURSE, lesson, masteryScore: o.masteryScore ?? 0.8, strings: STRINGS, quizzes: quizzes.map(quizData) };
  const all = [...quizzes, ...(o.undocumented ?? [])];
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Bài học</title></head>
<body class="hocso" data-course="${COURSE}" data-lesson="${lesson}">
<a class="skip-link" href="#main">Bỏ qua, đến nội dung chính</a>
<header class="site-header"><a href="../index.html">Kỹ năng số</a><nav aria-label="Vị trí"><ol><li><a href="../index.html">Khóa học</a></li></ol></nav></header>
<main id="main" tabindex="-1">
<article class="lesson">
<h1>Nhận biết lừa đảo OTP</h1>
<section class="objectives"><h2>Mục tiêu</h2><ul><li>Nhận ra cuộc gọi xin mã OTP là lừa đảo</li></ul></section>
<p>Mã OTP là mật khẩu dùng <strong>một lần</strong>.</p>
<aside class="callout callout-warning" role="note" aria-label="Cảnh báo"><p class="callout-title">Cảnh giác</p><p>Không ai có quyền hỏi mã OTP của bạn.</p></aside>
<ol class="steps"><li class="step"><p>Dập máy ngay.</p></li><li class="step"><p>Gọi lại tổng đài.</p></li></ol>
${all.map((q, i) => quizHtml(q, i + 1)).join('\n')}
<section class="lesson-result" hidden aria-live="polite"></section>
<div class="lesson-end"></div>
<nav class="pager"><a class="pager-prev" href="a.html">Bài trước</a> <a class="pager-next" href="c.html">Bài sau</a></nav>
</article>
</main>
<footer class="site-footer"><p>Bình dân học vụ số</p></footer>
${o.noData ? '' : `<script type="application/json" id="hocso-data">${JSON.stringify(data)}</script>`}
${o.before ?? ''}<script>${ENGINE}</script>
<script>
  window.__events = [];
  window.__saved = [];
  ['answer', 'score', 'complete'].forEach(function (name) {
    window.hocso.on(name, function (e) {
      window.__events.push({ name: name, detail: e.detail });
      // What an adapter would read from storage at that moment.
      try { window.__saved.push(localStorage.getItem('hocso:v1:' + window.hocso.data.course + ':' + window.hocso.data.lesson)); } catch (err) {}
    });
  });
</script>
${o.after ? `<script>${o.after}</script>` : ''}
</body></html>`;
}

function indexHtml(lessons: string[]): string {
  const data = { course: COURSE, lesson: null, masteryScore: 0.8, strings: STRINGS, quizzes: [], lessons };
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Khóa học</title></head>
<body class="hocso hocso-index" data-course="${COURSE}">
<main id="main" tabindex="-1"><h1>Kỹ năng số</h1><ol>
${lessons.map((id) => `<li><a class="lesson-link" data-lesson="${id}" href="lessons/${id}.html">${id}</a> <span class="lesson-status" data-lesson="${id}"></span></li>`).join('\n')}
</ol></main>
<script type="application/json" id="hocso-data">${JSON.stringify(data)}</script>
<script>${ENGINE}</script>
</body></html>`;
}

type Entries = Record<string, string>;
interface LoadOptions {
  url?: string;
  /** localStorage entries present before the page loads. */
  storage?: Entries;
  /**
   * 'fake' (default): a working localStorage as Chrome gives file:// pages (jsdom has none for file:// URLs);
   * 'jsdom': jsdom's own localStorage (SecurityError for file:// URLs, a real Storage for http:// ones);
   * 'throw': every localStorage access throws; 'quota': reads work, writes throw.
   */
  storageMode?: 'fake' | 'jsdom' | 'throw' | 'quota';
}

/** A minimal Storage over a Map. */
class FakeStorage {
  constructor(
    readonly map: Map<string, string>,
    private readonly writable = true,
  ) {}
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.has(k) ? this.map.get(k)! : null;
  }
  setItem(k: string, v: string) {
    if (!this.writable) throw new Error('QuotaExceededError');
    this.map.set(k, String(v));
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  clear() {
    this.map.clear();
  }
}

/** Script errors and console.warn calls of every page opened by the current test. */
let errors: unknown[] = [];
let warnings: string[] = [];
afterEach(() => {
  expect(errors).toEqual([]);
  errors = [];
  warnings = [];
});

function open(html: string, o: LoadOptions = {}) {
  let fake: FakeStorage | undefined;
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (e: unknown) => errors.push(e));
  virtualConsole.on('error', (e: unknown) => errors.push(e));
  virtualConsole.on('warn', (...args: unknown[]) => warnings.push(args.join(' ')));
  const dom = new JSDOM(html, {
    runScripts: 'dangerously',
    url: o.url ?? LESSON_URL,
    virtualConsole,
    beforeParse(window: any) {
      const mode = o.storageMode ?? 'fake';
      if (mode === 'jsdom') {
        for (const [k, v] of Object.entries(o.storage ?? {})) window.localStorage.setItem(k, v);
      } else if (mode === 'throw') {
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new window.DOMException('The operation is insecure.', 'SecurityError');
          },
        });
      } else {
        fake = new FakeStorage(new Map(Object.entries(o.storage ?? {})), mode !== 'quota');
        Object.defineProperty(window, 'localStorage', { value: fake, configurable: true });
      }
    },
  });
  const window = dom.window as any;
  const document = window.document as Document;
  const $ = <T extends Element = HTMLElement>(sel: string) => {
    const el = document.querySelector<T>(sel);
    if (!el) throw new Error(`no ${sel}`);
    return el;
  };
  const quiz = (id: string) => $(`#quiz-${id}`);
  return {
    window,
    document,
    $,
    /** Clicks the label of a choice, as a learner taps the row's text. */
    choose(quizId: string, choiceId: string) {
      $(`label[for="quiz-${quizId}-${choiceId}"]`).click();
    },
    type(quizId: string, text: string) {
      const input = $<HTMLInputElement>(`#quiz-${quizId}-answer`);
      input.value = text;
      input.dispatchEvent(new window.Event('input', { bubbles: true }));
    },
    check(quizId: string) {
      quiz(quizId).querySelector<HTMLElement>('.quiz-check')!.click();
    },
    retry(quizId: string) {
      quiz(quizId).querySelector<HTMLElement>('.quiz-retry')!.click();
    },
    feedback: (quizId: string) => quiz(quizId).querySelector('.quiz-feedback')!.textContent!.trim(),
    row: (quizId: string, choiceId: string) => $(`#quiz-${quizId}-${choiceId}`).parentElement!,
    input: (quizId: string, choiceId: string) => $<HTMLInputElement>(`#quiz-${quizId}-${choiceId}`),
    choiceFeedback: (quizId: string, choiceId: string) => $(`#quiz-${quizId}-${choiceId}-feedback`),
    retryButton: (quizId: string) => quiz(quizId).querySelector<HTMLElement>('.quiz-retry')!,
    result: () => $('.lesson-result'),
    /** Every localStorage entry, to carry over to the next page load. */
    storage(): Entries {
      if (fake) return Object.fromEntries(fake.map);
      const out: Entries = {};
      for (let i = 0; i < window.localStorage.length; i++) {
        const k = window.localStorage.key(i);
        out[k] = window.localStorage.getItem(k);
      }
      return out;
    },
    stored(lesson = 'x'): any {
      const raw = this.storage()[`hocso:v1:${COURSE}:${lesson}`];
      return raw === undefined ? null : JSON.parse(raw);
    },
    /** Events the page's adapter script heard, copied out of the page. */
    events(): { name: string; detail: any }[] {
      return JSON.parse(window.eval('JSON.stringify(window.__events)'));
    },
  };
}

/** Lets DOMContentLoaded and zero-delay timers of the page run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('single choice', () => {
  it('accepts the right choice and shows its feedback as HTML', () => {
    const p = open(lessonHtml({ quizzes: [OTP] }));
    p.choose('otp', 'b');
    expect(p.input('otp', 'b').checked).toBe(true);
    p.check('otp');
    expect(p.feedback('otp')).toBe('Đúng rồi!');
    expect(p.row('otp', 'b').classList.contains('is-correct')).toBe(true);
    expect(p.row('otp', 'b').classList.contains('is-answer')).toBe(true);
    const fb = p.choiceFeedback('otp', 'b');
    expect(fb.hidden).toBe(false);
    expect(fb.querySelector('strong')?.textContent).toBe('tự gọi lại');
    expect(p.input('otp', 'b').getAttribute('aria-invalid')).toBe('false');
    expect(p.input('otp', 'b').getAttribute('aria-describedby')).toBe('quiz-otp-b-feedback');
    // Choices not picked show nothing.
    expect(p.choiceFeedback('otp', 'a').hidden).toBe(true);
    expect(p.row('otp', 'a').className).toBe('choice');
    expect(p.retryButton('otp').hidden).toBe(false);
  });

  it('rejects a wrong choice, shows why, and points at the right one', () => {
    const p = open(lessonHtml({ quizzes: [OTP] }));
    const check = p.$('#quiz-otp .quiz-check');
    check.focus();
    p.choose('otp', 'a');
    check.focus();
    p.check('otp');
    expect(p.feedback('otp')).toBe('Chưa đúng.');
    expect(p.row('otp', 'a').classList.contains('is-incorrect')).toBe(true);
    expect(p.row('otp', 'a').classList.contains('is-answer')).toBe(false);
    expect(p.input('otp', 'a').getAttribute('aria-invalid')).toBe('true');
    expect(p.choiceFeedback('otp', 'a').hidden).toBe(false);
    expect(p.choiceFeedback('otp', 'a').textContent).toContain('không bao giờ');
    expect(p.row('otp', 'b').classList.contains('is-answer')).toBe(true);
    expect(p.row('otp', 'b').classList.contains('is-correct')).toBe(false);
    expect(p.choiceFeedback('otp', 'b').hidden).toBe(true);
    expect(p.$('#quiz-otp .quiz-feedback').classList.contains('is-incorrect')).toBe(true);
    // Checking moves no focus: the live region announces the result.
    expect(p.document.activeElement).toBe(check);
  });

  it('a wrong choice without feedback keeps its feedback box hidden', () => {
    const p = open(lessonHtml({ quizzes: [OTP] }));
    p.choose('otp', 'c');
    p.check('otp');
    expect(p.row('otp', 'c').classList.contains('is-incorrect')).toBe(true);
    expect(p.choiceFeedback('otp', 'c').hidden).toBe(true);
  });

  it('re-checking a changed answer replaces the previous marks', () => {
    const p = open(lessonHtml({ quizzes: [OTP] }));
    p.choose('otp', 'a');
    p.check('otp');
    p.choose('otp', 'b');
    p.check('otp');
    expect(p.feedback('otp')).toBe('Đúng rồi!');
    expect(p.row('otp', 'a').classList.contains('is-incorrect')).toBe(false);
    expect(p.choiceFeedback('otp', 'a').hidden).toBe(true);
    expect(p.input('otp', 'a').hasAttribute('aria-invalid')).toBe(false);
    expect(p.stored().answers.otp).toEqual(['b']);
  });
});

describe('multiple choice', () => {
  it('is right only for exactly the set of correct choices', () => {
    const p = open(lessonHtml({ quizzes: [SAFE] }));
    p.choose('mat-khau', 'b');
    p.check('mat-khau');
    expect(p.feedback('mat-khau')).toBe('Chưa đúng.');
    // Both correct choices are revealed, the one picked is marked right.
    expect(p.row('mat-khau', 'b').classList.contains('is-correct')).toBe(true);
    expect(p.row('mat-khau', 'd').classList.contains('is-answer')).toBe(true);
    expect(p.row('mat-khau', 'd').classList.contains('is-correct')).toBe(false);

    p.choose('mat-khau', 'd');
    p.choose('mat-khau', 'a');
    p.check('mat-khau');
    expect(p.feedback('mat-khau')).toBe('Chưa đúng.');
    expect(p.row('mat-khau', 'a').classList.contains('is-incorrect')).toBe(true);
    expect(p.choiceFeedback('mat-khau', 'a').textContent).toBe('Quá dễ đoán.');
    expect(p.choiceFeedback('mat-khau', 'b').textContent).toBe('Dài và khó đoán.');

    p.choose('mat-khau', 'a'); // untick
    p.check('mat-khau');
    expect(p.feedback('mat-khau')).toBe('Đúng rồi!');
    expect(p.stored().answers['mat-khau']).toEqual(['b', 'd']);
    expect(p.stored().results['mat-khau']).toBe(true);
  });
});

describe('true / false', () => {
  it('grades the true and false choices', () => {
    const p = open(lessonHtml({ quizzes: [TF] }));
    p.choose('wifi', 'true');
    p.check('wifi');
    expect(p.feedback('wifi')).toBe('Chưa đúng.');
    expect(p.choiceFeedback('wifi', 'true').textContent).toContain('nghe lén');
    p.choose('wifi', 'false');
    p.check('wifi');
    expect(p.feedback('wifi')).toBe('Đúng rồi!');
    expect(p.row('wifi', 'false').classList.contains('is-correct')).toBe(true);
  });
});

describe('fill in the blank', () => {
  const blank = () => open(lessonHtml({ quizzes: [FILL] }));
  const field = (p: ReturnType<typeof open>) => p.$<HTMLInputElement>('#quiz-so-chu-answer');

  it('ignores case, outer and inner spaces: " SÁU " is "sáu"', () => {
    const p = blank();
    p.type('so-chu', '  SÁU ');
    p.check('so-chu');
    expect(p.feedback('so-chu')).toBe('Đúng rồi!');
    expect(field(p).getAttribute('aria-invalid')).toBe('false');
    expect(field(p).parentElement!.classList.contains('is-correct')).toBe(true);
    expect(p.stored().answers['so-chu']).toEqual(['  SÁU ']);
  });

  it('accepts decomposed (NFD) Vietnamese input', () => {
    const p = blank();
    const nfd = 'sáu'.normalize('NFD');
    expect(nfd).not.toBe('sáu');
    p.type('so-chu', nfd);
    p.check('so-chu');
    expect(p.feedback('so-chu')).toBe('Đúng rồi!');
  });

  it('collapses inner whitespace and shows the matched answer\'s feedback', () => {
    const p = blank();
    p.type('so-chu', ' 6 ');
    p.check('so-chu');
    expect(p.feedback('so-chu')).toContain('Đúng rồi!');
    expect(p.$('#quiz-so-chu .quiz-feedback strong').textContent).toBe('sáu');
    p.type('so-chu', 'Hai \t  MƯƠI');
    p.check('so-chu');
    // A known wrong answer: its own feedback, and the right answer.
    expect(p.feedback('so-chu')).toContain('Chưa đúng.');
    expect(p.feedback('so-chu')).toContain('Quá dài');
    expect(p.feedback('so-chu')).toContain('Đáp án đúng: 6');
  });

  it('says what the right answer is when wrong', () => {
    const p = blank();
    p.type('so-chu', 'năm');
    p.check('so-chu');
    expect(p.feedback('so-chu')).toBe('Chưa đúng.Đáp án đúng: 6');
    expect(field(p).getAttribute('aria-invalid')).toBe('true');
    expect(field(p).parentElement!.classList.contains('is-incorrect')).toBe(true);
  });

  it('shows the accepted answer as text, never as HTML', () => {
    const evil: QuizSpec = { ...FILL, id: 'evil', choices: [], answers: ['<img src=x onerror=alert(1)>'] };
    const p = open(lessonHtml({ quizzes: [evil] }));
    p.type('evil', 'no');
    p.check('evil');
    expect(p.$('#quiz-evil .quiz-feedback').querySelector('img')).toBeNull();
    expect(p.feedback('evil')).toContain('<img src=x');
  });
});

describe('an empty answer', () => {
  it('asks for a choice and is not an attempt', () => {
    const p = open(lessonHtml({ quizzes: [OTP] }));
    p.check('otp');
    expect(p.feedback('otp')).toBe('Hãy chọn một câu trả lời.');
    expect(p.retryButton('otp').hidden).toBe(true);
    expect(p.document.querySelectorAll('.is-answer, .is-correct, .is-incorrect')).toHaveLength(0);
    expect(p.stored().answers).toEqual({});
    expect(p.stored().results).toEqual({});
    expect(p.events()).toEqual([]);
  });

  it('asks to type when the blank has only spaces', () => {
    const p = open(lessonHtml({ quizzes: [FILL] }));
    p.type('so-chu', '   ');
    p.check('so-chu');
    expect(p.feedback('so-chu')).toBe('Hãy nhập câu trả lời.');
    expect(p.stored().results).toEqual({});
    expect(p.events()).toEqual([]);
  });
});

describe('retry', () => {
  it('clears the answer, the marks and the saved answer, keeping focus in the quiz', () => {
    const p = open(lessonHtml({ quizzes: [OTP, SAFE] }));
    p.choose('otp', 'a');
    p.check('otp');
    p.retryButton('otp').focus();
    p.retry('otp');
    expect(p.input('otp', 'a').checked).toBe(false);
    expect(p.document.querySelectorAll('#quiz-otp .is-answer, #quiz-otp .is-incorrect')).toHaveLength(0);
    expect(p.choiceFeedback('otp', 'a').hidden).toBe(true);
    expect(p.feedback('otp')).toBe('');
    expect(p.retryButton('otp').hidden).toBe(true);
    expect(p.stored().answers).toEqual({});
    expect(p.document.activeElement).toBe(p.input('otp', 'a'));
  });
});

describe('lesson score', () => {
  it('appears once every quiz is answered, failed below the mastery score', () => {
    const p = open(lessonHtml({ quizzes: [OTP, FILL] }));
    p.choose('otp', 'b');
    p.check('otp');
    expect(p.result().hidden).toBe(true);
    p.type('so-chu', 'bảy');
    p.check('so-chu');
    expect(p.result().hidden).toBe(false);
    expect(p.result().textContent).toContain('Bạn trả lời đúng 1/2 câu (50%).');
    expect(p.result().textContent).toContain('Bạn chưa đạt.');
    expect(p.result().classList.contains('is-failed')).toBe(true);
    expect(p.stored()).toMatchObject({ score: 0.5, completed: true });
  });

  it('passes at or above the mastery score', () => {
    const p = open(lessonHtml({ quizzes: [OTP, TF, FILL], masteryScore: 0.6 }));
    p.choose('otp', 'b');
    p.check('otp');
    p.choose('wifi', 'true');
    p.check('wifi');
    p.type('so-chu', '6');
    p.check('so-chu');
    expect(p.result().textContent).toContain('Bạn trả lời đúng 2/3 câu (67%).');
    expect(p.result().textContent).toContain('Bạn đã đạt bài này.');
    expect(p.result().classList.contains('is-passed')).toBe(true);
    // Fixing the wrong answer raises the score.
    p.retry('wifi');
    expect(p.result().hidden).toBe(true);
    p.choose('wifi', 'false');
    p.check('wifi');
    expect(p.result().textContent).toContain('3/3 câu (100%)');
    expect(p.stored().score).toBe(1);
  });
});

describe('progress in localStorage', () => {
  it('saves the documented shape and restores answers and feedback on reload', () => {
    const first = open(lessonHtml({ quizzes: [OTP, SAFE, FILL] }));
    expect(first.stored()).toEqual({ answers: {}, results: {}, completed: false, score: null, visited: true });
    first.choose('otp', 'a');
    first.check('otp');
    first.choose('mat-khau', 'b');
    first.choose('mat-khau', 'd');
    first.check('mat-khau');
    first.type('so-chu', 'Sáu');
    first.check('so-chu');
    expect(first.stored()).toEqual({
      answers: { otp: ['a'], 'mat-khau': ['b', 'd'], 'so-chu': ['Sáu'] },
      results: { otp: false, 'mat-khau': true, 'so-chu': true },
      completed: true,
      score: 2 / 3,
      visited: true,
    });

    const again = open(lessonHtml({ quizzes: [OTP, SAFE, FILL] }), { storage: first.storage() });
    expect(again.input('otp', 'a').checked).toBe(true);
    expect(again.row('otp', 'a').classList.contains('is-incorrect')).toBe(true);
    expect(again.choiceFeedback('otp', 'a').hidden).toBe(false);
    expect(again.feedback('otp')).toBe('Chưa đúng.');
    expect(again.retryButton('otp').hidden).toBe(false);
    expect(again.input('mat-khau', 'b').checked && again.input('mat-khau', 'd').checked).toBe(true);
    expect(again.input('mat-khau', 'a').checked).toBe(false);
    expect(again.$<HTMLInputElement>('#quiz-so-chu-answer').value).toBe('Sáu');
    expect(again.feedback('so-chu')).toContain('Đúng rồi!');
    expect(again.result().hidden).toBe(false);
    expect(again.result().textContent).toContain('2/3');
    // Restoring is not a new attempt.
    expect(again.events()).toEqual([]);
  });

  it('keeps lessons apart by course and lesson id', () => {
    const p = open(lessonHtml({ quizzes: [OTP], lesson: 'lua-dao' }));
    p.choose('otp', 'b');
    p.check('otp');
    expect(Object.keys(p.storage())).toEqual([`hocso:v1:${COURSE}:lua-dao`]);
  });

  it('ignores stored answers that no longer match a choice', () => {
    const storage = { [`hocso:v1:${COURSE}:x`]: JSON.stringify({ answers: { otp: ['z'] }, results: { otp: true }, completed: false, score: null, visited: true }) };
    const p = open(lessonHtml({ quizzes: [OTP] }), { storage });
    expect(p.document.querySelectorAll('#quiz-otp input:checked')).toHaveLength(0);
    expect(p.feedback('otp')).toBe('');
    expect(p.stored().results).toEqual({});
  });

  it('survives corrupt stored JSON', () => {
    const p = open(lessonHtml({ quizzes: [OTP] }), { storage: { [`hocso:v1:${COURSE}:x`]: '{not json' } });
    p.choose('otp', 'b');
    p.check('otp');
    expect(p.stored().results).toEqual({ otp: true });
  });

  it('falls back to memory when localStorage throws on access', async () => {
    const p = open(lessonHtml({ quizzes: [OTP, TF] }), { storageMode: 'throw' });
    p.choose('otp', 'b');
    p.check('otp');
    expect(p.feedback('otp')).toBe('Đúng rồi!');
    p.choose('wifi', 'false');
    p.check('wifi');
    expect(p.result().textContent).toContain('2/2');
    expect(p.window.hocso.state).toMatchObject({ answers: { otp: ['b'], wifi: ['false'] }, completed: true, score: 1 });
    expect(p.events().map((e) => e.name)).toEqual(['answer', 'answer', 'score', 'complete']);
    await settle();
    expect(warnings).toEqual([]);
  });

  it("works where the browser refuses localStorage to file:// pages (jsdom's own behaviour)", () => {
    const p = open(lessonHtml({ quizzes: [OTP] }), { storageMode: 'jsdom' });
    expect(() => p.window.localStorage).toThrow(/opaque/);
    p.choose('otp', 'b');
    p.check('otp');
    expect(p.feedback('otp')).toBe('Đúng rồi!');
    expect(p.result().textContent).toContain('1/1');
    expect(p.window.hocso.state.results).toEqual({ otp: true });
  });

  it("persists through a real Storage implementation (jsdom's, on http://)", () => {
    const url = 'http://localhost/course/vi/lessons/x.html';
    const first = open(lessonHtml({ quizzes: [TF] }), { url, storageMode: 'jsdom' });
    first.choose('wifi', 'true');
    first.check('wifi');
    const saved = first.storage();
    expect(JSON.parse(saved[`hocso:v1:${COURSE}:x`]!).answers).toEqual({ wifi: ['true'] });
    const again = open(lessonHtml({ quizzes: [TF] }), { url, storageMode: 'jsdom', storage: saved });
    expect(again.input('wifi', 'true').checked).toBe(true);
    expect(again.feedback('wifi')).toBe('Chưa đúng.');
  });

  it('falls back to memory when writes fail (quota, private mode)', () => {
    const p = open(lessonHtml({ quizzes: [OTP] }), { storageMode: 'quota' });
    p.choose('otp', 'a');
    p.check('otp');
    expect(p.feedback('otp')).toBe('Chưa đúng.');
    expect(p.storage()).toEqual({});
    expect(p.window.hocso.state.results).toEqual({ otp: false });
  });
});

describe('events for SCORM / xAPI adapters', () => {
  it('fires hocso:answer, hocso:score and hocso:complete with their details', () => {
    const p = open(lessonHtml({ quizzes: [OTP, FILL] }));
    p.choose('otp', 'a');
    p.check('otp');
    expect(p.events()).toEqual([
      { name: 'answer', detail: { quiz: 'otp', type: 'single', response: ['a'], correct: false, choices: quizData(OTP).choices } },
    ]);
    p.type('so-chu', ' sáu');
    p.check('so-chu');
    const events = p.events();
    expect(events.map((e) => e.name)).toEqual(['answer', 'answer', 'score', 'complete']);
    expect(events[1]!.detail).toMatchObject({ quiz: 'so-chu', type: 'fill', response: [' sáu'], correct: true });
    expect(events[2]!.detail).toEqual({ correct: 1, total: 2, scaled: 0.5, passed: false });
    expect(events[3]!.detail).toEqual({ course: COURSE, lesson: 'x' });
    // The state is saved before each event, so adapters read the new state.
    expect(p.window.hocso.state.completed).toBe(true);
    const saved = JSON.parse(p.window.eval('JSON.stringify(window.__saved)')).map((raw: string) => JSON.parse(raw));
    expect(saved.map((st: any) => [Object.keys(st.answers).length, st.completed])).toEqual([
      [1, false],
      [2, false],
      [2, false],
      [2, true],
    ]);
    expect(saved[2].score).toBe(0.5);

    // A new attempt scores again but the lesson completes only once.
    p.retry('otp');
    p.choose('otp', 'b');
    p.check('otp');
    expect(p.events().slice(4).map((e) => [e.name, e.detail.scaled ?? e.detail.correct])).toEqual([
      ['answer', true],
      ['score', 1],
    ]);
  });

  it('does not complete a restored fresh attempt because of what localStorage held before', async () => {
    const before = { answers: { otp: ['b'], 'mat-khau': ['b', 'd'] }, results: {}, completed: false, score: null, visited: true };
    const p = open(lessonHtml({ quizzes: [OTP, SAFE], after: 'window.hocso.restore({});' }), { storage: { [`hocso:v1:${COURSE}:x`]: JSON.stringify(before) } });
    await settle();
    expect(p.window.hocso.state).toMatchObject({ answers: {}, completed: false });
    expect(p.stored()).toMatchObject({ answers: {}, completed: false });
    expect(p.events()).toEqual([]);
  });

  it('exposes data, state, on and restore on window.hocso', () => {
    const p = open(lessonHtml({ quizzes: [OTP, SAFE] }));
    const api = p.window.hocso;
    expect(api.data.lesson).toBe('x');
    expect(api.data.quizzes.map((q: { id: string }) => q.id)).toEqual(['otp', 'mat-khau']);
    api.restore({ answers: { otp: ['b'], 'mat-khau': ['a'] }, results: {}, completed: true, score: 0.5 });
    expect(p.input('otp', 'b').checked).toBe(true);
    expect(p.row('mat-khau', 'a').classList.contains('is-incorrect')).toBe(true);
    expect(p.result().textContent).toContain('1/2');
    expect(api.state).toMatchObject({ results: { otp: true, 'mat-khau': false }, completed: true, visited: true });
    expect(p.stored().answers).toEqual({ otp: ['b'], 'mat-khau': ['a'] });
    expect(p.events()).toEqual([]);
  });
});

describe('a lesson without quizzes', () => {
  it('is completed on load when IntersectionObserver is missing', async () => {
    const p = open(lessonHtml());
    expect(p.window.IntersectionObserver).toBeUndefined();
    await settle();
    expect(p.stored()).toMatchObject({ completed: true, visited: true, score: null });
    expect(p.events()).toEqual([{ name: 'complete', detail: { course: COURSE, lesson: 'x' } }]);
  });

  it('is completed when the end of the lesson scrolls into view', async () => {
    const fakeObserver = `<script>
      window.__observers = [];
      window.IntersectionObserver = function (callback) {
        var self = { targets: [], disconnected: false, callback: callback,
          observe: function (el) { self.targets.push(el); }, disconnect: function () { self.disconnected = true; } };
        window.__observers.push(self);
        return self;
      };
    </script>`;
    const p = open(lessonHtml({ before: fakeObserver }));
    await settle();
    const [observer] = p.window.__observers;
    expect(observer.targets).toEqual([p.$('.lesson-end')]);
    expect(p.stored().completed).toBe(false);
    observer.callback([{ isIntersecting: false, target: p.$('.lesson-end') }]);
    expect(p.stored().completed).toBe(false);
    observer.callback([{ isIntersecting: true, target: p.$('.lesson-end') }]);
    expect(p.stored().completed).toBe(true);
    expect(observer.disconnected).toBe(true);
    expect(p.events().map((e) => e.name)).toEqual(['complete']);
  });

  it('does not complete again once completed', async () => {
    const storage = { [`hocso:v1:${COURSE}:x`]: JSON.stringify({ answers: {}, results: {}, completed: true, score: null, visited: true }) };
    const p = open(lessonHtml(), { storage });
    await settle();
    expect(p.events()).toEqual([]);
  });
});

describe('missing markup or data', () => {
  it('warns about a quiz missing from the data and keeps the others working', () => {
    const p = open(lessonHtml({ quizzes: [OTP], undocumented: [TF] }));
    expect(warnings.some((w) => w.includes('wifi'))).toBe(true);
    p.choose('wifi', 'false');
    p.check('wifi'); // must not navigate away (jsdom reports form submission as an error)
    expect(p.feedback('wifi')).toBe('');
    p.choose('otp', 'b');
    p.check('otp');
    // Only the quizzes it can grade count towards the score.
    expect(p.result().textContent).toContain('1/1');
  });

  it('survives a page without #hocso-data', () => {
    const p = open(lessonHtml({ quizzes: [OTP], noData: true }));
    expect(warnings.length).toBeGreaterThan(0);
    p.choose('otp', 'b');
    p.check('otp');
    expect(p.feedback('otp')).toBe('');
    expect(p.window.hocso.data).toEqual({});
  });
});

describe('course index', () => {
  it('marks each lesson completed or in progress', () => {
    const key = (id: string) => `hocso:v1:${COURSE}:${id}`;
    const storage = {
      [key('vneid')]: JSON.stringify({ answers: {}, results: {}, completed: true, score: 1, visited: true }),
      [key('otp')]: JSON.stringify({ answers: { q: ['a'] }, results: { q: false }, completed: false, score: null, visited: true }),
      'hocso:v1:other-course:qr': JSON.stringify({ completed: true, visited: true }),
    };
    const p = open(indexHtml(['vneid', 'otp', 'qr']), { url: INDEX_URL, storage });
    const status = (id: string) => p.$(`.lesson-status[data-lesson="${id}"]`);
    expect(status('vneid').textContent).toBe('Đã học xong');
    expect(status('vneid').className).toBe('lesson-status is-completed');
    expect(status('otp').textContent).toBe('Đang học');
    expect(status('otp').className).toBe('lesson-status is-in-progress');
    expect(status('qr').textContent).toBe('');
    expect(status('qr').className).toBe('lesson-status');
    // The index page stores nothing of its own.
    expect(Object.keys(p.storage()).sort()).toEqual(Object.keys(storage).sort());
  });
});
