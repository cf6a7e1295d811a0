import { nearest } from '../diagnostics/did-you-mean.js';
import { competencesOf, levelRange, type Competence, type Framework } from './framework.js';

/** A competency as written in front matter: `tt02:4.2`, `tt02:4.2@3`, or { code: tt02:4.2, level: 3 }. */
export interface WrittenCompetency {
  framework: string;
  code: string;
  level?: string;
  written: string;
}

export function parseCompetency(value: unknown): WrittenCompetency | undefined {
  if (typeof value === 'string') {
    const match = /^([^:\s]+):([^@\s]+)(?:@(\S+))?$/.exec(value.trim());
    if (!match) return undefined;
    return { framework: match[1]!, code: match[2]!, ...(match[3] !== undefined ? { level: match[3] } : {}), written: value };
  }
  if (value && typeof value === 'object' && 'code' in value) {
    const { code, level } = value as { code: unknown; level?: unknown };
    const parsed = parseCompetency(code);
    if (!parsed || parsed.level !== undefined) return undefined;
    return { ...parsed, ...(level !== undefined ? { level: String(level) } : {}), written: `${String(code)}${level !== undefined ? `@${String(level)}` : ''}` };
  }
  return undefined;
}

export type CompetencyVerdict =
  | { ok: true; competence: Competence; level?: number }
  | { ok: false; problem: 'unknown-framework'; suggestions: string[] }
  | { ok: false; problem: 'unknown-code'; suggestions: string[] }
  | { ok: false; problem: 'level-out-of-range'; min: number; max: number; levels: string[] };

/** Checks a written competency against the loaded frameworks; on failure, says what the nearest valid values are. */
export function resolveCompetency(written: WrittenCompetency, frameworks: ReadonlyMap<string, Framework>): CompetencyVerdict {
  const framework = frameworks.get(written.framework);
  if (!framework) return { ok: false, problem: 'unknown-framework', suggestions: nearest(written.framework, [...frameworks.keys()]) };
  const competence = competencesOf(framework).find((c) => c.code === written.code);
  if (!competence) {
    const codes = competencesOf(framework).map((c) => c.code);
    return { ok: false, problem: 'unknown-code', suggestions: nearest(written.code, codes).map((c) => `${framework.id}:${c}`) };
  }
  if (written.level === undefined) return { ok: true, competence };
  const level = levelOf(written.level, framework);
  if (level === undefined) {
    const { min, max } = levelRange(framework);
    return { ok: false, problem: 'level-out-of-range', min, max, levels: framework.levels.map((l) => l.label ?? String(l.level)) };
  }
  return { ok: true, competence, level };
}

/** A level by number or by its label (e.g. CB1). */
function levelOf(written: string, framework: Framework): number | undefined {
  const byLabel = framework.levels.find((l) => l.label !== undefined && l.label.toLowerCase() === written.toLowerCase());
  if (byLabel) return byLabel.level;
  if (!/^\d+$/.test(written)) return undefined;
  const n = Number(written);
  return framework.levels.some((l) => l.level === n) ? n : undefined;
}
