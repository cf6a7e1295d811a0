// @vitest-environment node
// Manifests as the LMS reads them: official schemas, course order, files per SCO, metadata, mastery and sequencing.
import path from 'node:path';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/compile-project.js';
import type { Framework } from '../../src/frameworks/framework.js';
import { lessonsOf, quizzesOf, type Course } from '../../src/model/course.js';
import { loadConfig } from '../../src/project/config.js';
import { courseRecord, lessonRecord, type LomRecord } from '../../src/targets/scorm/lom.js';
import { scorm12Manifest } from '../../src/targets/scorm/manifest-12.js';
import { scorm2004Manifest } from '../../src/targets/scorm/manifest-2004.js';
import { courseScoPlan, lessonScoPlan } from '../../src/targets/scorm/plan.js';
import { xsdProblems } from '../../src/xml/xsd.js';
import { REPO, templateProject } from '../helpers/project.js';

const NS = {
  cp12: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
  adlcp12: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
  md: 'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1',
  cp: 'http://www.imsglobal.org/xsd/imscp_v1p1',
  adlcp: 'http://www.adlnet.org/xsd/adlcp_v1p3',
  adlseq: 'http://www.adlnet.org/xsd/adlseq_v1p3',
  imsss: 'http://www.imsglobal.org/xsd/imsss',
  lom: 'http://ltsc.ieee.org/xsd/LOM',
};
// The IEEE LOM schemas are not needed to build (2004 manifests take LOM laxly) but the tests check our LOM with them.
const LOM_XSD = path.resolve(REPO, '..', 'shared', 'reference', 'xsd', 'scorm2004-4ed', 'lomStrict.xsd');

interface Compiled {
  course: Course;
  frameworks: Map<string, Framework>;
  courseLom: LomRecord;
  lessonLom: Map<string, LomRecord>;
  paths: string[];
}

async function compile(root: string): Promise<Compiled> {
  const { config, diagnostics } = loadConfig(path.join(root, 'hocso.config.yaml'));
  expect(diagnostics).toEqual([]);
  const project = await compileProject(config!);
  expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const course = project.courses[0]!;
  const lessons = lessonsOf(course);
  return {
    course,
    frameworks: project.frameworks,
    courseLom: courseRecord(course, course.language, project.frameworks),
    lessonLom: new Map(lessons.map((l) => [l.id, lessonRecord(l, course.language, project.frameworks)])),
    paths: [...lessons.map((l) => `lessons/${l.id}.html`), ...lessons.flatMap((l) => l.files.map((f) => `files/${f}`)), 'assets/hocso.css', 'assets/hocso.js'],
  };
}

const values = (doc: XmlDocument, xpath: string): string[] => doc.find(xpath, NS).map((n) => n.content);

let sample: Compiled;
beforeAll(async () => {
  xmlRegisterFsInputProviders();
  sample = await compile(REPO);
});

