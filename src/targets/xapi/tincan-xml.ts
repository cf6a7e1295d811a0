// tincan.xml (Tin Can / xAPI launch packages): the course, launched at its index page, then each module and lesson
// as an activity with its IRI, so an LRS and an LMS name them the same way. Lessons can also be launched alone.
import type { Course } from '../../model/course.js';
import { lessonPagePath, packageHref } from '../../model/layout.js';
import { el, xmlDocument, type XmlElement } from '../../xml/xml-builder.js';
import type { CourseIris } from './iris.js';
import { LESSON_ACTIVITY_TYPE } from './course-structure.js';

export const TINCAN_NAMESPACE = 'http://projecttincan.com/tincan.xsd';

export function tincanXml(course: Course, lang: string, iris: CourseIris, launch: string): string {
  const activity = (id: string, type: string, name: string, description: string | undefined, href?: string, textLang = lang): XmlElement =>
    el('activity', { id, type }, el('name', { lang: textLang }, name), description !== undefined && el('description', { lang: textLang }, description), href !== undefined && el('launch', { lang }, packageHref(href)));
  return xmlDocument(
    el(
      'tincan',
      { xmlns: TINCAN_NAMESPACE },
      el(
        'activities',
        {},
        activity(iris.course, 'http://adlnet.gov/expapi/activities/course', course.title, course.description, launch),
        course.modules.flatMap((m) => [
          activity(iris.module(m.id), 'http://adlnet.gov/expapi/activities/module', m.title, m.description),
          ...m.lessons.map((l) => activity(iris.lesson(l.id), LESSON_ACTIVITY_TYPE, l.title, l.objectives.join('\n'), lessonPagePath(l.id), l.language)),
        ]),
      ),
    ),
  );
}
