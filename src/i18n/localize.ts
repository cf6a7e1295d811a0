// One course in one language: each lesson's variant in that language, else the next language of the chain, else
// the source; course and module texts the same way. What fell back is reported, and keeps its own language.
import type { Course, Lesson, Module } from '../model/course.js';
import type { LanguageSetting } from '../project/config.js';

export interface LocalizedCourse {
  course: Course;
  /** Lessons shown in another language than the one asked for. */
  fallbacks: { lesson: string; shownIn: string }[];
}

/** The languages to try, in order: the tag, its configured fallbacks, then the course's source language. */
export function languageChain(setting: LanguageSetting, course: Course): string[] {
  return [...new Set([setting.tag, ...setting.fallback, course.language])];
}

/** The languages every target builds for a course: the configured ones, else its source language alone. */
export function buildLanguages(configured: readonly LanguageSetting[], course: Pick<Course, 'language'>): LanguageSetting[] {
  return configured.length ? [...configured] : [{ tag: course.language, fallback: [] }];
}

export function localizeCourse(course: Course, chain: readonly string[]): LocalizedCourse {
  const fallbacks: LocalizedCourse['fallbacks'] = [];
  const lessonIn = (lesson: Lesson): Lesson => {
    for (const lang of chain) {
      const found = lang === course.language ? lesson : lesson.variants?.[lang];
      if (!found) continue;
      if (lang !== chain[0]) fallbacks.push({ lesson: lesson.id, shownIn: lang });
      return found;
    }
    return lesson;
  };
  const text = <T>(pick: (lang: string) => T | undefined, source: T): T => {
    for (const lang of chain) {
      const found = lang === course.language ? source : pick(lang);
      if (found !== undefined) return found;
    }
    return source;
  };
  const modules = course.modules.map((m): Module => {
    const description = text((l) => course.translations[l]?.modules?.[m.id]?.description, m.description);
    return {
      ...m,
      title: text((l) => course.translations[l]?.modules?.[m.id]?.title, m.title),
      ...(description !== undefined ? { description } : {}),
      lessons: m.lessons.map(lessonIn),
    };
  });
  return {
    course: {
      ...course,
      title: text((l) => course.translations[l]?.title, course.title),
      description: text((l) => course.translations[l]?.description, course.description),
      modules,
    },
    fallbacks,
  };
}
