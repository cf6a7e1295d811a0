import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hocso, sampleProject, tempDir, treeHashes } from '../helpers/project.js';

describe('hocso build on the sample course', () => {
  let project: string;
  let bundle: string;
  let first: ReturnType<typeof hocso>;

  beforeAll(() => {
    project = sampleProject();
    first = hocso(['build'], project);
    bundle = path.join(project, 'out', 'web', 'ky-nang-so-thiet-yeu', 'vi');
  });

  it('builds with exit code 0 and names what it wrote', () => {
    expect(first.stderr).toContain('out/web/ky-nang-so-thiet-yeu/vi/index.html');
    expect(first.code).toBe(0);
  });

  it('writes an index, one page per lesson, the assets and the media', () => {
    const lessons = readdirSync(path.join(bundle, 'lessons')).sort();
    expect(lessons).toEqual(['cai-dat-vneid.html', 'dich-vu-cong-truc-tuyen.html', 'lua-dao-truc-tuyen.html', 'mat-khau-an-toan.html', 'thanh-toan-qr.html', 'tro-ly-ai-an-toan.html']);
    expect(existsSync(path.join(bundle, 'index.html'))).toBe(true);
    expect(existsSync(path.join(bundle, 'assets', 'hocso.js'))).toBe(true);
    expect(existsSync(path.join(bundle, 'assets', 'hocso.css'))).toBe(true);
    expect(existsSync(path.join(bundle, 'files', 'media', 'vneid-passcode.svg'))).toBe(true);
  });

  it('turns links between lessons into links between pages, in course order', () => {
    const page = readFileSync(path.join(bundle, 'lessons', 'cai-dat-vneid.html'), 'utf8');
    expect(page).toContain('href="mat-khau-an-toan.html"');
    expect(page).not.toMatch(/href="[^"]*\.md"/);
    expect(page).toMatch(/<a class="pager-next" rel="next" href="dich-vu-cong-truc-tuyen.html">/);
    const index = readFileSync(path.join(bundle, 'index.html'), 'utf8');
    const order = [...index.matchAll(/data-lesson="([^"]+)" href/g)].map((m) => m[1]);
    expect(order).toEqual(['cai-dat-vneid', 'dich-vu-cong-truc-tuyen', 'mat-khau-an-toan', 'lua-dao-truc-tuyen', 'thanh-toan-qr', 'tro-ly-ai-an-toan']);
  });

  it('makes no request outside the bundle and is accessible by construction', () => {
    for (const file of ['index.html', ...readdirSync(path.join(bundle, 'lessons')).map((f) => `lessons/${f}`)]) {
      const html = readFileSync(path.join(bundle, file), 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="vi">/);
      // Nothing is loaded from elsewhere: every src and every <link href> is relative.
      expect(html).not.toMatch(/\ssrc="(?:https?:)?\/\//);
      expect(html).not.toMatch(/<link[^>]+href="(?:https?:)?\/\//);
      expect(html).toContain('<main id="main"');
      expect(html).toContain('class="skip-link" href="#main"');
      expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
      for (const img of html.match(/<img [^>]*>/g) ?? []) expect(img).toMatch(/ alt="[^"]+"/);
    }
    const css = readFileSync(path.join(bundle, 'assets', 'hocso.css'), 'utf8');
    expect(css).not.toMatch(/url\(\s*['"]?(?:https?:)?\/\//);
    expect(css).not.toMatch(/@import/);
  });

  it('renders every quiz with labelled, keyboard-operable controls and its data', () => {
    const page = readFileSync(path.join(bundle, 'lessons', 'cai-dat-vneid.html'), 'utf8');
    const quizzes = page.match(/<section class="quiz" id="quiz-[^"]+" data-quiz="[^"]+" data-type="(single|multiple|truefalse|fill)"/g) ?? [];
    expect(quizzes.length).toBeGreaterThanOrEqual(3);
    for (const input of page.match(/<input [^>]*>/g) ?? []) {
      const id = /id="([^"]+)"/.exec(input)![1];
      expect(page).toContain(`<label for="${id}">`);
    }
    const data = JSON.parse(/<script type="application\/json" id="hocso-data">([\s\S]*?)<\/script>/.exec(page)![1]!);
    expect(data.lesson).toBe('cai-dat-vneid');
    const fill = data.quizzes.find((q: { type: string }) => q.type === 'fill');
    expect(fill.answers).toContain('6');
  });

  it('rebuilds byte for byte the same', () => {
    const before = treeHashes(bundle);
    expect(hocso(['build'], project).code).toBe(0);
    expect(treeHashes(bundle)).toEqual(before);
  });

  it('builds into --out, one course with --course, and rejects an unknown course or target with exit 2', () => {
    const out = tempDir('hocso-out-');
    expect(hocso(['build', '--out', out, '--course', 'ky-nang-so-thiet-yeu'], project).code).toBe(0);
    expect(existsSync(path.join(out, 'web', 'ky-nang-so-thiet-yeu', 'vi', 'index.html'))).toBe(true);
    const unknownCourse = hocso(['build', '--course', 'khong-co'], project);
    expect(unknownCourse.code).toBe(2);
    expect(unknownCourse.stderr).toContain('no course with id `khong-co`');
    expect(hocso(['build', '--target', 'pdf'], project).code).toBe(2);
  });
});

describe('hocso build on a generated corpus', () => {
  it('gives byte-identical output whether lessons are compiled in worker threads or not', async () => {
    const { generateCorpus } = await import('../../src/bench/corpus.js');
    const project = tempDir('hocso-corpus-');
    generateCorpus(project, 40, 7);
    const inProcess = hocso(['build', '--out', 'out-0'], project, { HOCSO_WORKERS: '0' });
    expect(inProcess.stderr).toContain('(40 lessons)');
    expect(inProcess.code).toBe(0);
    const stats = path.join(project, 'stats.json');
    const workers = hocso(['build', '--out', 'out-2'], project, { HOCSO_WORKERS: '2', HOCSO_STATS_FILE: stats });
    expect(workers.code).toBe(0);
    expect(JSON.parse(readFileSync(stats, 'utf8'))).toMatchObject({ lessons: 40, workers: 2 });
    const a = treeHashes(path.join(project, 'out-0'));
    expect(Object.keys(a)).toHaveLength(40 + 1 + 2);
    expect(treeHashes(path.join(project, 'out-2'))).toEqual(a);
  });
});
