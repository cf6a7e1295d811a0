import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { didYouMean, nearest } from '../diagnostics/did-you-mean.js';
import type { PrerequisiteSource } from '../project/course-file.js';

/** Checks course.yaml's prerequisites against the course's lesson ids: unknown ids, a lesson requiring itself, cycles. */
export function checkPrerequisites(written: readonly PrerequisiteSource[], lessonIds: readonly string[]): { prerequisites: Record<string, string[]>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const prerequisites: Record<string, string[]> = {};
  const known = new Set(lessonIds);
  const unknown = (id: string): string => `no lesson has the id \`${id}\`${didYouMean(nearest(id, lessonIds))}`;
  for (const entry of written) {
    if (!known.has(entry.lesson)) {
      diagnostics.push(diagnose('course/unknown-prerequisite', entry.at, unknown(entry.lesson)));
      continue;
    }
    const requires: string[] = [];
    for (const required of entry.requires) {
      if (required.id === entry.lesson) diagnostics.push(diagnose('course/prerequisite-cycle', required.at, `lesson \`${entry.lesson}\` cannot require itself`));
      else if (!known.has(required.id)) diagnostics.push(diagnose('course/unknown-prerequisite', required.at, unknown(required.id)));
      else requires.push(required.id);
    }
    if (requires.length) prerequisites[entry.lesson] = requires;
  }
  for (const entry of written) {
    const cycle = cycleFrom(entry.lesson, prerequisites);
    if (cycle && cycle[0] === entry.lesson) {
      diagnostics.push(diagnose('course/prerequisite-cycle', entry.at, `prerequisites go round in a circle: ${cycle.join(' → ')} → ${entry.lesson}; no learner could start`));
    }
  }
  return { prerequisites, diagnostics };
}

/** The first cycle reachable from start (depth first), as the list of lessons on it. */
function cycleFrom(start: string, graph: Record<string, string[]>): string[] | undefined {
  const path: string[] = [];
  const done = new Set<string>();
  const visit = (id: string): string[] | undefined => {
    const at = path.indexOf(id);
    if (at >= 0) return path.slice(at);
    if (done.has(id)) return undefined;
    path.push(id);
    for (const next of graph[id] ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    done.add(id);
    return undefined;
  };
  return visit(start);
}
