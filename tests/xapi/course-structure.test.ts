// @vitest-environment node
// cmi5.xml and tincan.xml as an LMS reads them: the official cmi5 schema, course order, stable IRIs, competencies.
import path from 'node:path';
import { XmlDocument } from 'libxml2-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/compile-project.js';
import { competenceIri, type Framework } from '../../src/frameworks/framework.js';
import { lessonsOf, quizzesOf, type Course } from '../../src/model/course.js';
import { loadConfig } from '../../src/project/config.js';
import { cmi5CourseStructure } from '../../src/targets/xapi/course-structure.js';
import { courseIris } from '../../src/targets/xapi/iris.js';
import { tincanXml } from '../../src/targets/xapi/tincan-xml.js';
import { xsdProblems } from '../../src/xml/xsd.js';
import { REPO } from '../helpers/project.js';

const NS = { c: 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd', t: 'http://projecttincan.com/tincan.xsd' };
const BASE = 'https://w3id.org/hocso/test';
const values = (doc: XmlDocument, xpath: string): string[] => doc.find(xpath, NS).map((n) => n.content);

let course: Course;
let frameworks: Map<string, Framework>;
beforeAll(async () => {
  const { config } = loadConfig(path.join(REPO, 'hocso.config.yaml'));
  const project = await compileProject(config!);
  course = project.courses[0]!;
  frameworks = project.frameworks;
});

describe('activity IRIs', () => {
  it('derive from the base and the stable ids, whatever module a lesson is in', () => {
    const iris = courseIris('https://học-số.vn/xapi/', 'khóa 1');
    expect(iris.course).toBe('https://học-số.vn/xapi/kh%C3%B3a%201');
    expect(iris.module('an-toan')).toBe('https://học-số.vn/xapi/kh%C3%B3a%201/modules/an-toan');
    expect(iris.lesson('otp')).toBe('https://học-số.vn/xapi/kh%C3%B3a%201/lessons/otp');
    expect(iris.question('otp', 'q1')).toBe('https://học-số.vn/xapi/kh%C3%B3a%201/lessons/otp/questions/q1');
  });
});

describe('cmi5.xml of the sample course', () => {
  let xml: string;
  let doc: XmlDocument;
  beforeAll(() => {
    xml = cmi5CourseStructure(course, 'vi', frameworks, courseIris(BASE, course.id));
    doc = XmlDocument.fromString(xml);
  });

  it('is valid against the cmi5 CourseStructure.xsd', () => {
    expect(xsdProblems(xml, 'cmi5')).toEqual([]);
  });

  it('has a block per module and an AU per lesson, in course order, with IRIs, titles and urls', () => {
    expect(values(doc, '/c:courseStructure/c:course/@id')).toEqual([`${BASE}/${course.id}`]);
    expect(values(doc, '/c:courseStructure/c:block/@id')).toEqual(course.modules.map((m) => `${BASE}/${course.id}/modules/${m.id}`));
    expect(values(doc, '//c:au/@id')).toEqual(lessonsOf(course).map((l) => `${BASE}/${course.id}/lessons/${l.id}`));
    expect(values(doc, '//c:au/c:title/c:langstring')).toEqual(lessonsOf(course).map((l) => l.title));
    expect(values(doc, '//c:au/c:title/c:langstring/@lang')).toEqual(lessonsOf(course).map(() => 'vi'));
    expect(values(doc, '//c:au/c:url')).toEqual(lessonsOf(course).map((l) => `lessons/${l.id}.html`));
    expect(values(doc, '//c:au/@launchMethod')).toEqual(lessonsOf(course).map(() => 'AnyWindow'));
  });

  it('moves on when a scored lesson is completed and passed at its mastery score', () => {
    const lessons = lessonsOf(course);
    expect(lessons.every((l) => quizzesOf(l.blocks).length > 0)).toBe(true);
    expect(values(doc, '//c:au/@moveOn')).toEqual(lessons.map(() => 'CompletedAndPassed'));
    expect(values(doc, '//c:au/@masteryScore')).toEqual(lessons.map((l) => String(l.masteryScore)));
  });

  it('lists every competence once as a course objective, and each AU refers to its own', () => {
    const vneid = lessonsOf(course).find((l) => l.id === 'cai-dat-vneid')!;
    const expected = vneid.competencies.map((c) => competenceIri(frameworks.get(c.framework)!, c.code));
    const au = `//c:au[@id="${BASE}/${course.id}/lessons/cai-dat-vneid"]`;
    expect(values(doc, `${au}/c:objectives/c:objective/@idref`)).toEqual(expected);
    const ids = values(doc, '/c:courseStructure/c:objectives/c:objective/@id');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(expected));
    for (const ref of values(doc, '//c:au/c:objectives/c:objective/@idref')) expect(ids).toContain(ref);
  });

  it('moves on by completion alone for a lesson without a quiz', () => {
    const reading = structuredClone({ ...course, modules: [{ ...course.modules[0]!, lessons: [{ ...lessonsOf(course)[0]!, blocks: [] }] }] }) as Course;
    const one = XmlDocument.fromString(cmi5CourseStructure(reading, 'vi', frameworks, courseIris(BASE, course.id)));
    expect(values(one, '//c:au/@moveOn')).toEqual(['Completed']);
    expect(values(one, '//c:au/@masteryScore')).toEqual([]);
  });
});

describe('tincan.xml of the sample course', () => {
  it('launches the course at its index and names every module and lesson with its IRI', () => {
    const doc = XmlDocument.fromString(tincanXml(course, 'vi', courseIris(BASE, course.id), 'index.html'));
    expect(values(doc, '//t:activity[@type="http://adlnet.gov/expapi/activities/course"]/t:launch')).toEqual(['index.html']);
    expect(values(doc, '//t:activity[@type="http://adlnet.gov/expapi/activities/lesson"]/@id')).toEqual(lessonsOf(course).map((l) => `${BASE}/${course.id}/lessons/${l.id}`));
    expect(values(doc, '//t:activity[@type="http://adlnet.gov/expapi/activities/lesson"]/t:launch')).toEqual(lessonsOf(course).map((l) => `lessons/${l.id}.html`));
    expect(values(doc, '//t:activity[@type="http://adlnet.gov/expapi/activities/module"]/t:name')).toEqual(course.modules.map((m) => m.title));
    expect(values(doc, '//t:activity/t:name/@lang').every((l) => l === 'vi')).toBe(true);
  });
});
