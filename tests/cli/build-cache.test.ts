// The content-addressed build cache, incremental rebuilds, --shard and --cache-url, through the real CLI on a small
// project of three courses (web + SCORM 1.2: six units). Each test has its own cache folder.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type TestNginx } from '../helpers/nginx.js';
import { hocso, templateProject, tempDir, treeHashes } from '../helpers/project.js';

const COURSES = ['khoa-a', 'khoa-b', 'khoa-c'];
const LESSON = (course: string): string => `content/courses/${course}/lessons/bai-dau-tien.md`;

/** The `hocso init` project with its course copied three times under different ids, built for web and SCORM 1.2. */
function threeCourses(): string {
  const dir = templateProject();
  const first = path.join(dir, 'content/courses/khoa-hoc-dau-tien');
  for (const id of COURSES) {
    cpSync(first, path.join(dir, 'content/courses', id), { recursive: true });
    const yaml = path.join(dir, 'content/courses', id, 'course.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('id: khoa-hoc-dau-tien', `id: ${id}`));
  }
  rmSync(first, { recursive: true });
  writeFileSync(path.join(dir, 'hocso.config.yaml'), `courses:\n${COURSES.map((c) => `  - content/courses/${c}\n`).join('')}output: out\ntargets: [web, scorm12]\n`);
  return dir;
}

/** Every file and folder under dir with its inode, size and modification time: equal snapshots mean nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      const stat = statSync(full);
      out[path.relative(dir, full)] = `${stat.isDirectory() ? 'dir ' : ''}${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      if (stat.isDirectory()) walk(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function build(dir: string, cache: string, args: string[] = []): { code: number; stderr: string; stdout: string } {
  return hocso(['build', ...args], dir, { HOCSO_CACHE_DIR: cache, HOCSO_TIMING: '1' });
}

function edit(dir: string, course: string, text: string): void {
  const file = path.join(dir, LESSON(course));
  writeFileSync(file, readFileSync(file, 'utf8').replace('Đây là bài học mẫu.', text));
}

describe('incremental builds', () => {
  it('a rebuild with no change writes nothing, in the output folder or the cache', () => {
    const dir = threeCourses();
    const cache = tempDir('hocso-cache-');
    const cold = build(dir, cache);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stderr).toContain('6 written');
    expect(cold.stderr).toContain('cache: 0 of 6 units from the build cache');
    const before = { out: snapshot(path.join(dir, 'out')), cache: snapshot(cache) };
    const again = build(dir, cache);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('all 6 outputs up to date, nothing written');
    expect(again.stderr).toContain('cache: 6 of 6 units from the build cache');
    expect(snapshot(path.join(dir, 'out'))).toEqual(before.out);
    expect(snapshot(cache)).toEqual(before.cache);
  });

  it('after a one-lesson edit only that course is rebuilt and written, and the output equals a clean build', () => {
    const dir = threeCourses();
    const cache = tempDir('hocso-cache-');
    expect(build(dir, cache).code).toBe(0);
    const before = snapshot(path.join(dir, 'out'));
    edit(dir, 'khoa-b', 'Bài học này đã được sửa.');
    const rebuilt = build(dir, cache);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain('2 written, 4 unchanged');
    expect(rebuilt.stderr).toContain('cache: 4 of 6 units from the build cache');
    const after = snapshot(path.join(dir, 'out'));
    for (const [file, stamp] of Object.entries(after)) {
      // Files of the other courses are untouched (a folder's mtime moves when a file in it is replaced).
      if (!file.includes('khoa-b') && !stamp.startsWith('dir ')) expect(stamp, file).toBe(before[file]);
    }
    expect(after['scorm12/khoa-b.vi.scorm12.zip']).not.toBe(before['scorm12/khoa-b.vi.scorm12.zip']);
    expect(readFileSync(path.join(dir, 'out/web/khoa-b/vi/lessons/bai-dau-tien.html'), 'utf8')).toContain('Bài học này đã được sửa.');
    // The same bytes as a build that ignores the cache.
    const clean = hocso(['build', '--no-cache', '--out', 'clean'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
    expect(clean.code, clean.stderr).toBe(0);
    expect(treeHashes(path.join(dir, 'out'))).toEqual(treeHashes(path.join(dir, 'clean')));
  });

  it('in a course rebuilt after a one-lesson edit, the other lessons are not compiled again', () => {
    const dir = threeCourses();
    // khoa-a gets two more lessons: three in all.
    const lessons = path.join(dir, 'content/courses/khoa-a/lessons');
    const text = readFileSync(path.join(lessons, 'bai-dau-tien.md'), 'utf8');
    for (const id of ['bai-hai', 'bai-ba']) writeFileSync(path.join(lessons, `${id}.md`), text.replace('id: bai-dau-tien', `id: ${id}`));
    const yaml = path.join(dir, 'content/courses/khoa-a/course.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('      - lessons/bai-dau-tien.md', '      - lessons/bai-dau-tien.md\n      - lessons/bai-hai.md\n      - lessons/bai-ba.md'));
    const cache = tempDir('hocso-cache-');
    const cold = build(dir, cache);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stderr).toContain('lesson bodies: 5 compiled, 0 from the cache');
    edit(dir, 'khoa-a', 'Chỉ bài này được sửa.');
    const rebuilt = build(dir, cache);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain('cache: 4 of 6 units from the build cache');
    expect(rebuilt.stderr).toContain('lesson bodies: 1 compiled, 2 from the cache');
    // A new file in the course may resolve a link that was broken: every body is compiled again.
    writeFileSync(path.join(dir, 'content/courses/khoa-a/ghi-chu.txt'), 'ghi chú');
    const listed = build(dir, cache);
    expect(listed.stderr).toContain('lesson bodies: 3 compiled, 0 from the cache');
    const clean = hocso(['build', '--no-cache', '--out', 'clean'], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
    expect(clean.code, clean.stderr).toBe(0);
    expect(treeHashes(path.join(dir, 'out'))).toEqual(treeHashes(path.join(dir, 'clean')));
  });

  it('a rebuild answered by the cache reports the same warnings, also for a course at the project root', () => {
    const dir = templateProject();
    const course = path.join(dir, 'content/courses/khoa-hoc-dau-tien');
    for (const name of readdirSync(course)) cpSync(path.join(course, name), path.join(dir, name), { recursive: true });
    rmSync(path.join(dir, 'content'), { recursive: true });
    writeFileSync(path.join(dir, 'hocso.config.yaml'), 'courses:\n  - .\noutput: out\ntargets: [web]\n');
    writeFileSync(path.join(dir, 'lessons/bai-dau-tien.md'), `${readFileSync(path.join(dir, 'lessons/bai-dau-tien.md'), 'utf8')}\n#### Quá sâu\n\nMột đoạn.\n`);
    const cache = tempDir('hocso-cache-');
    const first = build(dir, cache);
    const again = build(dir, cache);
    expect(again.stderr).toContain('nothing written');
    for (const result of [first, again]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/lessons\/bai-dau-tien\.md:\d+:1 +warning +heading level jumps/);
    }
  });

  it('an output deleted by hand is written again from the cache, without rendering', () => {
    const dir = threeCourses();
    const cache = tempDir('hocso-cache-');
    expect(build(dir, cache).code).toBe(0);
    const whole = treeHashes(path.join(dir, 'out'));
    rmSync(path.join(dir, 'out/web/khoa-c'), { recursive: true });
    writeFileSync(path.join(dir, 'out/scorm12/khoa-a.vi.scorm12.zip'), 'damaged');
    const again = build(dir, cache);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('2 written, 4 unchanged');
    expect(again.stderr).toContain('cache: 6 of 6 units from the build cache');
    expect(treeHashes(path.join(dir, 'out'))).toEqual(whole);
  });

  it('a damaged cache entry is a miss: the unit is rendered again, correctly', () => {
    const dir = threeCourses();
    const cache = tempDir('hocso-cache-');
    expect(build(dir, cache).code).toBe(0);
    const whole = treeHashes(path.join(dir, 'out'));
    const cas = path.join(cache, 'build', 'cas');
    for (const folder of readdirSync(cas)) for (const blob of readdirSync(path.join(cas, folder))) writeFileSync(path.join(cas, folder, blob), 'not what was stored');
    rmSync(path.join(dir, 'out'), { recursive: true });
    const again = build(dir, cache);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('cache: 0 of 6 units from the build cache');
    expect(treeHashes(path.join(dir, 'out'))).toEqual(whole);
  });

  it('a failed build writes nothing and stores nothing in the cache', () => {
    const dir = threeCourses();
    const cache = tempDir('hocso-cache-');
    expect(build(dir, cache).code).toBe(0);
    const before = { out: snapshot(path.join(dir, 'out')), cache: snapshot(path.join(cache, 'build', 'ac')) };
    writeFileSync(path.join(dir, LESSON('khoa-b')), readFileSync(path.join(dir, LESSON('khoa-b')), 'utf8').replace('tt02:1.1@1', 'tt02:9.9@1'));
    const broken = build(dir, cache);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/content\/courses\/khoa-b\/lessons\/bai-dau-tien\.md:\d+/);
    expect(broken.stderr).toContain('Nothing was written');
    expect(snapshot(path.join(dir, 'out'))).toEqual(before.out);
    expect(snapshot(path.join(cache, 'build', 'ac'))).toEqual(before.cache);
  });
});

describe('--shard I/N', () => {
  it('the shards together are the unsharded build, byte for byte, each unit in exactly one shard', () => {
    const dir = threeCourses();
    const whole = hocso(['build', '--no-cache', '--out', 'whole'], dir);
    expect(whole.code, whole.stderr).toBe(0);
    const union: Record<string, string> = {};
    for (const i of [1, 2, 3, 4]) {
      const shard = hocso(['build', '--shard', `${i}/4`, '--out', `shard-${i}`], dir, { HOCSO_CACHE_DIR: tempDir('hocso-cache-') });
      expect(shard.code, shard.stderr).toBe(0);
      expect(shard.stderr).toContain(`for shard ${i}/4`);
      const files = existsSync(path.join(dir, `shard-${i}`)) ? treeHashes(path.join(dir, `shard-${i}`)) : {};
      for (const [file, hash] of Object.entries(files)) {
        expect(union[file], `${file} in two shards`).toBeUndefined();
        union[file] = hash;
      }
    }
    expect(union).toEqual(treeHashes(path.join(dir, 'whole')));
  });

  it('a shard that is not I/N is a usage error with a hint', () => {
    const dir = threeCourses();
    for (const bad of ['0/3', '4/3', '2', 'a/b']) {
      const result = hocso(['build', '--shard', bad], dir);
      expect(result.code, bad).toBe(2);
      expect(result.stderr).toContain('--shard I/N');
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    }
  });
});

describe('--cache-url against a real nginx (WebDAV PUT)', () => {
  let nginx: TestNginx;
  beforeAll(async () => {
    nginx = await startNginx();
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it('a second machine with an empty local cache gets every unit from the remote, byte for byte', () => {
    const first = threeCourses();
    const a = build(first, tempDir('hocso-cache-'), ['--cache-url', nginx.url]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/remote: 0 hits, [1-9]\d* uploads/);
    expect(readdirSync(path.join(nginx.root, 'ac')).length).toBeGreaterThan(0);
    // Another checkout in another folder, another local cache: the keys depend on content, not on where it lies.
    const second = threeCourses();
    const b = build(second, tempDir('hocso-cache-'), ['--cache-url', nginx.url]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/cache: 6 of 6 units from the build cache \(remote: \d+ hits, 0 uploads\);/);
    expect(treeHashes(path.join(second, 'out'))).toEqual(treeHashes(path.join(first, 'out')));
    // publish builds through the same cache: a third machine publishes without rendering anything.
    const third = threeCourses();
    const released = hocso(['publish', '--cache-url', nginx.url, '--version', '1'], third, { HOCSO_CACHE_DIR: tempDir('hocso-cache-'), HOCSO_TIMING: '1' });
    expect(released.code, released.stderr).toBe(0);
    expect(released.stderr).toContain('cache: 6 of 6 units from the build cache');
    const release = treeHashes(path.join(third, 'out', 'releases', '1'));
    for (const [file, hash] of Object.entries(treeHashes(path.join(first, 'out')))) expect(release[file], file).toBe(hash);
  });

  it('an unreachable remote cache is one warning; the build goes on', () => {
    const dir = threeCourses();
    const result = build(dir, tempDir('hocso-cache-'), ['--cache-url', 'http://127.0.0.1:9/hocso']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/warning: remote cache http:\/\/127\.0\.0\.1:9\/hocso\/ unreachable/g)).toHaveLength(1);
    expect(result.stderr).toContain('6 written');
  });

  it('a cache URL that is not http(s) is a usage error', () => {
    const dir = threeCourses();
    const result = hocso(['build', '--cache-url', 'ftp://example.org/cache'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--cache-url http://');
  });
});
