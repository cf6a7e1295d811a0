import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { quizzesOf, type Lesson, type SourceLocation } from '../model/course.js';
import type { LessonHead } from '../project/lesson-head.js';

interface Side {
  lesson: Lesson;
  head: LessonHead;
}

const where = (at: SourceLocation): string => `${at.file}:${at.line}`;

/**
 * What a translation may not change: the lesson id, competencies, mastery score, and the quizzes (how many, their
 * order, ids and types, their choices and which are correct). Text, captions, alt text, feedback and media may differ.
 * Each divergence is reported at the variant's line and names the source's.
 */
export function checkVariant(source: Side, variant: Side): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const report = (at: SourceLocation, message: string, sourceAt: SourceLocation): void => {
    problems.push(diagnose('variant/diverges', at, `${message} (the source says otherwise at ${where(sourceAt)})`));
  };
  const v = variant.head;
  const s = source.head;
  if (v.id !== s.id) report(v.idAt, `the variant's id is \`${v.id}\`, its source's \`${s.id}\``, s.idAt);

  const codes = (h: LessonHead): string => h.competencies.map((c) => `${c.framework}:${c.code}${c.level === undefined ? '' : `@${c.level}`}`).join(', ');
  if (v.written.has('competencies') && codes(v) !== codes(s)) report(v.written.get('competencies')!, `competencies \`${codes(v)}\` differ from the source's \`${codes(s)}\`; leave them out: variants inherit them`, s.written.get('competencies')!);
  if (v.written.has('masteryScore') && v.masteryScore !== s.masteryScore) {
    report(v.written.get('masteryScore')!, `masteryScore ${v.masteryScore} differs from the source's ${s.masteryScore}; leave it out: variants inherit it`, s.written.get('masteryScore') ?? s.idAt);
  }

  const sourceQuizzes = quizzesOf(source.lesson.blocks);
  const variantQuizzes = quizzesOf(variant.lesson.blocks);
  const firstLine = { ...v.idAt, line: v.idAt.line, column: 1 };
  if (sourceQuizzes.length !== variantQuizzes.length) {
    report(variantQuizzes[0]?.at ?? firstLine, `the variant has ${variantQuizzes.length} quizzes, its source ${sourceQuizzes.length}`, sourceQuizzes[0]?.at ?? s.idAt);
  }
  sourceQuizzes.forEach((sq, i) => {
    const vq = variantQuizzes[i];
    if (!vq) return;
    if (vq.id !== sq.id) return report(vq.at, `quiz ${i + 1} is \`${vq.id}\`, in the source \`${sq.id}\`: keep the quiz ids and their order`, sq.at);
    if (vq.type !== sq.type) report(vq.at, `quiz \`${vq.id}\` is type=${vq.type}, in the source type=${sq.type}`, sq.at);
    if (vq.choices.length !== sq.choices.length) return report(vq.at, `quiz \`${vq.id}\` has ${vq.choices.length} choices, in the source ${sq.choices.length}`, sq.at);
    sq.choices.forEach((sc, j) => {
      const vc = vq.choices[j]!;
      if (vc.correct !== sc.correct) report(vc.at, `choice ${vc.id} of quiz \`${vq.id}\` is marked ${vc.correct ? 'right' : 'wrong'}, in the source ${sc.correct ? 'right' : 'wrong'}: translations keep which choices are correct`, sc.at);
    });
  });
  return problems;
}
