import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { ProjectConfig } from '../project/config.js';
import { align, type AlignedUnit } from './align.js';
import { captionsState, loadCourses, loadVariant, recordedHashes, translatedCourseTexts, type TranslatableCourse } from './project.js';
import { preview } from './segment.js';

// How far each language is: per lesson (and the course texts), segments translated, stale, missing.

export interface Counts {
  total: number;
  translated: number;
  stale: number;
  missing: number;
}

export interface LessonStatus extends Counts {
  course: string;
  /** The lesson id, or `course` for the course texts. */
  lesson: string;
  /** The variant file (or course.yaml), when it exists. */
  file?: string;
  /** The variant's translation.status (draft / reviewed). */
  review?: string;
  /** A variant that records no source hashes: its stale count is a guess (every translated text). */
  untracked?: boolean;
  /** Stale units: id, and where the variant's text is (`file`: a captions file, not the variant itself). */
  staleUnits: { id: string; line: number; source: string; file?: string; retimed?: string }[];
}

export interface LanguageStatus extends Counts {
  lang: string;
  lessons: LessonStatus[];
}

function count(units: readonly AlignedUnit[]): Counts {
  const c: Counts = { total: units.length, translated: 0, stale: 0, missing: 0 };
  for (const u of units) c[u.status]++;
  return c;
}

export function courseStatus(config: ProjectConfig, course: TranslatableCourse, lang: string): LessonStatus[] {
  const out: LessonStatus[] = [];
  const texts = translatedCourseTexts(course, lang);
  const courseAligned = align(course.texts.units, texts.units, texts.recorded).units;
  out.push({
    course: course.source.id,
    lesson: 'course',
    ...(texts.units.length ? { file: course.texts.shown } : {}),
    ...count(courseAligned),
    staleUnits: courseAligned.filter((u) => u.status === 'stale').map((u) => ({ id: u.unit.id, line: u.target?.line ?? u.unit.line, source: preview(u.unit.parts) })),
  });
  for (const lesson of course.lessons) {
    const variant = loadVariant(lesson, lang, config.root);
    const aligned = align(lesson.segmented.units, variant?.segmented.units, recordedHashes(variant)).units;
    const staleUnits: LessonStatus['staleUnits'] = aligned.filter((u) => u.status === 'stale').map((u) => ({ id: `${lesson.id}/${u.unit.id}`, line: u.target?.line ?? 1, source: preview(u.unit.parts) }));
    // Captions: their cues count as the lesson's units. A file with errors is left out (validate reports it).
    for (const state of captionsState(lesson, variant, lang, config.root)) {
      if (!state.alignment) continue;
      aligned.push(...state.alignment.units);
      const shown = state.current.file?.shown;
      for (const u of state.alignment.units) {
        if (u.status === 'stale') staleUnits.push({ id: `${lesson.id}/${u.unit.id}`, line: u.target?.line ?? 1, source: preview(u.unit.parts), ...(shown ? { file: shown } : {}), ...(u.retimed && u.recorded === u.hash ? { retimed: u.retimed } : {}) });
      }
    }
    out.push({
      course: course.source.id,
      lesson: lesson.id,
      ...(variant ? { file: variant.shown, review: variant.translation.status ?? 'draft' } : {}),
      ...(variant && Object.keys(variant.translation.segments).length === 0 ? { untracked: true } : {}),
      ...count(aligned),
      staleUnits,
    });
  }
  return out;
}

/** Every language of the project but each course's source language (or only `only`). */
export function projectStatus(config: ProjectConfig, only?: string, courseIds?: readonly string[]): LanguageStatus[] {
  const courses = loadCourses(config, courseIds);
  const langs = only ? [only] : config.languages.map((l) => l.tag);
  return langs
    .map((lang) => {
      const lessons = courses.filter((c) => c.source.language !== lang).flatMap((c) => courseStatus(config, c, lang));
      const totals = lessons.reduce<Counts>((t, l) => ({ total: t.total + l.total, translated: t.translated + l.translated, stale: t.stale + l.stale, missing: t.missing + l.missing }), { total: 0, translated: 0, stale: 0, missing: 0 });
      return { lang, ...totals, lessons };
    })
    .filter((s) => s.lessons.length > 0);
}

/**
 * `translation/stale` diagnostics: one per stale segment of every existing variant (and course text), at the
 * variant's line. Warnings, or errors with `asErrors` (`hocso validate --fail-on-stale`).
 */
export function staleSegments(config: ProjectConfig, asErrors = false): Diagnostic[] {
  const out: Diagnostic[] = [];
  let courses: TranslatableCourse[];
  try {
    courses = loadCourses(config);
  } catch {
    return out; // a course that does not load is reported by validate itself
  }
  for (const course of courses) {
    for (const setting of config.languages) {
      if (setting.tag === course.source.language) continue;
      for (const lesson of courseStatus(config, course, setting.tag)) {
        if (!lesson.file) continue;
        if (lesson.untracked) {
          out.push(diagnose('translation/untracked', { file: lesson.file, line: 1 }, `the ${setting.tag} variant records no source hashes: ${lesson.stale} of its ${lesson.total} segments may be out of date`, asErrors ? { severity: 'error' } : {}));
          continue;
        }
        for (const s of lesson.staleUnits) {
          out.push(diagnose('translation/stale', { file: s.file ?? lesson.file, line: s.line }, s.retimed ? `caption \`${s.id}\` (${setting.tag}) has another timing in the source since it was translated (${s.retimed})` : `segment \`${s.id}\` (${setting.tag}) was translated from an older source text; the source now says "${s.source}"`, asErrors ? { severity: 'error' } : {}));
        }
      }
    }
  }
  return out;
}

/** The table `hocso translate status` prints. */
export function formatStatusTable(status: readonly LanguageStatus[]): string {
  const pct = (n: number, total: number): string => (total ? `${Math.floor((n / total) * 100)}%` : '—');
  const rows: string[][] = [['language', 'course', 'lesson', 'translated', 'stale', 'missing', 'done', 'review']];
  for (const s of status) {
    for (const l of s.lessons) rows.push([s.lang, l.course, l.lesson, String(l.translated), String(l.stale), String(l.missing), pct(l.translated, l.total), l.lesson === 'course' ? '' : l.file ? l.review ?? 'draft' : 'no variant']);
    rows.push([s.lang, '', 'all', String(s.translated), String(s.stale), String(s.missing), pct(s.translated, s.total), '']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const numeric = new Set([3, 4, 5, 6]);
  return rows.map((r) => r.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}
