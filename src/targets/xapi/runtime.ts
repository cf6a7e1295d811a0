// What runs inside a cmi5 AU or a Tin Can package: the data each page gives templates/xapi/hocso-xapi.js. As for
// SCORM, the script stays small because every value whose shape xAPI fixes (activity definitions, interaction types,
// correct-response patterns, the competence activities) is worked out here, once; the script adds the learner's part.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { competenceIri, competencesOf, type Framework } from '../../frameworks/framework.js';
import { lessonsOf, quizzesOf, type Course, type Lesson, type Quiz } from '../../model/course.js';
import { TEMPLATES_DIR } from '../../paths.js';
import { compactScript } from '../../render/compact-script.js';
import { fill, uiStrings } from '../../render/ui-strings.js';
import type { WebExtension } from '../web.js';
import { LESSON_ACTIVITY_TYPE } from './course-structure.js';
import type { CourseIris } from './iris.js';

export type XapiProfile = 'cmi5' | 'tincan';

const RUNTIME_SCRIPT = 'hocso-xapi.js';

/** Activity types (ADL vocabulary). A competence is an objective: cmi5's best practice for objectives in statements. */
export const XAPI_ACTIVITY_TYPES = {
  course: 'http://adlnet.gov/expapi/activities/course',
  module: 'http://adlnet.gov/expapi/activities/module',
  lesson: LESSON_ACTIVITY_TYPE,
  question: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  competence: 'http://adlnet.gov/expapi/activities/objective',
} as const;

/** xAPI interaction types of our quiz types (xAPI 1.0.3 Data §2.4.4.1.1.1). */
const INTERACTION_TYPES = { single: 'choice', multiple: 'choice', truefalse: 'true-false', fill: 'fill-in' } as const;

type LanguageMap = Record<string, string>;

export interface XapiActivity {
  objectType: 'Activity';
  id: string;
  definition: {
    type: string;
    name: LanguageMap;
    description?: LanguageMap;
    interactionType?: string;
    correctResponsesPattern?: string[];
    choices?: { id: string; description: LanguageMap }[];
  };
}

/** The `xapi` field of a lesson page's #hocso-data. */
export interface XapiLessonData {
  profile: XapiProfile;
  /** The page language: the key of every language map, and context.language. */
  lang: string;
  /** The lesson (in cmi5, its id is replaced by the LMS's activityId, the definition kept). */
  lesson: XapiActivity;
  /** The course and the lesson's module, for context.contextActivities.grouping. */
  grouping: XapiActivity[];
  /** The lesson's competencies, once each, for context.contextActivities.parent. */
  competencies: XapiActivity[];
  /** The lesson's mastery score (cmi5: LMS.LaunchData's masteryScore wins). */
  mastery: number;
  quizzes: { id: string; activity: XapiActivity }[];
  /** The label of the link back to the LMS (cmi5 returnURL). */
  exit: string;
}

let runtimeSource: string | undefined;

/** hocso-xapi.js as every cmi5 and xAPI package ships it (compacted). */
export function xapiRuntimeScript(): string {
  runtimeSource ??= compactScript(readFileSync(path.join(TEMPLATES_DIR, 'xapi', RUNTIME_SCRIPT), 'utf8'));
  return runtimeSource;
}

/** Adds hocso-xapi.js to every page and the `xapi` field of each page's #hocso-data (IRIs, language, mastery, competencies, question definitions). */
export function xapiWebExtension(course: Course, frameworks: ReadonlyMap<string, Framework>, iris: CourseIris, profile: XapiProfile): WebExtension {
  // Lessons are looked up by object: the bundle renders the same course object it was given.
  const lessons = new Set(lessonsOf(course));
  return {
    scripts: [{ name: RUNTIME_SCRIPT, source: xapiRuntimeScript() }],
    // The course index (Tin Can) only keeps the launch parameters for the lesson pages the learner opens from it.
    pageData: (lesson) => ({ xapi: lesson && lessons.has(lesson) ? lessonData(course, lesson, frameworks, iris, profile) : { profile, lang: course.language } }),
  };
}

