import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { parseCompetency, type WrittenCompetency } from '../frameworks/competency-code.js';
import { DEFAULT_MASTERY_SCORE, type Audience, type SourceLocation } from '../model/course.js';
import { checkYaml } from '../schemas/checked-yaml.js';
import { splitLesson } from '../source/lesson-file.js';

export interface WrittenCompetencyAt extends WrittenCompetency {
  at: SourceLocation;
}

/** A lesson's front matter, checked against the schema. */
export interface LessonHead {
  id: string;
  title: string;
  competencies: WrittenCompetencyAt[];
  objectives: string[];
  duration?: string;
  audience: Audience[];
  masteryScore: number;
  keywords: string[];
  /** Where the id is written, for duplicate-id messages. */
  idAt: SourceLocation;
  /** Where each key of the front matter is written: a variant may only repeat what it inherits. */
  written: Map<string, SourceLocation>;
  /** `narration`: true / false, or the path of a recording (relative to the lesson file). */
  narration?: boolean | string;
  /** Variants: their `translation` block. */
  translation?: { from?: string; status?: 'draft' | 'reviewed' };
}

export interface LessonFileParts {
  head?: LessonHead;
  body: string;
  bodyLine: number;
  diagnostics: Diagnostic[];
}

/**
 * Splits a lesson file and checks its front matter; the body is returned even when the head is broken, so it is
 * checked too. A variant (NAME.LANG.md) needs only id and title: the rest is inherited from its source lesson.
 */
export function readLessonFile(text: string, shown: string, kind: 'lesson' | 'variant' = 'lesson'): LessonFileParts {
  const { frontMatter, body, bodyLine } = splitLesson(text);
  if (!frontMatter) {
    return { body, bodyLine, diagnostics: [diagnose('lesson/front-matter-missing', { file: shown, line: 1 }, 'the lesson has no front matter')] };
  }
  const problems = checkYaml(frontMatter, kind === 'lesson' ? 'lesson' : 'lesson-variant', shown, { syntax: 'lesson/front-matter-syntax', schema: 'lesson/schema' });
  if (problems.length) return { body, bodyLine, diagnostics: problems };
  const data = frontMatter.data as Omit<LessonHead, 'competencies' | 'idAt' | 'audience' | 'masteryScore' | 'keywords' | 'written' | 'objectives'> & {
    competencies?: unknown[];
    objectives?: string[];
    audience?: Audience[];
    masteryScore?: number;
    keywords?: string[];
  };
  const place = (keys: (string | number)[]): SourceLocation => {
    const p = frontMatter.positionOf(keys);
    return { file: shown, line: p.line, column: p.column };
  };
  const competencies = (data.competencies ?? []).map((value, i) => ({ ...parseCompetency(value)!, at: place(['competencies', i]) }));
  return {
    head: {
      id: data.id,
      title: data.title,
      competencies,
      objectives: data.objectives ?? [],
      ...(data.duration ? { duration: data.duration } : {}),
      audience: data.audience ?? [],
      masteryScore: data.masteryScore ?? DEFAULT_MASTERY_SCORE,
      keywords: data.keywords ?? [],
      idAt: place(['id']),
      written: new Map(Object.keys(data).map((key) => [key, place([key])])),
      ...(data.translation ? { translation: data.translation } : {}),
      ...(data.narration !== undefined ? { narration: data.narration } : {}),
    },
    body,
    bodyLine,
    diagnostics: [],
  };
}