describe('SCORM 1.2 manifest of the sample course', () => {
  let files: Map<string, string>;
  let doc: XmlDocument;
  beforeAll(() => {
    files = scorm12Manifest(lessonScoPlan(sample.course, 'vi', sample.paths), sample.courseLom, sample.lessonLom);
    doc = XmlDocument.fromString(files.get('imsmanifest.xml')!);
  });

  it('is valid against the official IMS CP 1.1.2 + ADL CP 1.2 schemas', () => {
    expect(xsdProblems(files.get('imsmanifest.xml')!, 'scorm12')).toEqual([]);
  });

  it('lists modules, then lessons, in course order, each lesson launching its own SCO', () => {
    expect(values(doc, '//cp12:organization/cp12:item/@identifier')).toEqual(sample.course.modules.map((m) => `MOD-${m.id}`));
    expect(values(doc, '//cp12:item/cp12:item/cp12:title')).toEqual(lessonsOf(sample.course).map((l) => l.title));
    expect(values(doc, '//cp12:item/cp12:item/@identifierref')).toEqual(lessonsOf(sample.course).map((l) => `RES-${l.id}`));
    expect(values(doc, '//cp12:resource[@adlcp12:scormtype="sco"]/@href')).toEqual(lessonsOf(sample.course).map((l) => `lessons/${l.id}.html`));
  });

  it('lists every file a lesson uses in its resource, and the shared assets once, as a dependency', () => {
    const vneid = lessonsOf(sample.course).find((l) => l.id === 'cai-dat-vneid')!;
    expect(vneid.files.length).toBeGreaterThan(0);
    expect(values(doc, '//cp12:resource[@identifier="RES-cai-dat-vneid"]/cp12:file/@href')).toEqual(['lessons/cai-dat-vneid.html', ...vneid.files.map((f) => `files/${f}`)]);
    expect(values(doc, '//cp12:resource[@identifier="RES-cai-dat-vneid"]/cp12:dependency/@identifierref')).toEqual(['RES-shared']);
    expect(values(doc, '//cp12:resource[@identifier="RES-shared"]/cp12:file/@href')).toEqual(['assets/hocso.css', 'assets/hocso.js']);
    expect(values(doc, '//cp12:resource[@identifier="RES-shared"]/@adlcp12:scormtype')).toEqual(['asset']);
  });

  it('gives each scored lesson its mastery score in percent', () => {
    const scored = lessonsOf(sample.course).filter((l) => quizzesOf(l.blocks).length);
    expect(values(doc, '//cp12:item/cp12:item/adlcp12:masteryscore')).toEqual(scored.map((l) => String(Math.round(l.masteryScore * 100))));
  });

  it('links LOM metadata files for the course and each lesson: title, language, keywords, competencies', () => {
    expect(values(doc, '/cp12:manifest/cp12:metadata/adlcp12:location')).toEqual(['metadata/course.xml']);
    const lom = XmlDocument.fromString(files.get('metadata/cai-dat-vneid.xml')!);
    expect(values(lom, '/md:lom/md:general/md:title/md:langstring')).toEqual(['Cài đặt và kích hoạt VNeID']);
    expect(values(lom, '/md:lom/md:general/md:language')).toEqual(['vi']);
    expect(values(lom, '/md:lom/md:general/md:keyword/md:langstring')).toContain('VNeID');
    expect(values(lom, '//md:classification/md:taxonpath/md:taxon/md:taxon/md:id')).toEqual(['2.3', '2.6', '4.2', '0.2', '4.1']);
    expect(values(lom, '//md:classification/md:purpose/md:value/md:langstring')).toEqual(['Educational Objective', 'Educational Objective']);
    expect(values(doc, '//cp12:resource[@identifier="RES-cai-dat-vneid"]/cp12:metadata/adlcp12:location')).toEqual(['metadata/cai-dat-vneid.xml']);
  });
});

