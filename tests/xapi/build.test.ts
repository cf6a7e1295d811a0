// @vitest-environment node
// `hocso build --target cmi5|xapi` as a user runs it: predictable zips that verify, reproducible, stable IRIs.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../../src/verify/zip-reader.js';
import { hocso, sampleProject, templateProject } from '../helpers/project.js';

const COURSE = 'ky-nang-so-thiet-yeu';
const zipOf = (project: string, target: string): string => path.join(project, 'out', target, `${COURSE}.vi.${target}.zip`);

let project: string;
beforeAll(() => {
  project = sampleProject();
  const run = hocso(['build', '--lang', 'vi', '--target', 'cmi5', '--target', 'xapi'], project);
  expect(run.stderr).not.toContain('warning');
  expect(run.code).toBe(0);
});

describe.each([
  ['cmi5', 'cmi5.xml', 'cmi5'],
  ['xapi', 'tincan.xml', 'Tin Can'],
] as const)('hocso build --target %s', (target, structure, kind) => {
  it('writes COURSE.LANG.TARGET.zip that `hocso verify` accepts', () => {
    expect(readdirSync(path.join(project, 'out', target))).toEqual([`${COURSE}.vi.${target}.zip`]);
    const verify = hocso(['verify', zipOf(project, target)], project);
    expect(verify.stderr).toContain(`✓ out/${target}/${COURSE}.vi.${target}.zip: ${kind}`);
    expect(verify.code).toBe(0);
  });

  it(`holds ${structure} at the root, the lesson pages, the runtime and the course files`, async () => {
    const { files, problems } = await readZip(zipOf(project, target));
    expect(problems).toEqual([]);
    expect(files.has(structure)).toBe(true);
    expect(files.has('lessons/cai-dat-vneid.html')).toBe(true);
    expect(files.has('assets/hocso-xapi.js')).toBe(true);
    expect(files.has('files/media/vneid-passcode.svg')).toBe(true);
    // cmi5 AUs are launched one by one; a Tin Can package is launched at its index.
    expect(files.has('index.html')).toBe(target === 'xapi');
    const xml = Buffer.from(files.get(structure)!).toString('utf8');
    expect(xml).toContain(`https://w3id.org/hocso/binh-dan-hoc-vu-so/${COURSE}/lessons/cai-dat-vneid`);
  });

  it('gives the same bytes on a rebuild', () => {
    const first = readFileSync(zipOf(project, target));
    expect(hocso(['build', '--lang', 'vi', '--target', target], project, { TZ: 'America/Lima' }).code).toBe(0);
    expect(readFileSync(zipOf(project, target)).equals(first)).toBe(true);
  });
});

describe('activity IRIs without an iriBase', () => {
  it('builds with a placeholder base and a warning that says how to set one', () => {
    const root = templateProject();
    const run = hocso(['build', '--target', 'cmi5'], root);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/hocso\.config\.yaml:1:1\s+warning\s+no `iriBase` in the config: the xAPI activity ids use the placeholder https:\/\/hocso\.invalid\/xapi\s+config\/iri-base-missing/);
    expect(run.stderr).toContain('iriBase: https://');
  });

  it('rejects an iriBase that is not an absolute IRI, at its line', () => {
    const root = templateProject();
    const config = path.join(root, 'hocso.config.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}iriBase: khoa-hoc/xapi\n`);
    const run = hocso(['build', '--target', 'cmi5'], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/hocso\.config\.yaml:\d+:\d+.*iriBase/);
  });
});
