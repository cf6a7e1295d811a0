import { XmlDocument } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import {
  buildSarif, escapeGithubData, escapeGithubProperty, formatDiagnostics, formatGithub, formatJunit, formatSarif,
  REPORT_FORMATS, SARIF_SCHEMA, type SarifLog,
} from '../../src/diagnostics/reporters.js';
import { RULES } from '../../src/diagnostics/rules.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { REPO } from '../helpers/project.js';

// The official SARIF 2.1.0 schema (draft-04), shipped in @microsoft/jest-sarif. unicodeRegExp off: one of its
// patterns (the language tag's) is not a valid regular expression in unicode mode.
const validSarif = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(JSON.parse(readFileSync(path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object);

const LESSON = 'content/courses/khoa-hoc/lessons/bài-1.md';

const unknownCode: Diagnostic = {
  ruleId: 'competency/unknown-code', severity: 'error', file: LESSON, line: 5, column: 5,
  message: 'unknown competence code `tt02:1.9`; did you mean `tt02:1.1`?', hint: RULES['competency/unknown-code'].hint,
};
const nasty: Diagnostic = {
  ruleId: 'html/unsafe', severity: 'error', file: 'content/a,b:c.md', line: 12, column: 3,
  message: 'raw <script> & "quotes" \'apos\' 100% sure\r\nsecond line\u0001', hint: 'Remove <script>: 50% & more',
};
const headingWarning: Diagnostic = {
  ruleId: 'heading/order', severity: 'warning', file: LESSON, line: 9, column: 1,
  message: 'heading level 4 after level 2', hint: RULES['heading/order'].hint,
};
const inZip: Diagnostic = {
  ruleId: 'package/schema', severity: 'error', file: 'out/goi.zip!/imsmanifest.xml', line: 7, column: 2,
  message: 'element `foo` is not expected', hint: RULES['package/schema'].hint,
};

function parse(xml: string): XmlDocument {
  return XmlDocument.fromString(xml);
}
const values = (doc: XmlDocument, xpath: string): string[] => doc.find(xpath).map((n) => n.content);

describe('formatJunit', () => {
  it('is well-formed XML with one failing test case per error and a passed one per warning', () => {
    const xml = formatJunit([headingWarning, unknownCode, nasty], { command: 'validate' });
    const doc = parse(xml);
    try {
      expect(values(doc, '/testsuites/testsuite/@name')).toEqual(['hocso validate']);
      expect(values(doc, '/testsuites/testsuite/@tests')).toEqual(['3']);
      expect(values(doc, '/testsuites/testsuite/@failures')).toEqual(['2']);
      expect(values(doc, '/testsuites/@failures')).toEqual(['2']);
      expect(values(doc, '//testcase/@classname')).toEqual(['content/a,b:c.md', LESSON, LESSON]);
      expect(values(doc, '//testcase/@name')).toEqual(['html/unsafe at 12:3', 'competency/unknown-code at 5:5', 'heading/order at 9:1']);
      expect(values(doc, '//failure/@type')).toEqual(['html/unsafe', 'competency/unknown-code']);
      expect(values(doc, '//failure')).toEqual([nasty.hint, unknownCode.hint]);
      // Escaped markup and quotes come back as written; CR/LF survive in the attribute; U+0001 (not XML) is dropped.
      expect(values(doc, '//failure/@message')[0]).toBe('raw <script> & "quotes" \'apos\' 100% sure\r\nsecond line');
      expect(values(doc, "//testcase[@name='heading/order at 9:1']/failure")).toEqual([]);
      expect(values(doc, "//testcase[@name='heading/order at 9:1']/system-out")[0]).toContain('heading level 4 after level 2');
    } finally {
      doc.dispose();
    }
    expect(xml).toContain('&lt;script&gt; &amp; &quot;quotes&quot;');
  });

  it('a clean run is one passed test case, so CI test tabs show the check ran', () => {
    const doc = parse(formatJunit([], { command: 'verify' }));
    try {
      expect(values(doc, '/testsuites/testsuite/@name')).toEqual(['hocso verify']);
      expect(values(doc, '//testcase/@name')).toEqual(['hocso verify: no problems found']);
      expect(values(doc, '/testsuites/testsuite/@tests')).toEqual(['1']);
      expect(values(doc, '/testsuites/testsuite/@failures')).toEqual(['0']);
      expect(doc.find('//failure')).toHaveLength(0);
    } finally {
      doc.dispose();
    }
  });
});

/** The properties SARIF 2.1.0 requires of the objects hocso writes, with their types and enums (OASIS spec §3). */
function checkSarifShape(log: SarifLog): void {
  expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
  expect(log.version).toBe('2.1.0');
  expect(Array.isArray(log.runs)).toBe(true);
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0]!;
  const driver = run.tool.driver;
  expect(typeof driver.name).toBe('string');
  // no informationUri: hocso has no public home page yet, and the property is optional
  expect(driver).not.toHaveProperty('informationUri');
  expect(new Set(driver.rules.map((r) => r.id)).size).toBe(driver.rules.length);
  for (const rule of driver.rules) {
    expect(typeof rule.id).toBe('string');
    expect(typeof rule.shortDescription.text).toBe('string');
    expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    expect(typeof rule.help.text).toBe('string');
    expect(['none', 'note', 'warning', 'error']).toContain(rule.defaultConfiguration.level);
  }
  expect(Array.isArray(run.results)).toBe(true);
  for (const result of run.results) {
    expect(typeof result.message.text).toBe('string');
    expect(['none', 'note', 'warning', 'error']).toContain(result.level);
    expect(Number.isInteger(result.ruleIndex)).toBe(true);
    expect(driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    for (const location of result.locations) {
      const { artifactLocation, region } = location.physicalLocation;
      expect(typeof artifactLocation.uri).toBe('string');
      expect(artifactLocation.uri).not.toContain('\\');
      if (region) {
        expect(Number.isInteger(region.startLine) && region.startLine >= 1).toBe(true);
        expect(Number.isInteger(region.startColumn) && region.startColumn >= 1).toBe(true);
      }
    }
  }
}

describe('formatSarif', () => {
  it('lists each rule used once, with its hint and default level, and points results at them', () => {
    const log = JSON.parse(formatSarif([unknownCode, headingWarning, nasty, { ...unknownCode, line: 6 }], { version: '9.9.9' })) as SarifLog;
    checkSarifShape(log);
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'hocso', version: '9.9.9' });
    expect(driver.rules.map((r) => r.id).sort()).toEqual(['competency/unknown-code', 'heading/order', 'html/unsafe']);
    const rule = driver.rules.find((r) => r.id === 'heading/order')!;
    expect(rule.help.text).toBe(RULES['heading/order'].hint);
    expect(rule.defaultConfiguration.level).toBe('warning');
    expect(driver.rules.find((r) => r.id === 'competency/unknown-code')!.defaultConfiguration.level).toBe('error');
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(4);
    const first = results.find((r) => r.ruleId === 'competency/unknown-code')!;
    expect(first.level).toBe('error');
    expect(first.message.text).toBe(unknownCode.message);
    expect(first.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'content/courses/khoa-hoc/lessons/b%C3%A0i-1.md', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5, startColumn: 5 },
    });
    expect(results.find((r) => r.ruleId === 'heading/order')!.level).toBe('warning');
  });

  it('the version defaults to package.json\'s, and an empty run is still a complete log', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    const log = buildSarif([]);
    checkSarifShape(log);
    expect(log.runs[0]!.tool.driver.version).toBe(pkg.version);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toEqual([]);
    expect(log.$schema).toBe(SARIF_SCHEMA);
  });

  it('a place inside a zip points at the zip, without a line, and names the entry in the message', () => {
    const result = buildSarif([inZip]).runs[0]!.results[0]!;
    expect(result.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'out/goi.zip', uriBaseId: '%SRCROOT%' } });
    expect(result.message.text).toBe('imsmanifest.xml:7:2: element `foo` is not expected');
  });

  it('an absolute path (outside the project) is a file: URI without a base', () => {
    const result = buildSarif([{ ...unknownCode, file: '/tmp/x y/a.md' }]).runs[0]!.results[0]!;
    expect(result.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'file:///tmp/x%20y/a.md' });
  });

  it('every kind of place (lesson line, hostile text, inside a zip, absolute path, none) is valid against the official schema', () => {
    const log = buildSarif([unknownCode, nasty, headingWarning, inZip, { ...unknownCode, file: '/tmp/x y/a.md' }]);
    expect(validSarif(log), JSON.stringify(validSarif.errors)).toBe(true);
    expect(validSarif(buildSarif([])), JSON.stringify(validSarif.errors)).toBe(true);
  });
});

