// cmi5.xml (cmi5 course structure, v1): the course, one block per module, one AU per lesson. The lessons'
// competencies are the course's objectives, so an LMS that reads cmi5 objectives can report by competence.
import { competenceIri, competencesOf, type Framework } from '../../frameworks/framework.js';
import { lessonsOf, quizzesOf, type Course, type Lesson } from '../../model/course.js';
import { lessonPagePath, packageHref } from '../../model/layout.js';
import { el, xmlDocument, type XmlElement } from '../../xml/xml-builder.js';
import type { CourseIris } from './iris.js';

export const CMI5_NAMESPACE = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';
export const LESSON_ACTIVITY_TYPE = 'http://adlnet.gov/expapi/activities/lesson';

export function cmi5CourseStructure(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, iris: CourseIris): string {
  const text = (name: string, value: string, in_ = lang): XmlElement => el(name, {}, el('langstring', { lang: in_ }, value));
  const objectives = courseObjectives(course, lang, frameworks);
  const au = (lesson: Lesson): XmlElement => {
    const scored = quizzesOf(lesson.blocks).length > 0;
    return el(
      'au',
      {
        id: iris.lesson(lesson.id),
        // A lesson without a quiz is done when it has been read; a scored one when it was also passed.
        moveOn: scored ? 'CompletedAndPassed' : 'Completed',
        masteryScore: scored ? lesson.masteryScore : undefined,
        launchMethod: 'AnyWindow',
        activityType: LESSON_ACTIVITY_TYPE,
      },
      // A lesson shown in a fallback language is labelled with that language, not the package's.
      text('title', lesson.title, lesson.language),
      text('description', lesson.objectives.join('\n'), lesson.language),
      lesson.competencies.length > 0 && el('objectives', {}, [...new Set(lesson.competencies.map((c) => competenceIri(frameworks.get(c.framework)!, c.code)))].map((idref) => el('objective', { idref }))),
      el('url', {}, packageHref(lessonPagePath(lesson.id))),
    );
  };
  return xmlDocument(
    el(
      'courseStructure',
      { xmlns: CMI5_NAMESPACE },
      el('course', { id: iris.course }, text('title', course.title), text('description', course.description)),
      objectives.length > 0 && el('objectives', {}, objectives.map((o) => el('objective', { id: o.id }, text('title', o.title), text('description', o.description)))),
      course.modules.map((m) => el('block', { id: iris.module(m.id) }, text('title', m.title), text('description', m.description ?? m.title), m.lessons.map(au))),
    ),
  );
}

/** Every competence the course's lessons are tagged with, once, in framework order. */
function courseObjectives(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>): { id: string; title: string; description: string }[] {
  const english = lang.toLowerCase().startsWith('en');
  const used = new Set(lessonsOf(course).flatMap((l) => l.competencies.map((c) => `${c.framework}:${c.code}`)));
  return course.frameworks.flatMap((id) => {
    const framework = frameworks.get(id)!;
    return competencesOf(framework)
      .filter((c) => used.has(`${id}:${c.code}`))
      .map((c) => ({
        id: competenceIri(framework, c.code),
        title: english ? c.title.en : c.title.vi,
        description: `${id}:${c.code} — ${english ? framework.title.en : framework.title.vi}`,
      }));
  });
}
