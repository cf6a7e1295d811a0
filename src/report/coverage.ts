import { competencesOf, type Framework } from '../frameworks/framework.js';
import { lessonsOf, type Course } from '../model/course.js';

export interface LessonColumn {
  course: string;
  lesson: string;
  title: string;
}

export interface CoverageRow {
  framework: string;
  code: string;
  title: { vi: string; en: string };
  /** Per lesson column: the level it teaches ('' = any level), or null when it does not cover the competence. */
  cells: (string | null)[];
}

export interface Coverage {
  lessons: LessonColumn[];
  rows: CoverageRow[];
}

/** Competence × lesson matrix over every framework the courses declare, in framework order. */
export function competencyCoverage(courses: readonly Course[], frameworks: ReadonlyMap<string, Framework>): Coverage {
  const lessons = courses.flatMap((course) => lessonsOf(course).map((lesson) => ({ course, lesson })));
  const used = [...new Set(courses.flatMap((c) => c.frameworks))].filter((id) => frameworks.has(id));
  const rows = used.flatMap((id) => competencesOf(frameworks.get(id)!).map((competence): CoverageRow => ({
    framework: id,
    code: competence.code,
    title: competence.title,
    cells: lessons.map(({ lesson }) => {
      const ref = lesson.competencies.find((r) => r.framework === id && r.code === competence.code);
      return ref ? (ref.level !== undefined ? String(ref.level) : '') : null;
    }),
  })));
  return { lessons: lessons.map(({ course, lesson }) => ({ course: course.id, lesson: lesson.id, title: lesson.title })), rows };
}

export function uncovered(coverage: Coverage): CoverageRow[] {
  return coverage.rows.filter((r) => r.cells.every((c) => c === null));
}
