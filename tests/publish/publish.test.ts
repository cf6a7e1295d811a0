import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { hocso, readTemplateLesson, REPO, TEMPLATE_LESSON, templateProject, treeHashes } from '../helpers/project.js';

type AddFormats = <T>(ajv: T) => T;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

const COURSE = 'khoa-hoc-dau-tien';
const OTHER = 'khoa-hoc-thu-hai';
const lesson = readTemplateLesson();
const SECOND_LESSON = `content/courses/${COURSE}/lessons/bai-thu-hai.md`;

/**
 * The `hocso init` project with web, SCORM 1.2 and EPUB targets, a second lesson in its course and a second course:
 * editing one lesson must leave the other lesson's page and the other course's packages alone.
 */
function publishProject(overrides: Record<string, string> = {}): string {
  return templateProject({
    'hocso.config.yaml': `courses:\n  - content/courses/${COURSE}\n  - content/courses/${OTHER}\noutput: out\ntargets: [web, scorm12, epub]\n`,
    [`content/courses/${COURSE}/course.yaml`]: readFileSync(path.join(REPO, 'templates/project', `content/courses/${COURSE}/course.yaml`), 'utf8').replace('      - lessons/bai-dau-tien.md', '      - lessons/bai-dau-tien.md\n      - lessons/bai-thu-hai.md'),
    [SECOND_LESSON]: lesson.replace('id: bai-dau-tien', 'id: bai-thu-hai').replace('title: Bài học đầu tiên', 'title: Bài học thứ hai').replace('#kiem-tra-lenh', '#kiem-tra-lenh-2'),
    [`content/courses/${OTHER}/course.yaml`]: `id: ${OTHER}\ntitle: Khóa học thứ hai\ndescription: Một khóa học khác.\nlanguage: vi\nframeworks: [tt02]\nmodules:\n  - id: mot\n    title: Một\n    lessons:\n      - lessons/bai.md\n`,
    [`content/courses/${OTHER}/lessons/bai.md`]: lesson.replace('id: bai-dau-tien', 'id: bai').replace('tt02:1.1@1', 'tt02:4.2'),
    ...overrides,
  });
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const json = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));
const META = new Set(['release.json', 'catalog.json', 'delta.json']);
/** Built files of a release folder (its JSON documents left out), relative path → SHA-256. */
const builtFiles = (dir: string): Record<string, string> => Object.fromEntries(Object.entries(treeHashes(dir)).filter(([p]) => !META.has(p)));
const stagingLeft = (releases: string): string[] => (existsSync(releases) ? readdirSync(releases).filter((n) => n.startsWith('.')) : []);

function releaseValidator(): ValidateFunction {
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true }));
  return ajv.compile(json(path.join(REPO, 'schemas', 'release.schema.json')));
}

const XSD = path.resolve(REPO, '..', 'shared', 'reference', 'xsd');
const OPDS = path.join(XSD, 'opds2-json-schema', 'schema');
const WEBPUB = path.join(XSD, 'readium-webpub-manifest-schema', 'schema');

/** The official OPDS 2.0 feed schema, with every Readium WebPub manifest schema it references by $id. */
function opdsValidator(): ValidateFunction {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : n.endsWith('.schema.json') ? [path.join(dir, n)] : []));
  for (const file of [...walk(OPDS), ...walk(WEBPUB)]) ajv.addSchema(json(file));
  return ajv.getSchema('https://drafts.opds.io/schema/feed.schema.json')!;
}

