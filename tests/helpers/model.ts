// Small course-model builders for unit tests of targets: a quiz, a lesson tagged with competencies, a course.
import type { Choice, Course, Lesson, Quiz, QuizType } from '../../src/model/course.js';

export const at = { file: 'x.md', line: 1, column: 1 };

/** A quiz as the compiler makes it: choices a, b, c… (true/false for true-false questions). */
export function quiz(id: string, type: QuizType, questionText: string, choices: [text: string, correct: boolean][]): Quiz {
  const ids = type === 'truefalse' ? ['true', 'false'] : choices.map((_, i) => String.fromCharCode(97 + i));
  return {
    id,
    type,
    questionHtml: `<p>${questionText}</p>`,
    questionText,
    choices: choices.map(([text, correct], i): Choice => ({ id: ids[i]!, html: text, text, correct, at })),
    at,
  };
}

/** A lesson with a paragraph then the quizzes, tagged tt02:4.2 (twice, at two levels) and qd757:1.2. */
export function lesson(id: string, quizzes: Quiz[], extra: Partial<Lesson> = {}): Lesson {
  return {
    id,
    title: `Bài ${id}`,
    path: `lessons/${id}.md`,
    at,
    competencies: [
      { framework: 'tt02', code: '4.2', level: 2, written: 'tt02:4.2@2', at },
      { framework: 'tt02', code: '4.2', level: 3, written: 'tt02:4.2@3', at },
      { framework: 'qd757', code: '1.2', written: 'qd757:1.2', at },
    ],
    objectives: ['Đặt mật khẩu mạnh', 'Nhận ra tin nhắn lừa đảo'],
    audience: [],
    masteryScore: 0.8,
    keywords: [],
    blocks: [{ kind: 'prose', html: '<p>x</p>' }, ...quizzes.map((q) => ({ kind: 'quiz' as const, quiz: q }))],
    files: [],
    language: 'vi',
    ...extra,
  };
}
