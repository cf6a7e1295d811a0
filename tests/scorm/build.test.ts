// @vitest-environment node
// `hocso build --target scorm12|scorm2004` as a user runs it: predictable zips that verify, byte for byte reproducible.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../../src/verify/zip-reader.js';
import { xsdProblems } from '../../src/xml/xsd.js';
import { hocso, sampleProject, templateProject } from '../helpers/project.js';

const COURSE = 'ky-nang-so-thiet-yeu';
const zipOf = (project: string, target: string): string => path.join(project, 'out', target, `${COURSE}.vi.${target}.zip`);

/** Entry headers as the central directory has them (name, DOS date, attributes), in stored order. */
function entryHeaders(file: string): Promise<{ name: string; date: string; mode: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out: { name: string; date: string; mode: number }[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        out.push({ name: e.fileName, date: `${e.lastModFileDate}/${e.lastModFileTime}`, mode: (e.externalFileAttributes >>> 16) & 0o777 });
        zip.readEntry();
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

let project: string;
beforeAll(() => {
  project = sampleProject();
  const run = hocso(['build', '--lang', 'vi', '--target', 'scorm12', '--target', 'scorm2004'], project);
  expect(run.stderr).toContain(`out/scorm12/${COURSE}.vi.scorm12.zip`);
  expect(run.code).toBe(0);
});

describe.each([
  ['scorm12', 'scorm12', 'SCORM 1.2'],
  ['scorm2004', 'scorm2004-4ed', 'SCORM 2004 4th Edition'],
] as const)('hocso build --target %s', (target, xsdSet, versionName) => {
  it('writes one zip per course and language, named COURSE.LANG.TARGET.zip, that `hocso verify` accepts', () => {
    expect(readdirSync(path.join(project, 'out', target))).toEqual([`${COURSE}.vi.${target}.zip`]);
    const verify = hocso(['verify', zipOf(project, target)], project);
    expect(verify.stderr).toContain(`${versionName}, 6 SCOs`);
    expect(verify.code).toBe(0);
  });

  it('has the manifest at the root, valid against the official schemas shipped beside it', async () => {
    const { files, problems } = await readZip(zipOf(project, target));
    expect(problems).toEqual([]);
    const manifest = Buffer.from(files.get('imsmanifest.xml')!).toString('utf8');
    expect(xsdProblems(manifest, xsdSet)).toEqual([]);
    const schemaFiles = [...files.keys()].filter((f) => !f.includes('/') && /\.(xsd|dtd)$/.test(f));
    expect(schemaFiles.length).toBeGreaterThanOrEqual(4);
  });

  it('stores sorted, relative entries with one fixed date and mode', async () => {
    const headers = await entryHeaders(zipOf(project, target));
    const names = headers.map((h) => h.name);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).not.toMatch(/^\/|^[A-Za-z]:|\\|(^|\/)\.\.(\/|$)/);
    expect(new Set(headers.map((h) => h.date)).size).toBe(1);
    expect(new Set(headers.map((h) => h.mode))).toEqual(new Set([0o644]));
    expect(names).toContain('lessons/cai-dat-vneid.html');
    expect(names).toContain('files/media/vneid-passcode.svg');
    expect(names).not.toContain('index.html'); // one SCO per lesson: the LMS is the menu
  });

  it('gives the same bytes on a rebuild, in another time zone', () => {
    const first = readFileSync(zipOf(project, target));
    expect(hocso(['build', '--lang', 'vi', '--target', target], project, { TZ: 'Pacific/Kiritimati' }).code).toBe(0);
    expect(readFileSync(zipOf(project, target)).equals(first)).toBe(true);
  });

  it('packs the whole course as one SCO with --single-sco', async () => {
    const single = sampleProject();
    expect(hocso(['build', '--lang', 'vi', '--target', target, '--single-sco'], single).code).toBe(0);
    const verify = hocso(['verify', zipOf(single, target)], single);
    expect(verify.stderr).toContain(`${versionName}, 1 SCO,`);
    expect(verify.code).toBe(0);
    const { files } = await readZip(zipOf(single, target));
    expect(Buffer.from(files.get('imsmanifest.xml')!).toString('utf8')).toMatch(/href="sco\.html"/);
    expect(files.has('index.html')).toBe(true);
  });
});

describe('SCORM builds and bad input', () => {
  it('writes no package when a prerequisite names an unknown lesson, and says where', () => {
    const root = templateProject();
    const courseFile = path.join(root, 'content/courses/khoa-hoc-dau-tien/course.yaml');
    writeFileSync(courseFile, `${readFileSync(courseFile, 'utf8')}prerequisites:\n  bai-dau-tien: [bai-khong-co]\n`);
    const run = hocso(['build', '--target', 'scorm2004'], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/course\.yaml:\d+:\d+.*no lesson has the id `bai-khong-co`/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(root, 'out'))).toBe(false);
  });

  it('keeps the previous package when the new build fails', () => {
    const root = templateProject();
    expect(hocso(['build', '--target', 'scorm12'], root).code).toBe(0);
    const zip = path.join(root, 'out/scorm12/khoa-hoc-dau-tien.vi.scorm12.zip');
    const before = readFileSync(zip);
    const lesson = path.join(root, 'content/courses/khoa-hoc-dau-tien/lessons/bai-dau-tien.md');
    writeFileSync(lesson, readFileSync(lesson, 'utf8').replace(/competencies:[^\n]*\n(\s+-[^\n]*\n)*/, 'competencies: [tt02:9.9]\n'));
    expect(hocso(['build', '--target', 'scorm12'], root).code).toBe(1);
    expect(readFileSync(zip).equals(before)).toBe(true);
    expect(readdirSync(path.dirname(zip))).toEqual(['khoa-hoc-dau-tien.vi.scorm12.zip']);
  });
});
