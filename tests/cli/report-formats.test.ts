import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XmlDocument } from 'libxml2-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import AjvDraft04 from 'ajv-draft-04';
import { hocso, readTemplateLesson, REPO, tempDir, TEMPLATE_LESSON, templateProject, type RunResult } from '../helpers/project.js';

const lesson = readTemplateLesson();
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

// A known error (an unknown competence code) and a known warning (a heading skipping a level).
const broken = `${lesson.replace('tt02:1.1@1', 'tt02:1.9@1')}\n#### Quá sâu\n\nMột đoạn.\n`;
const ERROR_LINE = lineOf(broken, 'tt02:1.9');
const WARNING_LINE = lineOf(broken, '#### Quá sâu');

interface SarifResultLike {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn: number } } }[];
}
interface SarifLike {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: { id: string; help: { text: string }; defaultConfiguration: { level: string } }[] } }; results: SarifResultLike[] }[];
}

// The official SARIF 2.1.0 JSON schema (OASIS, JSON Schema draft-04), as shipped by Microsoft's @microsoft/jest-sarif.
const SARIF_SCHEMA_FILE = path.join(REPO, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const sarifSchema = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as object);

/** The log is valid against the official SARIF 2.1.0 schema (the errors listed when it is not). */
function expectValidSarif(log: unknown): void {
  const valid = sarifSchema(log);
  expect(sarifSchema.errors ?? [], 'SARIF schema errors').toEqual([]);
  expect(valid).toBe(true);
}

/** What every machine format shares: exit 1, no stack trace, nothing human on stdout. */
function expectCleanFailure(result: RunResult): void {
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(result.stderr).not.toMatch(/Error:|TypeError/);
}

