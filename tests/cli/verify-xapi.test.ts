import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectPackageFiles, verifyPackageZip } from '../../src/verify/package.js';
import { hocso, tempDir, type RunResult } from '../helpers/project.js';
import { lineOf, scorm12ExternalMetadata, writeFiles, zipBytes, type PackageFiles } from '../helpers/scorm-fixtures.js';
import { cmi5Course, cmi5SpecExamples, cmi5Storyline, tincanIspring, tincanStoryline } from '../helpers/xapi-fixtures.js';

interface Reported {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
  hint: string;
}

/** Writes the zip into its own temp folder and runs verify there, as a user would: JSON, and pretty. */
async function verifyZip(files: PackageFiles | Buffer): Promise<{ result: RunResult; json: { errors: number; warnings: number; diagnostics: Reported[] } }> {
  const dir = tempDir('hocso-verify-xapi-');
  writeFileSync(path.join(dir, 'goi.zip'), Buffer.isBuffer(files) ? files : await zipBytes(files));
  const json = hocso(['verify', 'goi.zip', '--format', 'json'], dir);
  return { result: hocso(['verify', 'goi.zip'], dir), json: JSON.parse(json.stdout) };
}

const textOf = (files: PackageFiles, name: string): string => {
  const content = files[name];
  return typeof content === 'string' ? content : new TextDecoder().decode(content);
};
const edit = (files: PackageFiles, name: string, change: (text: string) => string): PackageFiles => {
  const before = textOf(files, name);
  const after = change(before);
  if (after === before) throw new Error(`the edit changed nothing in ${name}`);
  return { ...files, [name]: after };
};
const without = (files: PackageFiles, name: string): PackageFiles => {
  const copy = { ...files };
  delete copy[name];
  return copy;
};
const noStackTrace = (result: RunResult): void => expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe('hocso verify accepts cmi5 course structures and packages', () => {
  it.each(cmi5SpecExamples())('the cmi5 spec example %s, as a course structure', async (_name, files) => {
    const { result, json } = await verifyZip(files);
    expect(json.diagnostics).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^✓ goi\.zip: cmi5, (?:\d+ blocks, )?\d+ AUs?, \d+ files?\n$/);
  });

  it('the complex spec example counts its blocks and AUs', async () => {
    const complex = cmi5SpecExamples().find(([name]) => name === 'complex-cmi5.xml')![1];
    const { result } = await verifyZip(complex);
    expect(result.stderr).toBe('✓ goi.zip: cmi5, 6 blocks, 14 AUs, 1 file\n');
  });

  it('a multi-AU course with objectives, nested blocks, relative and absolute AU urls', async () => {
    const files = cmi5Course();
    const { result, json } = await verifyZip(files);
    expect(json.diagnostics).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`✓ goi.zip: cmi5, 3 blocks, 3 AUs, ${Object.keys(files).length} files\n`);
  });

  it('a single-AU package in Articulate Storyline\'s style', async () => {
    const files = cmi5Storyline();
    const { result, json } = await verifyZip(files);
    expect(json.diagnostics).toEqual([]);
    expect(result.stderr).toBe(`✓ goi.zip: cmi5, 1 AU, ${Object.keys(files).length} files\n`);
  });

  it('an extracted folder, or the path of its cmi5.xml', () => {
    const dir = tempDir('hocso-verify-xapi-');
    writeFiles(path.join(dir, 'khoa-hoc'), cmi5Course());
    const folder = hocso(['verify', 'khoa-hoc'], dir);
    expect(folder.code).toBe(0);
    expect(folder.stderr).toMatch(/^✓ khoa-hoc: cmi5, 3 blocks, 3 AUs, \d+ files\n$/);
    const manifest = hocso(['verify', 'khoa-hoc/cmi5.xml'], dir);
    expect(manifest.code).toBe(0);
  });

  it('files no AU reaches are warnings (exit 0), one per file', async () => {
    const { result, json } = await verifyZip({ ...cmi5Course(), 'bai-1/ban-nhap.html': 'draft', 'notes.txt': 'x' });
    expect(result.code).toBe(0);
    expect(json.diagnostics.map((d) => [d.ruleId, d.severity, d.file])).toEqual([
      ['package/unused-file', 'warning', 'goi.zip!/bai-1/ban-nhap.html'],
      ['package/unused-file', 'warning', 'goi.zip!/notes.txt'],
    ]);
    expect(result.stderr).toContain('2 warnings');
  });
});

