import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hocso, readTemplateLesson, REPO, templateProject, treeHashes } from '../helpers/project.js';

const COURSE = 'khoa-hoc-dau-tien';
const OTHER = 'khoa-hoc-thu-hai';
const lesson = readTemplateLesson();

/** The `hocso init` project with web, SCORM 1.2 and EPUB targets and a second course: 2 courses × 1 language × 3 targets = 6 units. */
function mergeProject(): string {
  return templateProject({
    'hocso.config.yaml': `courses:\n  - content/courses/${COURSE}\n  - content/courses/${OTHER}\noutput: out\ntargets: [web, scorm12, epub]\n`,
    [`content/courses/${COURSE}/course.yaml`]: readFileSync(path.join(REPO, 'templates/project', `content/courses/${COURSE}/course.yaml`), 'utf8'),
    [`content/courses/${OTHER}/course.yaml`]: `id: ${OTHER}\ntitle: Khóa học thứ hai\ndescription: Một khóa học khác.\nlanguage: vi\nframeworks: [tt02]\nmodules:\n  - id: mot\n    title: Một\n    lessons:\n      - lessons/bai.md\n`,
    [`content/courses/${OTHER}/lessons/bai.md`]: lesson.replace('id: bai-dau-tien', 'id: bai').replace('tt02:1.1@1', 'tt02:4.2'),
  });
}

