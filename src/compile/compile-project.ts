import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkCompetencies } from '../check/competencies.js';
import { checkHeadings } from '../check/headings.js';
import { checkPrerequisites } from '../check/prerequisites.js';
import { checkVariant } from '../check/variants.js';
import { checkQuizzes } from '../check/quizzes.js';
import { checkRawHtml } from '../check/raw-html.js';
import { checkReferences } from '../check/references.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { Framework } from '../frameworks/framework.js';
import { loadFrameworks } from '../frameworks/load.js';
import { quizzesOf, type Course, type Lesson, type LessonNarration, type Module } from '../model/course.js';
import { displayPath } from '../paths.js';
import type { ProjectConfig } from '../project/config.js';
import { loadCourseFile, type CourseSource } from '../project/course-file.js';
import { readLessonFile, type LessonHead } from '../project/lesson-head.js';
import { resolveReference, type CompiledLessonBody, type LessonBodyInput } from '../source/lesson-body.js';
import { readSourceText } from '../source/text-file.js';
import { compileBodies } from './body-pool.js';
import type { LessonBodyCache } from '../build-cache/body-cache.js';

export interface CompileOptions {
  /** Only these course ids (all when absent). */
  courseIds?: readonly string[];
  onProgress?: (done: number, total: number) => void;
  /** Bodies compiled by earlier builds (hocso build): only the lessons not found are compiled. */
  bodyCache?: LessonBodyCache;
  /** The frameworks and course files, when the caller has read them already (hocso build). */
  loaded?: LoadedSources;
}

export interface CompiledProject {
  config: ProjectConfig;
  frameworks: Map<string, Framework>;
  courses: Course[];
  diagnostics: Diagnostic[];
}

interface PendingLesson {
  course: CourseSource;
  moduleIndex: number;
  file: string;
  shown: string;
  head?: LessonHead;
  input: LessonBodyInput;
  /** Set for a translated variant (NAME.LANG.md): its language and the source lesson it translates. */
  variant?: { lang: string; source: PendingLesson };
}

/**
 * Sources → course model + every diagnostic. Front matter is read first (lesson ids are needed to resolve links
 * between lessons), then all bodies are compiled at once, in parallel, then cross-lesson checks run.
 */
export async function compileProject(config: ProjectConfig, options: CompileOptions = {}): Promise<CompiledProject> {
  const loaded = options.loaded ?? loadCourseSources(config);
  const { frameworks } = loaded;
  const sources = loaded.sources.filter((c) => !options.courseIds || options.courseIds.includes(c.id));
  const diagnostics = [...loaded.diagnostics];

  const pending: PendingLesson[] = [];
  const languages = config.languages.map((l) => l.tag);
  for (const course of sources) {
    const lessons = readLessonHeads(course, config.root, diagnostics);
    pending.push(...lessons, ...readVariantHeads(lessons, languages.filter((l) => l !== course.language), config.root, diagnostics));
  }

  const bodies = await compileBodiesWith(options.bodyCache, pending.map((p) => p.input), (done) => options.onProgress?.(done, pending.length));

  const anchors = new Map<string, Set<string>>();
  pending.forEach((p, i) => {
    const body = bodies[i]!;
    anchors.set(p.file, new Set([...body.headings.map((h) => h.slug), ...quizzesOf(body.blocks).map((q) => `quiz-${q.id}`)]));
  });
  const anchorIndex = { anchorsOf: (file: string) => anchors.get(file) };

  const lessonsByCourse = new Map<CourseSource, Lesson[][]>();
  const compiled = new Map<PendingLesson, Lesson>();
  pending.forEach((p, i) => {
    const body = bodies[i]!;
    diagnostics.push(...body.problems, ...checkReferences(body.references, p.file, anchorIndex), ...checkRawHtml(body.rawHtml), ...checkHeadings(body.headings));
    if (!p.head) return;
    const lessonAt = p.head.idAt;
    diagnostics.push(...checkQuizzes(quizzesOf(body.blocks), { ...lessonAt, line: 1, column: 1 }));
    if (p.variant) {
      const source = compiled.get(p.variant.source);
      if (!source || !p.variant.source.head) return;
      const variant = toVariant(p, p.head, source, body, p.variant.lang);
      const narration = narrationOf(p, p.head, source.narration !== undefined, diagnostics);
      if (narration) variant.narration = narration;
      diagnostics.push(...checkVariant({ lesson: source, head: p.variant.source.head }, { lesson: variant, head: p.head }));
      source.variants = { ...source.variants, [p.variant.lang]: variant };
      return;
    }
    const { refs, diagnostics: competencyProblems } = checkCompetencies(p.head.competencies, p.course.frameworks, frameworks);
    diagnostics.push(...competencyProblems);
    const perModule = lessonsByCourse.get(p.course) ?? p.course.modules.map(() => []);
    lessonsByCourse.set(p.course, perModule);
    const lesson = toLesson(p, p.head, refs, body);
    const narration = narrationOf(p, p.head, Boolean(p.course.narration), diagnostics);
    if (narration) lesson.narration = narration;
    compiled.set(p, lesson);
    perModule[p.moduleIndex]!.push(lesson);
  });

  const courses = sources.map((source): Course => {
    const perModule = lessonsByCourse.get(source) ?? source.modules.map(() => []);
    const modules: Module[] = source.modules.map((m, i) => ({ id: m.id, title: m.title, ...(m.description ? { description: m.description } : {}), lessons: perModule[i]! }));
    const { prerequisites, diagnostics: prerequisiteProblems } = checkPrerequisites(source.prerequisites, modules.flatMap((m) => m.lessons.map((l) => l.id)));
    diagnostics.push(...prerequisiteProblems);
    return {
      id: source.id,
      title: source.title,
      description: source.description,
      language: source.language,
      frameworks: source.frameworks,
      keywords: source.keywords,
      modules,
      translations: source.translations,
      prerequisites,
      ...(source.narration ? { narration: true } : {}),
      root: source.root,
      at: source.at,
    };
  });

  diagnostics.sort(compareDiagnostics);
  return { config, frameworks, courses, diagnostics };
}