describe('hocso validate --format junit|sarif|github on a lesson with an error and a warning', () => {
  let dir: string;
  beforeAll(() => {
    dir = templateProject({ [TEMPLATE_LESSON]: broken });
  });

  it('junit: well-formed JUnit XML on stdout, the error as a failure, the warning as a passed case', () => {
    const result = hocso(['validate', '--format', 'junit'], dir);
    expectCleanFailure(result);
    expect(result.stdout.startsWith('<?xml')).toBe(true);
    const doc = XmlDocument.fromString(result.stdout);
    try {
      const values = (xpath: string): string[] => doc.find(xpath).map((n) => n.content);
      expect(values('/testsuites/testsuite/@name')).toEqual(['hocso validate']);
      expect(values('/testsuites/testsuite/@failures')).toEqual(['1']);
      expect(values('//testcase/@classname')).toEqual([TEMPLATE_LESSON, TEMPLATE_LESSON]);
      expect(values('//testcase[failure]/@name')).toEqual([`competency/unknown-code at ${ERROR_LINE}:5`]);
      expect(values('//failure/@type')).toEqual(['competency/unknown-code']);
      expect(values('//failure/@message')[0]).toMatch(/tt02:1\.9/);
      expect(values('//testcase[system-out]/@name')).toEqual([expect.stringMatching(new RegExp(`^heading/order at ${WARNING_LINE}:\\d+$`))]);
    } finally {
      doc.dispose();
    }
  });

  it('sarif: a SARIF 2.1.0 log on stdout with both results, relative URIs and their rules', () => {
    const result = hocso(['validate', '--format', 'sarif'], dir);
    expectCleanFailure(result);
    const log = JSON.parse(result.stdout) as SarifLike;
    expectValidSarif(log);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const { driver } = log.runs[0]!.tool;
    expect(driver.name).toBe('hocso');
    expect(driver.version).toBe((JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
    expect(driver.rules.map((r) => r.id).sort()).toEqual(['competency/unknown-code', 'heading/order']);
    const results = log.runs[0]!.results;
    const error = results.find((r) => r.ruleId === 'competency/unknown-code')!;
    expect(error.level).toBe('error');
    expect(driver.rules[error.ruleIndex]!.id).toBe('competency/unknown-code');
    expect(error.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: TEMPLATE_LESSON, uriBaseId: '%SRCROOT%' });
    expect(error.locations[0]!.physicalLocation.region?.startLine).toBe(ERROR_LINE);
    const warning = results.find((r) => r.ruleId === 'heading/order')!;
    expect(warning.level).toBe('warning');
    expect(warning.locations[0]!.physicalLocation.region?.startLine).toBe(WARNING_LINE);
    expect(results).toHaveLength(2);
  });

  it('github: one workflow command per problem, and nothing else on stdout', () => {
    const result = hocso(['validate', '--format', 'github'], dir);
    expectCleanFailure(result);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^::error file=${TEMPLATE_LESSON},line=${ERROR_LINE},col=5,title=competency/unknown-code::.*tt02:1\\.9.*%0A.+`));
    expect(lines[1]).toMatch(new RegExp(`^::warning file=${TEMPLATE_LESSON},line=${WARNING_LINE},col=\\d+,title=heading/order::`));
  });

  it('a clean project: complete documents, exit 0', () => {
    const clean = templateProject();
    const junit = hocso(['validate', '--format', 'junit'], clean);
    expect(junit.code).toBe(0);
    const doc = XmlDocument.fromString(junit.stdout);
    try {
      expect(doc.find('//testcase').length).toBe(1);
      expect(doc.find('//failure').length).toBe(0);
    } finally {
      doc.dispose();
    }
    const sarif = hocso(['validate', '--format', 'sarif'], clean);
    expect(sarif.code).toBe(0);
    expect((JSON.parse(sarif.stdout) as SarifLike).runs[0]!.results).toEqual([]);
    expectValidSarif(JSON.parse(sarif.stdout));
  });

  it('an unknown format is a usage error (exit 2)', () => {
    const result = hocso(['validate', '--format', 'xml'], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('hocso verify --format sarif', () => {
  it('a broken zip: one error result pointing at the zip', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'goi.zip'), 'this is not a zip, just text\n');
    const result = hocso(['verify', 'goi.zip', '--format', 'sarif'], dir);
    expectCleanFailure(result);
    const log = JSON.parse(result.stdout) as SarifLike;
    expectValidSarif(log);
    const results = log.runs[0]!.results;
    expect(results).toEqual([expect.objectContaining({ ruleId: 'package/not-a-zip', level: 'error' })]);
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('goi.zip');
    expect(log.runs[0]!.tool.driver.rules[0]).toMatchObject({ id: 'package/not-a-zip', defaultConfiguration: { level: 'error' }, help: { text: expect.stringContaining('Zip the package again') } });
  });
});

describe('hocso build --format github', () => {
  it('an error: annotations on stdout, the human summary on stderr, nothing written', () => {
    const dir = templateProject({ [TEMPLATE_LESSON]: broken });
    const result = hocso(['build', '--format', 'github'], dir);
    expectCleanFailure(result);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.every((l) => /^::(error|warning) file=/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith(`::error file=${TEMPLATE_LESSON},line=${ERROR_LINE},`))).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('::warning ') && l.includes('title=heading/order'))).toBe(true);
    expect(result.stdout).not.toContain('Build stopped');
    expect(result.stderr).toContain('Build stopped');
    expect(result.stderr).not.toContain('competency/unknown-code');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('hocso build and publish --format sarif', () => {
  it('a failed build and a failed publish each print one log valid against the official SARIF 2.1.0 schema', () => {
    const dir = templateProject({ [TEMPLATE_LESSON]: broken });
    for (const command of ['build', 'publish']) {
      const result = hocso([command, '--format', 'sarif'], dir);
      expectCleanFailure(result);
      const log = JSON.parse(result.stdout) as SarifLike;
      expectValidSarif(log);
      expect(log.runs[0]!.results.map((r) => r.ruleId).sort()).toEqual(['competency/unknown-code', 'heading/order']);
    }
  });

  it('the schema check itself rejects a log that breaks the schema', () => {
    const dir = templateProject({ [TEMPLATE_LESSON]: broken });
    const log = JSON.parse(hocso(['validate', '--format', 'sarif'], dir).stdout) as SarifLike;
    (log.runs[0]!.results[0] as unknown as { level: string }).level = 'fatal';
    expect(sarifSchema(log)).toBe(false);
  });
});

describe('templates/ci/github-workflow.yml', () => {
  it('parses, validates pull requests with github and sarif reports, and builds tags in four shards merged into one release', () => {
    const text = readFileSync(path.join(REPO, 'templates', 'ci', 'github-workflow.yml'), 'utf8');
    const workflow = parseYaml(text) as { on: Record<string, unknown>; jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, string> }[] }> };
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    const validate = workflow.jobs.validate!.steps;
    expect(validate.some((s) => s.run?.includes('npx hocso validate --format github'))).toBe(true);
    expect(validate.some((s) => s.run?.includes('npx hocso validate --format sarif'))).toBe(true);
    expect(validate.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))?.with?.sarif_file).toBe('hocso.sarif');
    const build = workflow.jobs.build!.steps;
    expect(build.some((s) => s.run?.includes('npx hocso build --shard ${{ matrix.shard }}/4 --out shard-${{ matrix.shard }}'))).toBe(true);
    expect((workflow.jobs.build as unknown as { strategy: { matrix: { shard: number[] } } }).strategy.matrix.shard).toEqual([1, 2, 3, 4]);
    const publish = workflow.jobs.publish!.steps;
    expect(publish.some((s) => s.run?.includes('npx hocso publish --merge shards/shard-*'))).toBe(true);
    expect((workflow.jobs.publish as unknown as { needs: string }).needs).toBe('build');
  });
});