describe('hocso verify accepts Tin Can (xAPI) packages', () => {
  const styles: [string, () => PackageFiles, number][] = [
    ['Articulate Storyline\'s style (a byte-order mark, lang "und", interactions without launch)', tincanStoryline, 5],
    ['iSpring\'s style (launch in res/, names in two languages)', tincanIspring, 3],
  ];
  it.each(styles)('%s', async (_name, fixture, activities) => {
    const files = fixture();
    const { result, json } = await verifyZip(files);
    expect(json.diagnostics).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`✓ goi.zip: Tin Can, ${activities} activities, ${Object.keys(files).length} files\n`);
  });

  it('a tincan.xml alone with an absolute launch URL', async () => {
    const files = edit({ 'tincan.xml': textOf(tincanIspring(), 'tincan.xml') }, 'tincan.xml', (x) => x.replace('res/index.html', 'https://lms.example.vn/qr/index.html'));
    const { result } = await verifyZip(files);
    expect(result.code).toBe(0);
  });
});

interface NegativeCase {
  name: string;
  files: PackageFiles;
  manifest: 'cmi5.xml' | 'tincan.xml';
  rule: string;
  /** The text of the manifest line the diagnostic must point at. */
  at: string;
  message: RegExp;
}

const course = cmi5Course();
const withCmi5 = (change: (xml: string) => string): PackageFiles => edit(course, 'cmi5.xml', change);
const storyline = tincanStoryline();
const withTincan = (change: (xml: string) => string): PackageFiles => edit(storyline, 'tincan.xml', change);