/** For HOCSO_TIMING: lesson bodies compiled, and taken from the body cache, by this process. */
export const bodyStats = { compiled: 0, fromCache: 0 };

/** Bodies from the cache where known; the rest compiled (in parallel when many) and stored. Input order is kept. */
async function compileBodiesWith(cache: LessonBodyCache | undefined, inputs: readonly LessonBodyInput[], onDone: (done: number) => void): Promise<CompiledLessonBody[]> {
  if (!cache) return compileBodies(inputs, onDone);
  const found = inputs.map((input) => cache.get(input));
  const missing = inputs.flatMap((input, i) => (found[i] ? [] : [{ input, i }]));
  const hits = inputs.length - missing.length;
  bodyStats.fromCache += hits;
  bodyStats.compiled += missing.length;
  const compiled = await compileBodies(missing.map((m) => m.input), (done) => onDone(hits + done));
  missing.forEach((m, k) => {
    found[m.i] = compiled[k]!;
    cache.set(m.input, compiled[k]!);
  });
  if (!missing.length) onDone(inputs.length);
  return found as CompiledLessonBody[];
}

/**
 * The frameworks and every course.yaml (not the lessons): cheap, and enough to know which courses, languages and lesson
 * files a build involves.
 */
export interface LoadedSources {
  frameworks: Map<string, Framework>;
  sources: CourseSource[];
  diagnostics: Diagnostic[];
}

export function loadCourseSources(config: ProjectConfig): LoadedSources {
  const diagnostics: Diagnostic[] = [];
  const { frameworks, diagnostics: frameworkProblems } = loadFrameworks(config.frameworksDir, config.root);
  diagnostics.push(...frameworkProblems);
  const sources: CourseSource[] = [];
  const seen = new Map<string, string>();
  for (const entry of config.courses) {
    const loaded = loadCourseFile(entry.dir, config.root, frameworks);
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.course) continue;
    const other = seen.get(loaded.course.id);
    if (other) diagnostics.push(diagnose('course/duplicate-course-id', loaded.course.at, `course id \`${loaded.course.id}\` is also used by ${other}`));
    seen.set(loaded.course.id, loaded.course.at.file);
    sources.push(loaded.course);
  }
  return { frameworks, sources, diagnostics };
}