describe('SCORM 2004 4th Edition manifest of the sample course', () => {
  let xml: string;
  let doc: XmlDocument;
  beforeAll(() => {
    xml = scorm2004Manifest(lessonScoPlan(sample.course, 'vi', sample.paths), sample.course, sample.courseLom, sample.lessonLom);
    doc = XmlDocument.fromString(xml);
  });

  it('is valid against the official IMS CP 1.1.4, ADL CP/SEQ/NAV 1.3 and IMS SS schemas', () => {
    expect(xsdProblems(xml, 'scorm2004-4ed')).toEqual([]);
  });

  it('has inline LOM that is valid against IEEE LOM (strict)', () => {
    const validator = XsdValidator.fromDoc(XmlDocument.fromString(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:wrapper"><xs:import namespace="${NS.lom}" schemaLocation="${LOM_XSD}"/></xs:schema>`, { url: path.join(path.dirname(LOM_XSD), 'hocso-test-wrapper.xsd') }));
    const records = [...xml.matchAll(/<lom xmlns="http:\/\/ltsc\.ieee\.org\/xsd\/LOM">[\s\S]*?<\/lom>/g)].map((m) => m[0]);
    expect(records).toHaveLength(1 + lessonsOf(sample.course).length);
    for (const record of records) expect(() => validator.validate(XmlDocument.fromString(record))).not.toThrow();
    expect(values(doc, '/cp:manifest/cp:metadata/lom:lom/lom:general/lom:title/lom:string')).toEqual([sample.course.title]);
    expect(values(doc, '//cp:resource[@identifier="RES-cai-dat-vneid"]/cp:metadata/lom:lom//lom:taxon/lom:id')).toEqual(['2', '2.3', '2', '2.6', '4', '4.2', '0', '0.2', '4', '4.1']);
  });

  it('flows through modules and satisfies each scored lesson by its quiz score', () => {
    expect(values(doc, '//cp:organization/imsss:sequencing/imsss:controlMode/@flow')).toEqual(['true']);
    expect(values(doc, '//cp:organization/cp:item/imsss:sequencing/imsss:controlMode/@flow')).toEqual(sample.course.modules.map(() => 'true'));
    const vneid = lessonsOf(sample.course).find((l) => l.id === 'cai-dat-vneid')!;
    const primary = '//cp:item[@identifier="ITEM-cai-dat-vneid"]/imsss:sequencing/imsss:objectives/imsss:primaryObjective';
    expect(values(doc, `${primary}/@satisfiedByMeasure`)).toEqual(['true']);
    expect(values(doc, `${primary}/imsss:minNormalizedMeasure`)).toEqual([String(vneid.masteryScore)]);
    expect(values(doc, '//cp:item[@identifier="ITEM-cai-dat-vneid"]/imsss:sequencing/imsss:objectives/imsss:objective/@objectiveID')).toEqual(vneid.competencies.map((c) => `${c.framework}:${c.code}`));
    expect(values(doc, '//cp:resource[@adlcp:scormType="sco"]/@href')).toEqual(lessonsOf(sample.course).map((l) => `lessons/${l.id}.html`));
  });
});

describe('prerequisites declared in course.yaml', () => {
  let compiled: Compiled;
  beforeAll(async () => {
    const root = templateProject({
      'content/courses/khoa-hoc-dau-tien/lessons/bai-hai.md': '---\nid: bai-hai\ntitle: Bài hai\ncompetencies: [tt02:1.1]\nobjectives: [Học tiếp]\n---\n\nNội dung.\n',
    });
    const courseFile = path.join(root, 'content/courses/khoa-hoc-dau-tien/course.yaml');
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(courseFile, `${readFileSync(courseFile, 'utf8').replace(/lessons:\n(\s+)- (.*)\n/, 'lessons:\n$1- $2\n$1- lessons/bai-hai.md\n')}prerequisites:\n  bai-hai: [bai-dau-tien]\n`);
    compiled = await compile(root);
  });

  it('become an AICC prerequisite script in SCORM 1.2', () => {
    const xml = scorm12Manifest(lessonScoPlan(compiled.course, 'vi', compiled.paths), compiled.courseLom, compiled.lessonLom).get('imsmanifest.xml')!;
    expect(xsdProblems(xml, 'scorm12')).toEqual([]);
    expect(values(XmlDocument.fromString(xml), '//cp12:item[@identifier="ITEM-bai-hai"]/adlcp12:prerequisites')).toEqual(['ITEM-bai-dau-tien']);
  });

  it('become a global objective and a precondition that disables the lesson until it is satisfied in SCORM 2004', () => {
    const xml = scorm2004Manifest(lessonScoPlan(compiled.course, 'vi', compiled.paths), compiled.course, compiled.courseLom, compiled.lessonLom);
    expect(xsdProblems(xml, 'scorm2004-4ed')).toEqual([]);
    const doc = XmlDocument.fromString(xml);
    const target = `urn:hocso:${compiled.course.id}:ITEM-bai-dau-tien`;
    expect(values(doc, '//cp:item[@identifier="ITEM-bai-dau-tien"]//imsss:primaryObjective/imsss:mapInfo[@writeSatisfiedStatus="true"]/@targetObjectiveID')).toEqual([target]);
    expect(values(doc, '//cp:item[@identifier="ITEM-bai-hai"]//imsss:objective/imsss:mapInfo[@readSatisfiedStatus="true"]/@targetObjectiveID')).toEqual([target]);
    expect(values(doc, '//cp:item[@identifier="ITEM-bai-hai"]//imsss:preConditionRule/imsss:ruleAction/@action')).toEqual(['disabled']);
    expect(values(doc, '//cp:item[@identifier="ITEM-bai-hai"]//imsss:ruleCondition/@condition')).toEqual(['satisfied', 'objectiveStatusKnown']);
    expect(values(doc, '//cp:organization/@adlseq:objectivesGlobalToSystem')).toEqual(['false']);
  });
});

describe('the whole course as one SCO', () => {
  it('has one item launching sco.html, with every page in its resource', () => {
    const paths = ['sco.html', 'index.html', ...sample.paths];
    const plan = courseScoPlan(sample.course, 'vi', paths, 'sco.html');
    for (const xml of [scorm12Manifest(plan, sample.courseLom, sample.lessonLom).get('imsmanifest.xml')!, scorm2004Manifest(plan, sample.course, sample.courseLom, sample.lessonLom)]) {
      const doc = XmlDocument.fromString(xml);
      expect(doc.find('//*[local-name()="item"]').length).toBe(1);
      const hrefs = values(doc, '//*[local-name()="resource"][1]/*[local-name()="file"]/@href');
      expect(hrefs[0]).toBe('sco.html');
      expect(hrefs).toEqual(expect.arrayContaining(['index.html', ...lessonsOf(sample.course).map((l) => `lessons/${l.id}.html`)]));
    }
  });
});
