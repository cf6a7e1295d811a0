// What runs inside a SCORM SCO: the data each page gives templates/scorm/hocso-scorm.js, and sco.html, the page that
// holds the LMS session when the whole course is one SCO. The script stays small because the formats of every value it
// sends (interaction types, correct-response patterns, ids) are worked out here, once, for the package's SCORM version.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASSETS_DIR, lessonPagePath } from '../../model/layout.js';
import { courseMasteryScore, lessonsOf, quizzesOf, type Course, type Lesson, type Quiz } from '../../model/course.js';
import { TEMPLATES_DIR } from '../../paths.js';
import { compactScript } from '../../render/compact-script.js';
import { scriptJson, templateEngine } from '../../render/templates.js';
import type { WebExtension } from '../web.js';

export type ScormVersion = '1.2' | '2004';

/** The page that holds the LMS session in single-SCO mode (the SCO's launch file), at the bundle's root. */
export const SCO_SHELL_PATH = 'sco.html';

const RUNTIME_SCRIPT = 'hocso-scorm.js';
/** The iframe in sco.html that shows the course (on resume, the runtime points the first iframe at the lesson). */
const SHELL_FRAME_ID = 'hocso-frame';

/** The interaction vocabulary both versions share for our quiz types (RTE 1.2 §3.4.2.7.2, 2004 §4.1.6.2). */
const INTERACTION_TYPES = { single: 'choice', multiple: 'choice', truefalse: 'true-false', fill: 'fill-in' } as const;

/** SCORM 2004 caps interaction descriptions and fill-in strings at 250 characters (localized_string_type SPM). */
const MAX_2004_STRING = 250;
/** SCORM 1.2 caps a fill-in pattern at 255 characters (CMIString255). */
const MAX_12_STRING = 255;

let runtimeSource: string | undefined;

/** hocso-scorm.js as every package ships it (compacted, see compactScript). */
export function scormRuntimeScript(): string {
  runtimeSource ??= compactScript(readFileSync(path.join(TEMPLATES_DIR, 'scorm', RUNTIME_SCRIPT), 'utf8'));
  return runtimeSource;
}

/** Adds hocso-scorm.js to every page and the `scorm` field of each page's #hocso-data. mode 'lesson': each lesson page is one SCO; 'course': the whole course is one SCO whose session lives in sco.html. */
export function scormWebExtension(course: Course, version: ScormVersion, mode: 'lesson' | 'course'): WebExtension {
  // Lessons are looked up by object: the bundle renders the same course object it was given.
  const lessons = new Set(lessonsOf(course));
  return {
    scripts: [{ name: RUNTIME_SCRIPT, source: scormRuntimeScript() }],
    pageData: (lesson) => ({ scorm: lesson && lessons.has(lesson) ? lessonData(lesson, version, mode) : { version, mode } }),
  };
}

/** sco.html for single-SCO mode: a page that holds the LMS session and shows the course (index.html, then lesson pages) in an iframe. */
export function renderScoShell(course: Course, lang: string, version: ScormVersion): string {
  const lessons = lessonsOf(course);
  const data = {
    scorm: {
      version,
      mode: 'course',
      // One score for the whole course: it passes at the strictest mastery score of its lessons (an LMS value wins).
      mastery: courseMasteryScore(course),
      lessons: lessons.map((l) => ({ id: l.id, page: lessonPagePath(l.id), interactions: quizzesOf(l.blocks).map((q) => interactionId(l, q, 'course')) })),
    },
  };
  return templateEngine('scorm').render('./sco', {
    lang,
    title: course.title,
    frameId: SHELL_FRAME_ID,
    start: 'index.html',
    script: `${ASSETS_DIR}/${RUNTIME_SCRIPT}`,
    dataJson: scriptJson(data),
  });
}

function lessonData(lesson: Lesson, version: ScormVersion, mode: 'lesson' | 'course'): Record<string, unknown> {
  return {
    version,
    mode,
    lesson: lesson.id,
    mastery: lesson.masteryScore,
    // A competency tagged twice at different levels is one objective.
    objectives: [...new Set(lesson.competencies.map((c) => `${c.framework}:${c.code}`))],
    quizzes: quizzesOf(lesson.blocks).map((quiz) => ({
      id: quiz.id,
      interaction: interactionId(lesson, quiz, mode),
      type: INTERACTION_TYPES[quiz.type],
      patterns: correctPatterns(quiz, version),
      // SCORM 1.2 interactions have no description element (cmi.interactions.n has id, objectives, time, type,
      // correct_responses, weighting, student_response, result, latency): the question text is only sent for 2004.
      ...(version === '2004' ? { description: description(quiz.questionText) } : {}),
    })),
  };
}

/**
 * The interaction id: the quiz id, prefixed with the lesson id when one SCO holds the whole course. Characters an
 * identifier may not hold (1.2 CMIIdentifier is ASCII without spaces; 2004 ids are URI-like) are percent-encoded.
 */
function interactionId(lesson: Lesson, quiz: Quiz, mode: 'lesson' | 'course'): string {
  const id = encodeURIComponent(quiz.id).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return mode === 'course' ? `${lesson.id}.${id}` : id;
}

/**
 * cmi.interactions.n.correct_responses.n.pattern values, one entry per accepted response.
 * - 1.2 (RTE §3.4.2.7.5): choice `a,b`; true-false `t`/`f`; fill-in the plain text (CMIString255, spaces significant).
 * - 2004 (RTE §4.2.9.1): choice `a[,]b` (short identifiers joined by the reserved `[,]`); true-false `true`/`false`;
 *   fill-in `{case_matters=false}text`, since hocso ignores case. Patterns may not start or end with spaces
 *   (scorm-again rejects them as type mismatches) and a `[,]` inside an answer would split it into two blanks.
 */
function correctPatterns(quiz: Quiz, version: ScormVersion): string[] {
  const correct = quiz.choices.filter((c) => c.correct);
  switch (quiz.type) {
    case 'truefalse': {
      const value = correct[0]?.id === 'true' ? 'true' : 'false';
      return [version === '1.2' ? value.charAt(0) : value];
    }
    case 'fill': {
      const patterns = correct.map((c) => {
        const text = c.text.replace(/\s+/g, ' ').trim();
        return version === '1.2' ? truncate(text, MAX_12_STRING) : `{case_matters=false}${truncate(text.replace(/\[,\]/g, ','), MAX_2004_STRING)}`;
      });
      return [...new Set(patterns)];
    }
    default:
      return [correct.map((c) => c.id).join(version === '1.2' ? ',' : '[,]')];
  }
}

/** The question as one line of at most 250 characters, not starting with `{` (which would read as a `{lang=…}` tag). */
function description(questionText: string): string {
  return truncate(questionText.replace(/\s+/g, ' ').trim().replace(/^\{+\s*/, ''), MAX_2004_STRING);
}

/** At most `max` UTF-16 units (what the SCORM regexes of scorm-again count), cut between characters, with an ellipsis. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out.trimEnd()}…`;
}