const negatives: NegativeCase[] = [
  {
    name: 'cmi5: a relative AU url whose file is missing',
    files: without(course, 'bai-1/index.html'),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-au-url',
    at: '<url>bai-1/index.html?lang=vi</url>',
    message: /url "bai-1\/index\.html\?lang=vi" → "bai-1\/index\.html" is not in the package$/,
  },
  {
    name: 'cmi5: an AU url file whose name differs only in case',
    files: withCmi5((x) => x.replace('<url>bai-1/index.html?lang=vi</url>', '<url>Bai-1/index.html</url>')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-au-url',
    at: '<url>Bai-1/index.html</url>',
    message: /the package has "bai-1\/index\.html": names are case-sensitive/,
  },
  {
    name: 'cmi5: an AU url carrying a launch parameter the LMS adds',
    files: withCmi5((x) => x.replace('<url>bai-1/index.html?lang=vi</url>', '<url>bai-1/index.html?registration=1</url>')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-au-url',
    at: '<url>bai-1/index.html?registration=1</url>',
    message: /carries "registration", which the LMS adds/,
  },
  {
    name: 'cmi5: an AU id that is a relative name, not an IRI',
    files: withCmi5((x) => x.replace('<au id="https://lms.example.vn/courses/an-toan-mang/aus/1"', '<au id="bai-1"')),
    manifest: 'cmi5.xml',
    rule: 'package/not-an-iri',
    at: '<au id="bai-1"',
    message: /<au id="bai-1">: the id has no scheme/,
  },
  {
    name: 'cmi5: a block id used twice',
    files: withCmi5((x) => x.replace('<block id="https://lms.example.vn/courses/an-toan-mang/blocks/2-1">', '<block id="https://lms.example.vn/courses/an-toan-mang/blocks/1">')),
    manifest: 'cmi5.xml',
    rule: 'package/duplicate-iri',
    at: '<block id="https://lms.example.vn/courses/an-toan-mang/blocks/1">\n      <title><langstring lang="vi">Phần 2.1',
    message: /<block> id "https:\/\/lms\.example\.vn\/courses\/an-toan-mang\/blocks\/1" is already the id of <block> at line \d+/,
  },
  {
    name: 'cmi5: an AU and an objective sharing an id',
    files: withCmi5((x) => x.replace('<au id="urn:uuid:5c8a6a3e-7d1f-4a8e-9a51-0f1e2d3c4b5a"', '<au id="https://lms.example.vn/objectives/lua-dao"')),
    manifest: 'cmi5.xml',
    rule: 'package/duplicate-iri',
    at: '<au id="https://lms.example.vn/objectives/lua-dao"',
    message: /is already the id of <objective> at line \d+/,
  },
  {
    name: 'cmi5: masteryScore 1.5',
    files: withCmi5((x) => x.replace('masteryScore="0.8"', 'masteryScore="1.5"')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-mastery-score',
    at: '<au id="https://lms.example.vn/courses/an-toan-mang/aus/2"',
    message: /masteryScore 1\.5 is outside 0\.\.1$/,
  },
  {
    name: 'cmi5: masteryScore written as a percentage',
    files: withCmi5((x) => x.replace('masteryScore="0.8"', 'masteryScore="80"')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-mastery-score',
    at: '<au id="https://lms.example.vn/courses/an-toan-mang/aus/2"',
    message: /masteryScore 80 is outside 0\.\.1 \(for 80% write 0\.8\)/,
  },
  {
    name: 'cmi5: a moveOn in the wrong case',
    files: withCmi5((x) => x.replace('moveOn="Passed"', 'moveOn="passed"')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-move-on',
    at: '<au id="urn:uuid:',
    message: /moveOn "passed" is not a cmi5 value — did you mean `Passed`\?/,
  },
  {
    name: 'cmi5: an unknown launchMethod',
    files: withCmi5((x) => x.replace('launchMethod="OwnWindow"', 'launchMethod="ownWindow"')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-launch-method',
    at: '<au id="https://lms.example.vn/courses/an-toan-mang/aus/2"',
    message: /launchMethod "ownWindow" is neither AnyWindow nor OwnWindow — did you mean `OwnWindow`\?/,
  },
  {
    name: 'cmi5: a language tag that is not BCP 47',
    files: withCmi5((x) => x.replace('<langstring lang="en-US">', '<langstring lang="en_US">')),
    manifest: 'cmi5.xml',
    rule: 'package/language-tag',
    at: '<langstring lang="en_US">',
    message: /"en_US" is not a well-formed BCP 47 language tag \(BCP 47 uses hyphens: en-US\)/,
  },
  {
    name: 'cmi5: an objective idref the course does not declare',
    files: withCmi5((x) => x.replace('<objective idref="https://lms.example.vn/objectives/lua-dao"/>', '<objective idref="https://lms.example.vn/objectives/lua-dao-qr"/>')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-objective',
    at: '<objective idref="https://lms.example.vn/objectives/lua-dao-qr"/>',
    message: /<au id="urn:uuid:[^"]+">: objective idref "https:\/\/lms\.example\.vn\/objectives\/lua-dao-qr" is not an objective of the course — did you mean `https:\/\/lms\.example\.vn\/objectives\/lua-dao`\?/,
  },
  {
    name: 'cmi5: a schema violation (a misspelt element)',
    files: withCmi5((x) => x.replace('<title><langstring lang="vi">Bài 2</langstring></title>', '<titel><langstring lang="vi">Bài 2</langstring></titel>')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-schema',
    at: '<titel>',
    message: /Element 'cmi5:titel': This element is not expected\. Expected is \( cmi5:title \)/,
  },
  {
    name: 'cmi5: a schema violation (an AU without its url)',
    files: withCmi5((x) => x.replace('        <url>https://video.example.vn/lua-dao/launch.html</url>\n', '')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-schema',
    at: '<au id="urn:uuid:',
    message: /Element 'cmi5:au': Missing child element\(s\)\. Expected is .*cmi5:url/,
  },
  {
    name: 'cmi5: not well-formed',
    files: withCmi5((x) => x.replace('<description>\n      <langstring lang="vi">Khóa', '<description>\n      <langstring lang="vi">Khóa & ')),
    manifest: 'cmi5.xml',
    rule: 'package/manifest-syntax',
    at: '<langstring lang="vi">Khóa & ',
    message: /./,
  },
  {
    name: 'cmi5: the namespace of a draft',
    files: withCmi5((x) => x.replace('https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd', 'http://www.adlnet.gov/cmi5/CourseStructure.xsd')),
    manifest: 'cmi5.xml',
    rule: 'package/cmi5-schema',
    at: '<courseStructure',
    message: /the root element is <courseStructure> in the namespace "http:\/\/www\.adlnet\.gov\/cmi5\/CourseStructure\.xsd" \(the namespace of a cmi5 draft\)/,
  },
  {
    name: 'Tin Can: a launch file that is missing',
    files: without(storyline, 'story.html'),
    manifest: 'tincan.xml',
    rule: 'package/tincan-launch',
    at: '<launch lang="und">story.html</launch>',
    message: /<launch> "story\.html" is not in the package$/,
  },
  {
    name: 'Tin Can: an activity id that is not an IRI',
    files: withTincan((x) => x.replace('<activity id="http://example.com/6ZJv3JQ7iNQ/5kFh3eBn1xE"', '<activity id="5kFh3eBn1xE"')),
    manifest: 'tincan.xml',
    rule: 'package/not-an-iri',
    at: '<activity id="5kFh3eBn1xE"',
    message: /<activity id="5kFh3eBn1xE">: the id has no scheme/,
  },
  {
    name: 'Tin Can: an activity type that is not an IRI',
    files: withTincan((x) => x.replace('type="http://adlnet.gov/expapi/activities/module">\n      <name lang="und">Before', 'type="module">\n      <name lang="und">Before')),
    manifest: 'tincan.xml',
    rule: 'package/not-an-iri',
    at: '<activity id="http://example.com/6ZJv3JQ7iNQ/5kFh3eBn1xE"',
    message: /type "module" has no scheme/,
  },
  {
    name: 'Tin Can: an activity id used twice',
    files: withTincan((x) => x.replace('<activity id="http://example.com/6ZJv3JQ7iNQ/6b4kQ1r7wNp"', '<activity id="http://example.com/6ZJv3JQ7iNQ/5kFh3eBn1xE"')),
    manifest: 'tincan.xml',
    rule: 'package/duplicate-iri',
    at: '<activity id="http://example.com/6ZJv3JQ7iNQ/5kFh3eBn1xE" type="http://adlnet.gov/expapi/activities/module">\n      <name lang="und">Leaving',
    message: /activity id "http:\/\/example\.com\/6ZJv3JQ7iNQ\/5kFh3eBn1xE" is already the id of the <activity> at line \d+/,
  },
  {
    name: 'Tin Can: an activity without a name',
    files: withTincan((x) => x.replace('      <name lang="und">Before the fire</name>\n', '')),
    manifest: 'tincan.xml',
    rule: 'package/tincan-structure',
    at: '<activity id="http://example.com/6ZJv3JQ7iNQ/5kFh3eBn1xE"',
    message: /has no <name>/,
  },
  {
    name: 'Tin Can: no activity has a launch',
    files: withTincan((x) => x.replace('      <launch lang="und">story.html</launch>\n', '')),
    manifest: 'tincan.xml',
    rule: 'package/tincan-structure',
    at: '<activities>',
    message: /no <activity> has a <launch>: an LMS has nothing to open/,
  },
  {
    name: 'Tin Can: the root without its namespace',
    files: withTincan((x) => x.replace('<tincan xmlns="http://projecttincan.com/tincan.xsd">', '<tincan>')),
    manifest: 'tincan.xml',
    rule: 'package/tincan-structure',
    at: '<tincan>',
    message: /<tincan> is in no namespace; LMSs look for xmlns="http:\/\/projecttincan\.com\/tincan\.xsd"/,
  },
  {
    name: 'Tin Can: a bad language tag',
    files: withTincan((x) => x.replace('<name lang="und">Before the fire</name>', '<name lang="en-a">Before the fire</name>')),
    manifest: 'tincan.xml',
    rule: 'package/language-tag',
    at: '<name lang="en-a">',
    message: /<name lang="en-a">: "en-a" is not a well-formed BCP 47 language tag/,
  },
];

describe('hocso verify: cmi5 and Tin Can problems give a diagnostic at the manifest line, and exit 1', () => {
  it.each(negatives)('$name', async ({ files, manifest, rule, at, message }) => {
    const { result, json } = await verifyZip(files);
    const line = lineOf(textOf(files, manifest), at);
    expect(result.code).toBe(1);
    noStackTrace(result);
    expect(result.stderr).toMatch(new RegExp(`goi\\.zip!/${manifest.replace('.', '\\.')}:${line}:\\d+\\s+error\\s+.*${rule.replace('/', '\\/')}\\n\\s+hint: `));
    expect(result.stderr).toMatch(/✗ goi\.zip: \d+ errors?/);
    const found = json.diagnostics.filter((d) => d.ruleId === rule);
    expect(found).toContainEqual(expect.objectContaining({ ruleId: rule, severity: 'error', file: `goi.zip!/${manifest}`, line, hint: expect.any(String) }));
    expect(found.filter((d) => d.line === line).map((d) => d.message).join('\n')).toMatch(message);
  });

  it('a friendlier message replaces the schema\'s for the same attribute, not as well as it', async () => {
    const { json } = await verifyZip(withCmi5((x) => x.replace('masteryScore="0.8"', 'masteryScore="1.5"').replace('<langstring lang="en-US">', '<langstring lang="en_US">').replace('moveOn="Passed"', 'moveOn="passed"')));
    expect(json.diagnostics.map((d) => d.ruleId).sort()).toEqual(['package/cmi5-mastery-score', 'package/cmi5-move-on', 'package/language-tag']);
  });

  it('a cmi5.xml alone whose AU url is relative: missing, with the hint to make it absolute', async () => {
    const { result, json } = await verifyZip({ 'cmi5.xml': textOf(course, 'cmi5.xml') });
    expect(result.code).toBe(1);
    expect(json.diagnostics.filter((d) => d.ruleId === 'package/cmi5-au-url')).toHaveLength(2);
    expect(json.diagnostics[0]!.hint).toMatch(/a cmi5\.xml on its own needs absolute URLs/);
  });
});

describe('hocso verify: which manifest decides the kind', () => {
  it('no manifest of any kind: not a package, naming all three manifests', async () => {
    const { result, json } = await verifyZip({ 'index.html': 'x' });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/manifest-missing', file: 'goi.zip', line: 1, message: expect.stringContaining('no imsmanifest.xml, cmi5.xml or tincan.xml in the package: this is not a SCORM package') })]);
    expect(json.diagnostics[0]!.hint).toMatch(/imsmanifest\.xml \(SCORM\), cmi5\.xml \(cmi5\) or tincan\.xml \(Tin Can\)/);
  });

  it('a cmi5.xml or tincan.xml in a subfolder (the folder was zipped, not its contents)', async () => {
    for (const [files, manifest] of [[cmi5Course(), 'cmi5.xml'], [tincanIspring(), 'tincan.xml']] as const) {
      const nested = Object.fromEntries(Object.entries(files).map(([name, content]) => [`khoa-hoc/${name}`, content]));
      const { result, json } = await verifyZip(nested);
      expect(result.code).toBe(1);
      expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/manifest-missing', file: 'goi.zip', message: `${manifest} is not at the root of the package but in "khoa-hoc/": zip the contents of that folder instead` })]);
    }
  });

  it('a zip with both imsmanifest.xml and cmi5.xml is checked as both, and each kind\'s manifest is not unused by the other', async () => {
    const scorm = scorm12ExternalMetadata();
    const both = { ...scorm, ...cmi5Course() };
    const { result, json } = await verifyZip(both);
    expect(json.diagnostics).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`✓ goi.zip: SCORM 1.2 + cmi5, 2 SCOs, 3 blocks, 3 AUs, ${Object.keys(both).length} files\n`);
    // A problem in either manifest fails the package.
    const broken = await verifyZip({ ...both, 'cmi5.xml': textOf(both, 'cmi5.xml').replace('masteryScore="0.8"', 'masteryScore="2"') });
    expect(broken.result.code).toBe(1);
    expect(broken.json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/cmi5-mastery-score', file: 'goi.zip!/cmi5.xml' })]);
    // A file is unused only when no kind uses it: the SCORM files are not unused for cmi5, and one no kind uses is reported once.
    const extra = await verifyZip({ ...both, 'notes.txt': 'x' });
    expect(extra.json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/unlisted-file', file: 'goi.zip!/notes.txt' })]);
  });

  it('verifyPackageZip (what hocso build calls) checks zips of every kind', async () => {
    expect(await verifyPackageZip(await zipBytes(cmi5Course()), 'x.cmi5.zip')).toEqual([]);
    expect(await verifyPackageZip(await zipBytes(tincanStoryline()), 'x.xapi.zip')).toEqual([]);
    expect(await verifyPackageZip(await zipBytes(scorm12ExternalMetadata()), 'x.scorm12.zip')).toEqual([]);
    const problems = await verifyPackageZip(await zipBytes(without(tincanStoryline(), 'story.html')), 'x.xapi.zip');
    expect(problems).toEqual([expect.objectContaining({ ruleId: 'package/tincan-launch', file: 'x.xapi.zip!/tincan.xml' })]);
  });

  it('inspectPackageFiles summarises kind and counts', () => {
    const files = new Map(Object.entries(tincanStoryline()).map(([name, content]) => [name, typeof content === 'string' ? new TextEncoder().encode(content) : content]));
    const { summary } = inspectPackageFiles(files, 'x');
    expect(summary).toMatchObject({ kind: 'tincan', kinds: ['tincan'], title: 'Tin Can', activities: 5, files: files.size });
  });
});

describe('the cmi5 spec examples', () => {
  it('are all read from ../shared (beside the repository), so none is skipped silently', () => {
    expect(cmi5SpecExamples().map(([name]) => name)).toEqual(['complex-cmi5.xml', 'extended-cmi5.xml', 'simple-cmi5.xml']);
  });
});