/** Reads each lesson's front matter; reports duplicate lesson ids naming both files. */
function readLessonHeads(course: CourseSource, projectRoot: string, diagnostics: Diagnostic[]): PendingLesson[] {
  const lessons: PendingLesson[] = [];
  const ids = new Map<string, LessonHead>();
  const lessonIds: Record<string, string> = {};
  course.modules.forEach((module, moduleIndex) => {
    for (const entry of module.lessons) {
      const shown = displayPath(entry.file, projectRoot);
      const parts = readLessonFile(readSourceText(entry.file), shown);
      diagnostics.push(...parts.diagnostics);
      if (parts.head) {
        const first = ids.get(parts.head.id);
        if (first) {
          diagnostics.push(diagnose('lesson/duplicate-id', parts.head.idAt, `lesson id \`${parts.head.id}\` is already used by ${first.idAt.file}:${first.idAt.line}`));
        } else {
          ids.set(parts.head.id, parts.head);
        }
      }
      lessonIds[entry.file] = parts.head?.id ?? path.basename(entry.file, '.md');
      lessons.push({
        course,
        moduleIndex,
        file: entry.file,
        shown,
        ...(parts.head ? { head: parts.head } : {}),
        input: { body: parts.body, bodyLine: parts.bodyLine, displayFile: shown, lessonFile: entry.file, courseRoot: course.root, lessonIds },
      });
    }
  });
  return lessons;
}

function toLesson(p: PendingLesson, head: LessonHead, competencies: Lesson['competencies'], body: CompiledLessonBody): Lesson {
  const files = new Set<string>();
  for (const ref of body.references) if (ref.resolution.to === 'file') files.add(ref.resolution.path);
  return {
    id: head.id,
    title: head.title,
    path: path.relative(p.course.root, p.file).split(path.sep).join('/'),
    at: { file: p.shown, line: 1, column: 1 },
    competencies,
    objectives: head.objectives,
    ...(head.duration ? { duration: head.duration } : {}),
    audience: head.audience,
    masteryScore: head.masteryScore,
    keywords: head.keywords,
    blocks: body.blocks,
    files: [...files].sort(),
    language: p.course.language,
  };
}

/**
 * The lesson's narration: its front matter's `narration` (a recording path, true or false), else what it inherits
 * (the course's setting; for a variant, whether its source is narrated: never the source's recording, which speaks
 * another language). A recording path is checked like any media path of the lesson.
 */
function narrationOf(p: PendingLesson, head: LessonHead, inherited: boolean, diagnostics: Diagnostic[]): LessonNarration | undefined {
  const written = head.narration;
  if (written === false || (written === undefined && !inherited)) return undefined;
  if (typeof written !== 'string') return {};
  const at = head.written.get('narration')!;
  const resolution = resolveReference(written, 'audio', p.input);
  if (resolution.to === 'file') return { recording: { path: resolution.path, at } };
  diagnostics.push(...checkReferences([{ kind: 'audio', url: written, at, resolution }], p.file, { anchorsOf: () => undefined }));
  return undefined;
}

/** A variant: its own text, title, objectives and files; what it may not change (competencies, mastery) from its source. */
function toVariant(p: PendingLesson, head: LessonHead, source: Lesson, body: CompiledLessonBody, lang: string): Lesson {
  const own = toLesson(p, head, source.competencies, body);
  return {
    ...own,
    objectives: head.written.has('objectives') ? head.objectives : source.objectives,
    keywords: head.written.has('keywords') ? head.keywords : source.keywords,
    audience: head.written.has('audience') ? head.audience : source.audience,
    ...(source.duration && !head.duration ? { duration: source.duration } : {}),
    masteryScore: source.masteryScore,
    language: lang,
    translationStatus: head.translation?.status ?? 'draft',
  };
}

/** NAME.LANG.md beside each source lesson, for every language the project builds besides the course's own. */
function readVariantHeads(sources: readonly PendingLesson[], languages: readonly string[], projectRoot: string, diagnostics: Diagnostic[]): PendingLesson[] {
  const variants: PendingLesson[] = [];
  for (const source of sources) {
    for (const lang of languages) {
      const file = source.file.replace(/\.md$/, `.${lang}.md`);
      if (!existsSync(file)) continue;
      const shown = displayPath(file, projectRoot);
      const parts = readLessonFile(readSourceText(file), shown, 'variant');
      diagnostics.push(...parts.diagnostics);
      variants.push({
        course: source.course,
        moduleIndex: source.moduleIndex,
        file,
        shown,
        ...(parts.head ? { head: parts.head } : {}),
        input: { ...source.input, body: parts.body, bodyLine: parts.bodyLine, displayFile: shown, lessonFile: file },
        variant: { lang, source },
      });
    }
  }
  return variants;
}
