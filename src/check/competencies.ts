import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { diagnose } from '../diagnostics/rules.js';
import { resolveCompetency } from '../frameworks/competency-code.js';
import type { Framework } from '../frameworks/framework.js';
import type { CompetencyRef } from '../model/course.js';
import type { WrittenCompetencyAt } from '../project/lesson-head.js';


/** Checks a lesson's competency codes against the frameworks its course declares. */
export function checkCompetencies(
  written: readonly WrittenCompetencyAt[],
  courseFrameworks: readonly string[],
  frameworks: ReadonlyMap<string, Framework>,
): { refs: CompetencyRef[]; diagnostics: Diagnostic[] } {
  const refs: CompetencyRef[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const declared = new Map([...frameworks].filter(([id]) => courseFrameworks.includes(id)));
  for (const item of written) {
    if (!declared.has(item.framework)) {
      if (frameworks.has(item.framework)) {
        diagnostics.push(diagnose('competency/framework-not-declared', item.at, `\`${item.written}\`: framework \`${item.framework}\` is not listed in course.yaml`));
      } else {
        const verdict = resolveCompetency(item, declared);
        const suggestions = !verdict.ok && "suggestions" in verdict ? verdict.suggestions : [];
        diagnostics.push(diagnose('competency/unknown-framework', item.at, `\`${item.written}\`: unknown framework \`${item.framework}\`${didYouMean(suggestions)}`, { hint: `The course uses: ${courseFrameworks.join(', ')}. Write codes as FRAMEWORK:CODE, e.g. ${courseFrameworks[0] ?? 'tt02'}:1.1.` }));
      }
      continue;
    }
    const verdict = resolveCompetency(item, declared);
    if (!verdict.ok) {
      if (verdict.problem === 'level-out-of-range') {
        diagnostics.push(diagnose('competency/level-out-of-range', item.at, `\`${item.written}\`: level \`${item.level}\` is not a level of \`${item.framework}\` (levels ${verdict.levels.join(', ')})`, { hint: `Use a level from ${verdict.min} to ${verdict.max}.` }));
      } else {
        diagnostics.push(diagnose('competency/unknown-code', item.at, `\`${item.written}\`: \`${item.code}\` is not a competence of \`${item.framework}\`${didYouMean(verdict.suggestions)}`));
      }
      continue;
    }
    const key = `${item.framework}:${item.code}`;
    if (seen.has(key)) {
      diagnostics.push(diagnose('competency/duplicate', item.at, `\`${key}\` is listed twice`));
      continue;
    }
    seen.add(key);
    refs.push({ framework: item.framework, code: item.code, ...(verdict.level !== undefined ? { level: verdict.level } : {}), written: item.written, at: item.at });
  }
  return { refs, diagnostics };
}
