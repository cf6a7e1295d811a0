import { checkPrerequisites } from '../../src/check/prerequisites.js';
import { describe, expect, it } from 'vitest';
import { checkHeadings } from '../../src/check/headings.js';
import { checkQuizzes } from '../../src/check/quizzes.js';
import { checkRawHtml } from '../../src/check/raw-html.js';
import type { Quiz, QuizType } from '../../src/model/course.js';

const at = { file: 'a.md', line: 5, column: 1 };
const quiz = (id: string, type: QuizType, correct: boolean[], question = 'Câu hỏi ___?', feedback = true): Quiz => ({
  id,
  type,
  questionHtml: `<p>${question}</p>`,
  questionText: question,
  choices: correct.map((c, i) => ({ id: String.fromCharCode(97 + i), html: 'x', text: 'x', correct: c, ...(feedback ? { feedbackHtml: '<p>f</p>' } : {}), at })),
  at,
});
const rules = (d: { ruleId: string }[]): string[] => d.map((x) => x.ruleId);

describe('quiz checks', () => {
  it('accepts well-formed quizzes of each type', () => {
    expect(checkQuizzes([quiz('a', 'single', [true, false]), quiz('b', 'multiple', [true, true, false]), quiz('c', 'truefalse', [false, true]), quiz('d', 'fill', [true])], at)).toEqual([]);
  });

  it('finds no correct answer, too many, a bad true/false, a fill without a blank, duplicates, missing feedback, no quiz', () => {
    expect(rules(checkQuizzes([quiz('a', 'single', [false, false])], at))).toEqual(['quiz/no-correct-answer']);
    expect(rules(checkQuizzes([quiz('a', 'single', [true, true])], at))).toEqual(['quiz/too-many-correct']);
    expect(rules(checkQuizzes([quiz('a', 'truefalse', [true, false, false])], at))).toEqual(['quiz/truefalse-shape']);
    expect(rules(checkQuizzes([quiz('a', 'fill', [true], 'Không có chỗ trống')], at))).toEqual(['quiz/fill-no-blank']);
    expect(rules(checkQuizzes([quiz('a', 'single', [true, false]), quiz('a', 'single', [true, false])], at))).toEqual(['quiz/duplicate-id']);
    expect(checkQuizzes([quiz('a', 'single', [true, false], 'q', false)], at)).toMatchObject([{ ruleId: 'quiz/missing-feedback', severity: 'warning' }]);
    expect(checkQuizzes([], at)).toMatchObject([{ ruleId: 'quiz/none', severity: 'warning' }]);
  });
});

describe('raw HTML checks', () => {
  it('finds scripts, handlers and script URLs on their own line and column', () => {
    const found = checkRawHtml([{ html: '<div>\n  <img src=x onerror="a()">\n</div>', at: { file: 'a.md', line: 10, column: 1 } }, { html: '<SCRIPT>x</SCRIPT>', at: { file: 'a.md', line: 20, column: 3 } }, { html: '<a href="JavaScript:x">', at: { file: 'a.md', line: 30, column: 1 } }]);
    expect(found.map((d) => [d.line, d.column])).toEqual([[11, 13], [20, 3], [30, 10]]);
    expect(checkRawHtml([{ html: '<b>đậm</b> <span title="online">x</span>', at }])).toEqual([]);
  });
});

describe('heading checks', () => {
  const h = (depth: number, line: number) => ({ depth, text: `h${depth}`, slug: `h${depth}`, at: { file: 'a.md', line, column: 1 } });
  it('wants ## first and no skipped level going down', () => {
    expect(checkHeadings([h(2, 1), h(3, 2), h(2, 3), h(3, 4)])).toEqual([]);
    expect(checkHeadings([h(1, 1), h(2, 2), h(4, 3)]).map((d) => d.line)).toEqual([1, 3]);
  });
});

describe('prerequisites in course.yaml', () => {
  const at = (line: number) => ({ file: 'course.yaml', line, column: 3 });
  const entry = (lesson: string, line: number, requires: string[]) => ({ lesson, at: at(line), requires: requires.map((id, i) => ({ id, at: at(line + i) })) });

  it('keeps known lessons and names unknown ones with the nearest id', () => {
    const { prerequisites, diagnostics } = checkPrerequisites([entry('bai-hai', 10, ['bai-mot', 'bai-mott'])], ['bai-mot', 'bai-hai']);
    expect(prerequisites).toEqual({ 'bai-hai': ['bai-mot'] });
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.message])).toEqual([['course/unknown-prerequisite', 11, 'no lesson has the id `bai-mott` — did you mean `bai-mot`, `bai-hai`?']]);
  });

  it('rejects a lesson that requires itself and a circle of lessons', () => {
    const self = checkPrerequisites([entry('a', 1, ['a'])], ['a']);
    expect(self.diagnostics.map((d) => d.ruleId)).toEqual(['course/prerequisite-cycle']);
    const circle = checkPrerequisites([entry('a', 1, ['b']), entry('b', 2, ['c']), entry('c', 3, ['a'])], ['a', 'b', 'c']);
    expect(circle.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [1, 'prerequisites go round in a circle: a → b → c → a; no learner could start'],
      [2, 'prerequisites go round in a circle: b → c → a → b; no learner could start'],
      [3, 'prerequisites go round in a circle: c → a → b → c; no learner could start'],
    ]);
  });
});
