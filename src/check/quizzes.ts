import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { Quiz, SourceLocation } from '../model/course.js';

/** Quiz well-formedness: what the Markdown parsed into is judged here, so every rule is in one place. */
export function checkQuizzes(quizzes: readonly Quiz[], lessonAt: SourceLocation): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (quizzes.length === 0) {
    diagnostics.push(diagnose('quiz/none', lessonAt, 'the lesson has no quiz'));
  }
  const ids = new Map<string, SourceLocation>();
  for (const quiz of quizzes) {
    const first = ids.get(quiz.id);
    if (first) diagnostics.push(diagnose('quiz/duplicate-id', quiz.at, `quiz id \`${quiz.id}\` is already used at line ${first.line}`));
    else ids.set(quiz.id, quiz.at);

    const correct = quiz.choices.filter((c) => c.correct).length;
    if (correct === 0) {
      diagnostics.push(diagnose('quiz/no-correct-answer', quiz.at, `quiz \`${quiz.id}\` has no correct answer`, quiz.type === 'fill' ? { hint: 'List the accepted answers as `- [x] answer`.' } : {}));
    }
    if (quiz.type === 'single' && correct > 1) {
      diagnostics.push(diagnose('quiz/too-many-correct', quiz.at, `single-choice quiz \`${quiz.id}\` has ${correct} correct answers`));
    }
    if (quiz.type === 'truefalse' && (quiz.choices.length !== 2 || correct !== 1)) {
      diagnostics.push(diagnose('quiz/truefalse-shape', quiz.at, `true/false quiz \`${quiz.id}\` has ${quiz.choices.length} choices and ${correct} marked correct; it needs 2 choices, 1 correct`));
    }
    if (quiz.type === 'fill' && !/_{3,}/.test(quiz.questionText)) {
      diagnostics.push(diagnose('quiz/fill-no-blank', quiz.at, `fill-in-the-blank quiz \`${quiz.id}\` has no ___ in its question`));
    }
    if ((quiz.type === 'single' || quiz.type === 'multiple') && quiz.choices.length < 2) {
      diagnostics.push(diagnose('quiz/no-choices', quiz.at, `quiz \`${quiz.id}\` needs at least two choices`));
    }
    const silent = quiz.choices.filter((c) => !c.feedbackHtml);
    if (quiz.type !== 'fill' && silent.length) {
      diagnostics.push(diagnose('quiz/missing-feedback', silent[0]!.at, `quiz \`${quiz.id}\`: ${silent.length} choice${silent.length === 1 ? ' has' : 's have'} no feedback`));
    }
  }
  return diagnostics;
}
