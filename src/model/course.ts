// The typed course model: plain data that every target reads and none re-derives from sources.

export type Audience = 'officials' | 'students' | 'workers' | 'citizens';
export type QuizType = 'single' | 'multiple' | 'truefalse' | 'fill';
export const QUIZ_TYPES: readonly QuizType[] = ['single', 'multiple', 'truefalse', 'fill'];
export type CalloutVariant = 'tip' | 'warning' | 'note';
export const CALLOUT_VARIANTS: readonly CalloutVariant[] = ['tip', 'warning', 'note'];

export interface SourceLocation {
  /** Path as shown to users (relative to the project root). */
  file: string;
  line: number;
  column: number;
}

export interface CompetencyRef {
  framework: string;
  code: string;
  level?: number;
  /** The text the author wrote, e.g. "tt02:4.2@2". */
  written: string;
  at: SourceLocation;
}

export interface Choice {
  /** Stable id: a, b, c … by position (true / false for true-false questions). */
  id: string;
  html: string;
  /** Plain text of the choice: the accepted answer for fill-in-the-blank questions. */
  text: string;
  correct: boolean;
  feedbackHtml?: string;
  at: SourceLocation;
}

export interface Quiz {
  id: string;
  type: QuizType;
  questionHtml: string;
  /** Plain text of the question, for LMS interaction descriptions. */
  questionText: string;
  choices: Choice[];
  at: SourceLocation;
}

export interface MediaFile {
  /** Path relative to the course folder, with forward slashes. */
  path: string;
  at: SourceLocation;
}

export type Block =
  | { kind: 'prose'; html: string }
  | { kind: 'callout'; variant: CalloutVariant; titleHtml?: string; blocks: Block[] }
  | { kind: 'steps'; steps: Block[][] }
  | { kind: 'figure'; src: MediaFile; alt: string; captionHtml?: string }
  | { kind: 'audio' | 'video'; src: MediaFile; captions?: MediaFile; poster?: MediaFile; title?: string }
  | { kind: 'quiz'; quiz: Quiz };

export interface Lesson {
  id: string;
  title: string;
  /** The lesson's Markdown file, relative to the course folder. */
  path: string;
  at: SourceLocation;
  competencies: CompetencyRef[];
  objectives: string[];
  duration?: string;
  audience: Audience[];
  masteryScore: number;
  keywords: string[];
  blocks: Block[];
  /** Every file of the course the lesson uses (media, captions, linked documents), relative to the course folder, sorted. */
  files: string[];
  /** The language the lesson is written in (the course's, or its variant's). */
  language: string;
  /** Translated variants (NAME.LANG.md) by language tag; absent on variants themselves. */
  variants?: Record<string, Lesson>;
  /** Variants only: draft until a native speaker reviewed it. */
  translationStatus?: 'draft' | 'reviewed';
  /** Present when the lesson is narrated: by its recording, else synthesized from its text (docs: "Narration"). */
  narration?: LessonNarration;
}

export interface LessonNarration {
  /** A recording of the whole lesson (course-relative); absent: synthesized where the language has a voice. */
  recording?: MediaFile;
}

/** Course texts in another language (course.yaml `translations`); what is missing falls back. */
export interface CourseTexts {
  title?: string;
  description?: string;
  modules?: Record<string, { title?: string; description?: string }>;
}

export interface Module {
  id: string;
  title: string;
  description?: string;
  lessons: Lesson[];
}

export interface Course {
  id: string;
  title: string;
  description: string;
  language: string;
  frameworks: string[];
  keywords: string[];
  modules: Module[];
  /** Texts of the course in other languages, by tag. */
  translations: Record<string, CourseTexts>;
  /** Lesson id → the lessons a learner must pass first, from course.yaml (empty when none are declared). */
  prerequisites: Record<string, string[]>;
  /** course.yaml `narration`: lessons are narrated unless they say `narration: false`. */
  narration?: boolean;
  /** Absolute path of the course folder. */
  root: string;
  at: SourceLocation;
}

export const DEFAULT_MASTERY_SCORE = 0.8;

export function lessonsOf(course: Course): Lesson[] {
  return course.modules.flatMap((m) => m.lessons);
}

/** A course scored as a whole (one SCO) is passed at the strictest mastery score of its lessons. */
export function courseMasteryScore(course: Course): number {
  return Math.max(...lessonsOf(course).map((l) => l.masteryScore));
}

export function quizzesOf(blocks: readonly Block[]): Quiz[] {
  return blocks.flatMap((b): Quiz[] => {
    if (b.kind === 'quiz') return [b.quiz];
    if (b.kind === 'callout') return quizzesOf(b.blocks);
    if (b.kind === 'steps') return b.steps.flatMap(quizzesOf);
    return [];
  });
}

/** Every block, nested ones (in callouts and steps) included, in reading order. */
export function allBlocks(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((b): Block[] => {
    if (b.kind === 'callout') return [b, ...allBlocks(b.blocks)];
    if (b.kind === 'steps') return [b, ...b.steps.flatMap(allBlocks)];
    return [b];
  });
}

/** Every block of a course's lessons and of their translated variants, with the lesson (or variant) it is in. */
export function courseBlocks(course: Course): { block: Block; lesson: Lesson }[] {
  return lessonsOf(course)
    .flatMap((lesson) => [lesson, ...Object.values(lesson.variants ?? {})])
    .flatMap((lesson) => allBlocks(lesson.blocks).map((block) => ({ block, lesson })));
}