describe('hocso publish --merge', () => {
  const root = mergeProject();
  const at = (...parts: string[]): string => path.join(root, ...parts);
  /** A copy of a shard folder, changed by `edit`, for the failure cases. */
  const variant = (from: string, name: string, edit: (dir: string) => void): string => {
    cpSync(at(from), at(name), { recursive: true });
    edit(at(name));
    return name;
  };
  /** Nothing published: no release folder, no staging folder left in the releases folder. */
  const nothingPublished = (releases: string): void => {
    expect(existsSync(at(releases)) ? readdirSync(at(releases)) : []).toEqual([]);
  };
  const runs: Record<string, ReturnType<typeof hocso>> = {};
  let whole: Record<string, string>;

  beforeAll(() => {
    runs.whole = hocso(['publish', '--version', '1', '--out', 'whole'], root);
    whole = existsSync(at('whole', '1')) ? treeHashes(at('whole', '1')) : {};
    // Split builds: by course, and (the CI matrix) by --shard.
    for (const course of [COURSE, OTHER]) runs[course] = hocso(['build', '--course', course, '--out', `by-${course}`], root);
    for (const i of [1, 2, 3]) runs[`shard-${i}`] = hocso(['build', '--shard', `${i}/3`, '--out', `shard-${i}`], root);
    runs.merged = hocso(['publish', '--merge', `by-${COURSE}`, `by-${OTHER}`, '--version', '1', '--out', 'merged'], root);
    runs.sharded = hocso(['publish', '--merge', 'shard-1', 'shard-2', 'shard-3', '--version', '1', '--out', 'sharded'], root);
  }, 180_000);

  it('a release merged from builds split by course is byte-identical to the unsharded publish', () => {
    for (const name of ['whole', COURSE, OTHER, 'merged']) expect(runs[name]!.code, runs[name]!.stderr).toBe(0);
    expect(Object.keys(whole)).toContain('release.json');
    expect(Object.keys(whole)).toContain('catalog.json');
    expect(Object.keys(whole)).toContain(`scorm12/${OTHER}.vi.scorm12.zip`);
    expect(treeHashes(at('merged', '1'))).toEqual(whole);
    expect(readFileSync(at('merged', '1', 'release.json'), 'utf8')).toBe(readFileSync(at('whole', '1', 'release.json'), 'utf8'));
    expect(runs.merged!.stderr).toMatch(/Merged 6 units \(\d+ files\) from 2 folders/);
    expect(runs.merged!.stderr).toMatch(/Published release 1 in merged\/1: \d+ files/);
    expect(readdirSync(at('merged'))).toEqual(['1']);
  });

  it('a release merged from build --shard 1/3, 2/3, 3/3 is byte-identical to the unsharded publish', () => {
    for (const i of [1, 2, 3]) expect(runs[`shard-${i}`]!.code, runs[`shard-${i}`]!.stderr).toBe(0);
    // Each shard really built a part: 2 of the 6 units.
    for (const i of [1, 2, 3]) {
      const units = new Set(Object.keys(treeHashes(at(`shard-${i}`))).map((f) => f.split('/').slice(0, f.startsWith('web/') ? 3 : 2).join('/')));
      expect(units.size, `shard-${i}`).toBe(2);
    }
    expect(runs.sharded!.code, runs.sharded!.stderr).toBe(0);
    expect(treeHashes(at('sharded', '1'))).toEqual(whole);
  });

  it('accepts identical duplicates and ignores hidden files outside the units (the build\'s temporary files)', () => {
    const extra = variant(`by-${OTHER}`, 'with-hidden', (dir) => {
      writeFileSync(path.join(dir, '.DS_Store'), 'x');
      mkdirSync(path.join(dir, 'web', OTHER, '.vi.hocso-tmp-123'), { recursive: true });
      writeFileSync(path.join(dir, 'web', OTHER, '.vi.hocso-tmp-123', 'index.html'), 'half written');
    });
    // The shard folders overlap the by-course folders: the same units, the same bytes.
    const result = hocso(['publish', '--merge', `by-${COURSE}`, extra, 'shard-1', 'shard-2', '--version', '1', '--out', 'overlap'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Ignored 2 hidden files outside the built units/);
    expect(treeHashes(at('overlap', '1'))).toEqual(whole);
  });

  it('a unit missing from every folder: exit 1, names it, publishes nothing', () => {
    const result = hocso(['publish', '--merge', `by-${COURSE}`, '--version', '9', '--out', 'missing'], root);
    expect(result.code).toBe(1);
    for (const target of ['web', 'scorm12', 'epub']) expect(result.stderr).toContain(`no folder holds ${OTHER} in vi for target ${target}`);
    expect(result.stderr).toMatch(/hint: Run every shard 1\/N … N\/N/);
    expect(result.stderr).toMatch(/Nothing was published/);
    nothingPublished('missing');
  });

  it('shards that disagree about a file (or a unit\'s files): exit 1, publishes nothing', () => {
    const changed = variant(`by-${OTHER}`, 'other-commit', (dir) => {
      const page = path.join(dir, 'web', OTHER, 'vi', 'index.html');
      writeFileSync(page, readFileSync(page, 'utf8').replace('</body>', '<!-- another commit --></body>'));
      writeFileSync(path.join(dir, 'web', OTHER, 'vi', 'lessons', 'old.html'), '<p>a lesson since removed</p>');
    });
    const result = hocso(['publish', '--merge', `by-${COURSE}`, `by-${OTHER}`, changed, '--version', '9', '--out', 'disagree'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the shards disagree about web/${OTHER}/vi/index.html: by-${OTHER}/web/${OTHER}/vi/index.html and other-commit/web/${OTHER}/vi/index.html differ; were they built from the same commit?`);
    expect(result.stderr).toContain(`the shards disagree about web/${OTHER}/vi/: other-commit/web/${OTHER}/vi/lessons/old.html is not in by-${OTHER}`);
    expect(result.stderr).toMatch(/Nothing was published/);
    nothingPublished('disagree');
  });

  it('a file of no unit of the project (stale output): exit 1, publishes nothing', () => {
    const stale = variant(`by-${OTHER}`, 'stale', (dir) => {
      mkdirSync(path.join(dir, 'web', 'khoa-cu', 'vi'), { recursive: true });
      writeFileSync(path.join(dir, 'web', 'khoa-cu', 'vi', 'index.html'), 'old');
      mkdirSync(path.join(dir, 'scorm2004'));
      writeFileSync(path.join(dir, 'scorm2004', `${OTHER}.vi.scorm2004.zip`), 'old');
      writeFileSync(path.join(dir, 'notes.txt'), 'not built');
    });
    const result = hocso(['publish', '--merge', `by-${COURSE}`, stale, '--version', '9', '--out', 'stale-out'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stale/web/khoa-cu/vi/index.html belongs to no unit of the project: course khoa-cu is not in the project');
    expect(result.stderr).toContain(`stale/scorm2004/${OTHER}.vi.scorm2004.zip belongs to no unit of the project: the project does not build target scorm2004`);
    expect(result.stderr).toContain('stale/notes.txt is not a file `hocso build` writes');
    nothingPublished('stale-out');
  });

  it('a corrupted package zip or EPUB in a shard fails verification: exit 1, publishes nothing', () => {
    const broken = variant(`by-${OTHER}`, 'broken', (dir) => {
      const zip = path.join(dir, 'scorm12', `${OTHER}.vi.scorm12.zip`);
      const bytes = readFileSync(zip);
      writeFileSync(zip, bytes.subarray(0, bytes.length >> 1));
      const epub = path.join(dir, 'epub', `${OTHER}.vi.epub`);
      writeFileSync(epub, readFileSync(epub).subarray(0, 100));
    });
    const result = hocso(['publish', '--merge', `by-${COURSE}`, broken, '--version', '9', '--out', 'broken-out'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`broken/scorm12/${OTHER}\\.vi\\.scorm12\\.zip:\\d+:\\d+  error  .*package/not-a-zip`));
    expect(result.stderr).toMatch(new RegExp(`broken/epub/${OTHER}\\.vi\\.epub:\\d+:\\d+  error  .*package/not-a-zip`));
    expect(result.stderr).toMatch(/failed verification/);
    expect(result.stderr).toMatch(/Nothing was published/);
    nothingPublished('broken-out');
  });

  it('a folder that does not exist, or is inside another given one, is a usage error (exit 2)', () => {
    const absent = hocso(['publish', '--merge', `by-${COURSE}`, 'shard-9', '--out', 'absent'], root);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/error: shard-9 does not exist/);
    const nested = hocso(['publish', '--merge', `by-${COURSE}`, `by-${COURSE}/web`, '--out', 'nested'], root);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/is inside by-khoa-hoc-dau-tien/);
    expect(existsSync(at('absent'))).toBe(false);
    expect(existsSync(at('nested'))).toBe(false);
  });

  it('--format json prints one JSON document on stdout, also when the merge fails', () => {
    const failed = hocso(['publish', '--merge', `by-${COURSE}`, '--format', 'json', '--out', 'json-out'], root);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ errors: 0 });
    const ok = hocso(['publish', '--merge', `by-${COURSE}`, `by-${OTHER}`, '--format', 'json', '--out', 'json-out'], root);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ errors: 0 });
    expect(readdirSync(at('json-out'))).toEqual(['1']);
  });
});