function lessonData(course: Course, lesson: Lesson, frameworks: ReadonlyMap<string, Framework>, iris: CourseIris, profile: XapiProfile): XapiLessonData {
  const lang = course.language;
  const t = uiStrings(lang);
  const module = course.modules.find((m) => m.lessons.includes(lesson))!;
  const text = (value: string | undefined): LanguageMap | undefined => (value?.trim() ? { [lang]: value.trim() } : undefined);
  const definition = (type: string, name: string, description?: string): XapiActivity['definition'] => ({ type, name: { [lang]: name.trim() }, ...(text(description) ? { description: text(description)! } : {}) });
  // The same names and descriptions as cmi5.xml and tincan.xml give these activities.
  const activity = (id: string, type: string, name: string, description?: string): XapiActivity => ({ objectType: 'Activity', id, definition: definition(type, name, description) });
  return {
    profile,
    lang,
    lesson: activity(iris.lesson(lesson.id), XAPI_ACTIVITY_TYPES.lesson, lesson.title, lesson.objectives.join('\n')),
    grouping: [activity(iris.course, XAPI_ACTIVITY_TYPES.course, course.title, course.description), activity(iris.module(module.id), XAPI_ACTIVITY_TYPES.module, module.title, module.description)],
    competencies: competencyActivities(lesson, frameworks, lang),
    mastery: lesson.masteryScore,
    quizzes: quizzesOf(lesson.blocks).map((quiz, n) => ({
      id: quiz.id,
      activity: {
        objectType: 'Activity',
        id: iris.question(lesson.id, quiz.id),
        definition: {
          // Named as the page titles it, after the lesson; the question itself is the description.
          ...definition(XAPI_ACTIVITY_TYPES.question, `${lesson.title} — ${fill(t.question!, { n: n + 1 })}`, oneLine(quiz.questionText)),
          ...interaction(quiz, lang),
        },
      },
    })),
    exit: t.courseHome!,
  };
}

/** One activity per competence the lesson is tagged with (a competence tagged at two levels is one activity). */
function competencyActivities(lesson: Lesson, frameworks: ReadonlyMap<string, Framework>, lang: string): XapiActivity[] {
  const english = lang.toLowerCase().startsWith('en');
  const seen = new Map<string, XapiActivity>();
  for (const ref of lesson.competencies) {
    const framework = frameworks.get(ref.framework)!;
    const id = competenceIri(framework, ref.code);
    if (seen.has(id)) continue;
    const competence = competencesOf(framework).find((c) => c.code === ref.code)!;
    seen.set(id, {
      objectType: 'Activity',
      id,
      definition: {
        type: XAPI_ACTIVITY_TYPES.competence,
        name: { [lang]: english ? competence.title.en : competence.title.vi },
        // As cmi5.xml describes the course's objectives.
        description: { [lang]: `${ref.framework}:${ref.code} — ${english ? framework.title.en : framework.title.vi}` },
      },
    });
  }
  return [...seen.values()];
}

/**
 * The interaction part of a question's definition (xAPI 1.0.3 Data §2.4.4.1.1): its type, the choices (ids and
 * texts) of a choice question, and correctResponsesPattern:
 * - choice: the right ids joined by `[,]` (one pattern: every right choice, in any order);
 * - true-false: `true` or `false` (no choices component: xAPI allows none for true-false);
 * - fill-in: one pattern per accepted answer, `{case_matters=false}text`, since hocso ignores case; a `[,]` inside an
 *   answer would split it into two blanks, so it becomes `,`.
 */
function interaction(quiz: Quiz, lang: string): Pick<XapiActivity['definition'], 'interactionType' | 'correctResponsesPattern' | 'choices'> {
  const correct = quiz.choices.filter((c) => c.correct);
  switch (quiz.type) {
    case 'truefalse':
      return { interactionType: INTERACTION_TYPES.truefalse, correctResponsesPattern: [correct[0]?.id === 'true' ? 'true' : 'false'] };
    case 'fill':
      return {
        interactionType: INTERACTION_TYPES.fill,
        correctResponsesPattern: [...new Set(correct.map((c) => `{case_matters=false}${oneLine(c.text).replace(/\[,\]/g, ',')}`))],
      };
    default:
      return {
        interactionType: INTERACTION_TYPES[quiz.type],
        correctResponsesPattern: [correct.map((c) => c.id).join('[,]')],
        choices: quiz.choices.map((c) => ({ id: c.id, description: { [lang]: oneLine(c.text) || c.id } })),
      };
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