describe('formatGithub', () => {
  it('one workflow command per diagnostic, errors and warnings', () => {
    const out = formatGithub([headingWarning, unknownCode]);
    expect(out.split('\n')).toEqual([
      `::error file=${LESSON},line=5,col=5,title=competency/unknown-code::${unknownCode.message}%0A${unknownCode.hint}`,
      `::warning file=${LESSON},line=9,col=1,title=heading/order::${headingWarning.message}%0A${headingWarning.hint}`,
      '',
    ]);
  });

  it('escapes % CR LF in the message, and also , : in properties', () => {
    expect(escapeGithubData('100%\r\nnext')).toBe('100%25%0D%0Anext');
    expect(escapeGithubProperty('a,b:c%')).toBe('a%2Cb%3Ac%25');
    const line = formatGithub([nasty]);
    expect(line).toBe(`::error file=content/a%2Cb%3Ac.md,line=12,col=3,title=html/unsafe::raw <script> & "quotes" 'apos' 100%25 sure%0D%0Asecond line\u0001%0ARemove <script>: 50%25 & more\n`);
    expect(line.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints nothing when clean, and names the zip for a place inside one', () => {
    expect(formatGithub([])).toBe('');
    expect(formatGithub([inZip])).toBe(`::error file=out/goi.zip,title=package/schema::imsmanifest.xml:7:2: element \`foo\` is not expected%0A${inZip.hint}\n`);
  });
});

describe('formatDiagnostics', () => {
  it('knows every format, and json stays as it was', () => {
    expect([...REPORT_FORMATS]).toEqual(['pretty', 'json', 'junit', 'sarif', 'github']);
    expect(JSON.parse(formatDiagnostics([unknownCode, headingWarning], 'json'))).toMatchObject({ errors: 1, warnings: 1 });
    expect(formatDiagnostics([unknownCode], 'github')).toMatch(/^::error /);
    expect(JSON.parse(formatDiagnostics([unknownCode], 'sarif')).version).toBe('2.1.0');
    expect(formatDiagnostics([unknownCode], 'junit', false, { command: 'build' })).toContain('<testsuite name="hocso build"');
    expect(formatDiagnostics([unknownCode], 'pretty')).toContain('1 error, 0 warnings');
  });
});
