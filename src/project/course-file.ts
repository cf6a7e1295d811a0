import { statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { Framework } from '../frameworks/framework.js';
import { didYouMean, nearest } from '../diagnostics/did-you-mean.js';
import { isValidLanguageTag } from '../i18n/language-tag.js';
import type { Course, SourceLocation } from '../model/course.js';
import { displayPath, isInside } from '../paths.js';
import { checkYaml } from '../schemas/checked-yaml.js';
import { findSourceFile, readSourceText } from '../source/text-file.js';
import { LocatedYaml } from '../source/yaml-document.js';

export interface LessonEntry {
  /** Absolute path of the lesson file. */
  file: string;
  /** Where course.yaml lists it. */
  at: SourceLocation;
}

export interface ModuleSource {
  id: string;
  title: string;
  description?: string;
  lessons: LessonEntry[];
}

/** `lesson: [required, …]` as written in course.yaml; checked once lesson ids are known. */
export interface PrerequisiteSource {
  lesson: string;
  at: SourceLocation;
  requires: { id: string; at: SourceLocation }[];
}

/** course.yaml, checked, with lesson paths resolved: the course model before its lessons are compiled. */
export type CourseSource = Omit<Course, 'modules' | 'prerequisites'> & { modules: ModuleSource[]; prerequisites: PrerequisiteSource[] };

export function loadCourseFile(dir: string, projectRoot: string, frameworks: ReadonlyMap<string, Framework>): { course?: CourseSource; diagnostics: Diagnostic[] } {
  const file = path.join(dir, 'course.yaml');
  const shown = displayPath(file, projectRoot);
  const yaml = new LocatedYaml(readSourceText(file));
  const problems = checkYaml(yaml, 'course', shown, { syntax: 'course/yaml-syntax', schema: 'course/schema' });
  if (problems.length) return { diagnostics: problems };
  const data = yaml.data as Omit<CourseSource, 'modules' | 'root' | 'at' | 'keywords' | 'prerequisites'> & {
    keywords?: string[];
    prerequisites?: Record<string, string[]>;
    translations?: Course['translations'];
    modules: { id: string; title: string; description?: string; lessons: string[] }[];
  };
  const diagnostics: Diagnostic[] = [];
  const place = (keys: (string | number)[]): SourceLocation => ({ file: shown, ...yaml.positionOf(keys) });

  if (!isValidLanguageTag(data.language)) {
    diagnostics.push(diagnose('course/language-tag', place(['language']), `\`${data.language}\` is not a valid BCP 47 language tag`));
  }
  data.frameworks.forEach((id, i) => {
    if (frameworks.has(id)) return;
    diagnostics.push(diagnose('course/unknown-framework', place(['frameworks', i]), `unknown framework \`${id}\`${didYouMean(nearest(id, [...frameworks.keys()]))}`, { hint: `Known frameworks: ${[...frameworks.keys()].join(', ')}.` }));
  });

  const moduleIds = new Set<string>();
  const listed = new Map<string, SourceLocation>();
  const modules: ModuleSource[] = data.modules.map((module, m) => {
    if (moduleIds.has(module.id)) diagnostics.push(diagnose('course/duplicate-module-id', place(['modules', m, 'id']), `module id \`${module.id}\` is used twice`));
    moduleIds.add(module.id);
    const lessons: LessonEntry[] = [];
    module.lessons.forEach((relative, l) => {
      const at = place(['modules', m, 'lessons', l]);
      const lessonFile = path.resolve(dir, relative);
      if (!isInside(lessonFile, dir)) {
        diagnostics.push(diagnose('course/lesson-outside', at, `lesson \`${relative}\` is outside the course folder`));
        return;
      }
      const onDisk = findSourceFile(lessonFile);
      if (!onDisk || !statSync(onDisk).isFile()) {
        diagnostics.push(diagnose('course/lesson-missing', at, `lesson file \`${relative}\` not found`));
        return;
      }
      const first = listed.get(lessonFile);
      if (first) {
        diagnostics.push(diagnose('course/lesson-listed-twice', at, `\`${relative}\` is already listed at line ${first.line}`));
        return;
      }
      listed.set(lessonFile, at);
      lessons.push({ file: lessonFile, at });
    });
    return { id: module.id, title: module.title, ...(module.description ? { description: module.description } : {}), lessons };
  });

  return {
    course: {
      id: data.id,
      title: data.title,
      description: data.description,
      language: data.language,
      frameworks: data.frameworks,
      keywords: data.keywords ?? [],
      ...(data.narration ? { narration: true } : {}),
      modules,
      translations: checkTranslations(data.translations ?? {}, moduleIds, place, diagnostics),
      prerequisites: Object.entries(data.prerequisites ?? {}).map(([lesson, requires]) => ({
        lesson,
        at: place(['prerequisites', lesson]),
        requires: requires.map((id, i) => ({ id, at: place(['prerequisites', lesson, i]) })),
      })),
      root: dir,
      at: { file: shown, line: 1, column: 1 },
    },
    diagnostics,
  };
}

/** course.yaml `translations`: each key a language tag, each module key a module of the course. */
function checkTranslations(translations: Course['translations'], moduleIds: ReadonlySet<string>, place: (keys: (string | number)[]) => SourceLocation, diagnostics: Diagnostic[]): Course['translations'] {
  for (const [tag, texts] of Object.entries(translations)) {
    if (!isValidLanguageTag(tag)) diagnostics.push(diagnose('course/language-tag', place(['translations', tag]), `\`${tag}\` is not a valid BCP 47 language tag`));
    for (const id of Object.keys(texts.modules ?? {})) {
      if (!moduleIds.has(id)) diagnostics.push(diagnose('course/unknown-module', place(['translations', tag, 'modules', id]), `no module has the id \`${id}\`${didYouMean(nearest(id, [...moduleIds]))}`));
    }
  }
  return translations;
}