describe('hocso publish', () => {
  const root = publishProject();
  const releases = path.join(root, 'out', 'releases');
  const first = path.join(releases, '1');
  const second = path.join(releases, '2');
  let run1: ReturnType<typeof hocso>;
  let run2: ReturnType<typeof hocso>;
  let firstTree: Record<string, string>;

  beforeAll(() => {
    run1 = hocso(['publish'], root);
    firstTree = existsSync(first) ? treeHashes(first) : {};
    const file = path.join(root, TEMPLATE_LESSON);
    writeFileSync(file, readFileSync(file, 'utf8').replace('Đây là bài học mẫu.', 'Đây là bài học mẫu, đã sửa lại.'));
    run2 = hocso(['publish'], root);
  }, 120_000);

  it('publishes release 1 (the default version), then 2, leaving no staging folder', () => {
    expect(run1.code, run1.stderr).toBe(0);
    expect(run2.code, run2.stderr).toBe(0);
    expect(readdirSync(releases).sort()).toEqual(['1', '2']);
    expect(stagingLeft(releases)).toEqual([]);
    expect(run1.stderr).toMatch(/Published release 1 in out\/releases\/1: 13 files, \d+ bytes/);
    expect(run1.stderr).not.toContain('.staging-');
    expect(existsSync(path.join(first, 'delta.json'))).toBe(false);
  });

  it('release.json validates against schemas/release.schema.json and lists every built file with its true hash and size', () => {
    const validate = releaseValidator();
    const manifest = json(path.join(first, 'release.json'));
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    // The schema is not vacuous: a broken hash, an unknown target, a missing key are refused.
    expect(validate({ ...manifest, files: [{ ...manifest.files[0], sha256: 'abc' }] })).toBe(false);
    expect(validate({ ...manifest, files: [{ ...manifest.files[0], target: 'floppy' }] })).toBe(false);
    expect(validate({ version: '1', files: [] })).toBe(false);

    expect(manifest.version).toBe('1');
    expect(manifest.courses).toEqual([COURSE, OTHER]);
    const listed = manifest.files.map((f: { path: string }) => f.path).sort();
    expect(listed).toEqual(Object.keys(builtFiles(first)).sort());
    for (const f of manifest.files) {
      const file = path.join(first, ...f.path.split('/'));
      expect(sha256(file), f.path).toBe(f.sha256);
      expect(statSync(file).size, f.path).toBe(f.size);
      expect(f.course, f.path).toBe(f.path.includes(OTHER) ? OTHER : COURSE);
      expect(f.language).toBe('vi');
      expect(f.target).toBe(f.path.split('/')[0]);
      expect(f.competencies, f.path).toEqual(f.course === COURSE ? ['tt02:1.1'] : ['tt02:4.2']);
    }
    expect(listed).toContain(`scorm12/${COURSE}.vi.scorm12.zip`);
    expect(listed).toContain(`epub/${OTHER}.vi.epub`);
    expect(listed).toContain(`web/${COURSE}/vi/lessons/bai-thu-hai.html`);
  });

  it('catalog.json is a valid OPDS 2.0 feed with one publication per course and language, linking its packages', () => {
    const validate = opdsValidator();
    const catalog = json(path.join(first, 'catalog.json'));
    expect(validate(catalog), JSON.stringify(validate.errors)).toBe(true);
    // The official schema really checks: no self link, or a publication without links, is refused.
    expect(validate({ ...catalog, links: [{ rel: 'next', href: 'x.json' }] })).toBe(false);
    expect(validate({ ...catalog, publications: [{ metadata: catalog.publications[0].metadata }] })).toBe(false);

    expect(catalog.links).toContainEqual({ rel: 'self', href: 'catalog.json', type: 'application/opds+json' });
    expect(catalog.publications.map((p: any) => [p.metadata.identifier, p.metadata.title, p.metadata.language])).toEqual([
      [`urn:hocso:course:${COURSE}:vi`, 'Khóa học đầu tiên', 'vi'],
      [`urn:hocso:course:${OTHER}:vi`, 'Khóa học thứ hai', 'vi'],
    ]);
    const [pub] = catalog.publications;
    expect(pub.metadata.subject).toEqual([expect.objectContaining({ code: 'tt02:1.1', scheme: expect.stringMatching(/^https:\/\//), name: expect.stringMatching(/\S/) })]);
    expect(pub.links.map((l: any) => [l.rel, l.href, l.type])).toEqual([
      ['http://opds-spec.org/acquisition', `epub/${COURSE}.vi.epub`, 'application/epub+zip'],
      ['http://opds-spec.org/acquisition', `scorm12/${COURSE}.vi.scorm12.zip`, 'application/zip'],
      ['http://opds-spec.org/acquisition', `web/${COURSE}/vi/index.html`, 'text/html'],
    ]);
    for (const link of pub.links) expect(statSync(path.join(first, link.href)).size).toBe(link.size);
  });

  it('the second release has a delta listing exactly the files the lesson edit changed', () => {
    const delta = json(path.join(second, 'delta.json'));
    const expected = [`epub/${COURSE}.vi.epub`, `scorm12/${COURSE}.vi.scorm12.zip`, `web/${COURSE}/vi/lessons/bai-dau-tien.html`];
    expect(delta.from).toBe('1');
    expect(delta.to).toBe('2');
    expect(delta.added).toEqual([]);
    expect(delta.removed).toEqual([]);
    expect(delta.changed.map((c: { path: string }) => c.path).sort()).toEqual(expected);
    // The same, measured on disk: the release folders differ in exactly those files.
    const before = builtFiles(first);
    const after = builtFiles(second);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.keys(after).filter((p) => after[p] !== before[p]).sort()).toEqual(expected);
    for (const c of delta.changed) {
      expect(c.sha256).toBe(after[c.path]);
      expect(c.previousSha256).toBe(before[c.path]);
      expect(c.size).toBe(statSync(path.join(second, c.path)).size);
    }
    expect(delta.bytes).toBe(delta.changed.reduce((n: number, c: { size: number }) => n + c.size, 0));
    expect(json(path.join(second, 'release.json')).previous).toBe('1');
    expect(run2.stderr).toMatch(/since 1: 0 added, 3 changed, 0 removed/);
  });

  it('refuses to overwrite an existing version (exit 2) and leaves it untouched', () => {
    const again = hocso(['publish', '--version', '1'], root);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/release 1 already exists/);
    expect(treeHashes(first)).toEqual(firstTree);
    expect(readdirSync(releases).sort()).toEqual(['1', '2']);
  });

  it('publishes under an explicit --version into --out, and refuses a version that is not a folder name', () => {
    const named = hocso(['publish', '--version', '2025.1', '--out', 'dist-releases'], root);
    expect(named.code, named.stderr).toBe(0);
    expect(json(path.join(root, 'dist-releases', '2025.1', 'release.json')).version).toBe('2025.1');
    const bad = hocso(['publish', '--version', '../escape'], root);
    expect(bad.code).toBe(2);
    expect(existsSync(path.join(root, 'out', 'escape'))).toBe(false);
  });
});

describe('hocso publish with an error in the content', () => {
  it('publishes nothing: exit 1, no version folder, no staging folder', () => {
    const root = publishProject({ [TEMPLATE_LESSON]: lesson.replace('tt02:1.1@1', 'tt02:9.9') });
    const result = hocso(['publish', '--version', '7'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/tt02:9\.9/);
    expect(result.stderr).toMatch(/Nothing was published/);
    const releases = path.join(root, 'out', 'releases');
    expect(existsSync(path.join(releases, '7'))).toBe(false);
    expect(stagingLeft(releases)).toEqual([]);
    expect(existsSync(releases) ? readdirSync(releases) : []).toEqual([]);
  });

  it('reports the problem in the CI format asked for, on stdout', () => {
    const root = publishProject({ [TEMPLATE_LESSON]: lesson.replace('tt02:1.1@1', 'tt02:9.9') });
    const result = hocso(['publish', '--format', 'github'], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=content\/courses\/khoa-hoc-dau-tien\/lessons\/bai-dau-tien\.md,line=\d+,col=\d+,title=competency\/unknown-code::/m);
    expect(existsSync(path.join(root, 'out', 'releases', '1'))).toBe(false);
  });
});
