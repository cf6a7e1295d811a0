// Sources are read in NFC: a course written by an editor that saves decomposed Vietnamese (NFD) builds to the same
// bytes as the same course in NFC — ids, anchors, hashes and every file of the output.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSourceFile, normalizeSourceText, readSourceText } from '../../src/source/text-file.js';
import { hocso, INIT_TEMPLATE, readTemplateLesson, sampleProject, TEMPLATE_LESSON, templateProject, tempDir, treeHashes } from '../helpers/project.js';

const NFC = 'Cài đặt ứng dụng VNeID — Nhận biết lừa đảo';
const NFD = NFC.normalize('NFD');

/** Rewrites every text source of a project (Markdown, YAML) decomposed; returns how many files changed. */
function decomposeProject(dir: string): number {
  let changed = 0;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(md|ya?ml)$/.test(name)) {
        const text = readFileSync(full, 'utf8');
        if (text.normalize('NFD') !== text) changed++;
        writeFileSync(full, text.normalize('NFD'));
      }
    }
  };
  walk(dir);
  return changed;
}

describe('NFC source text', () => {
  it('composes decomposed text when sources are read, keeping lines', () => {
    expect(NFD).not.toBe(NFC);
    expect(normalizeSourceText(NFD)).toBe(NFC);
    expect(normalizeSourceText(`\uFEFF${NFD}\r\nb\rc`)).toBe(`${NFC}\nb\nc`);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.md'), `---\ntitle: ${NFD}\n---\n\n# ${NFD}\n`);
    expect(readSourceText(path.join(dir, 'a.md'))).toBe(`---\ntitle: ${NFC}\n---\n\n# ${NFC}\n`);
  });

  it('finds a file whose name is in the other normalization form', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'bài học'.normalize('NFD')));
    writeFileSync(path.join(dir, 'bài học'.normalize('NFD'), 'ảnh.png'.normalize('NFD')), 'x');
    writeFileSync(path.join(dir, 'mục lục.md'), 'y');
    const wanted = path.join(dir, 'bài học', 'ảnh.png');
    expect(findSourceFile(wanted)).toBe(path.join(dir, 'bài học'.normalize('NFD'), 'ảnh.png'.normalize('NFD')));
    expect(readFileSync(findSourceFile(wanted)!, 'utf8')).toBe('x');
    expect(findSourceFile(path.join(dir, 'mục lục.md'.normalize('NFD')))).toBe(path.join(dir, 'mục lục.md'));
    expect(findSourceFile(path.join(dir, 'mục lục.md'))).toBe(path.join(dir, 'mục lục.md'));
    expect(findSourceFile(path.join(dir, 'không có.md'))).toBeUndefined();
    expect(readSourceText(path.join(dir, 'mục lục.md'.normalize('NFD')))).toBe('y');
  });

  it('builds an NFD course to exactly the bytes of the same course in NFC', () => {
    const nfc = sampleProject();
    const nfd = sampleProject();
    expect(decomposeProject(nfd)).toBeGreaterThan(5);
    for (const project of [nfc, nfd]) {
      const built = hocso(['build', '--target', 'web', '--target', 'cmi5', '--target', 'scorm2004'], project);
      expect(built.code, built.stderr).toBe(0);
    }
    const [a, b] = [treeHashes(path.join(nfc, 'out')), treeHashes(path.join(nfd, 'out'))];
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(b).toEqual(a);
    // And the diagnostics (with their columns) are the same.
    expect(hocso(['validate', '--format', 'json'], nfd).stdout).toBe(hocso(['validate', '--format', 'json'], nfc).stdout);
  });

  // Needs findSourceFile in course-file.ts (lesson paths), lesson-body.ts (links and media) and web.ts (copying
  // files/): see docs/fonts.md, "NFC". Turn `it.todo` into `it` once they are wired.
  it('finds lessons and media whose file names are NFD on disk while the sources name them in NFC', () => {
    const lessonName = 'lessons/bài-đầu-tiên.md';
    const mediaName = 'media/ảnh-mẫu.svg';
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n';
    const build = (onDisk: 'NFC' | 'NFD'): Record<string, string> => {
      const course = 'content/courses/khoa-hoc-dau-tien';
      const lesson = readTemplateLesson().replace('## Các bước', `![Ảnh mẫu](../${mediaName})\n\n## Các bước`);
      const project = templateProject({
        [`${course}/course.yaml`]: readFileSync(path.join(INIT_TEMPLATE, course, 'course.yaml'), 'utf8').replace('lessons/bai-dau-tien.md', lessonName),
      });
      rmSync(path.join(project, TEMPLATE_LESSON));
      mkdirSync(path.join(project, course, 'media'), { recursive: true });
      writeFileSync(path.join(project, course, lessonName.normalize(onDisk)), lesson);
      writeFileSync(path.join(project, course, mediaName.normalize(onDisk)), svg);
      const built = hocso(['build'], project);
      expect(built.code, built.stderr + built.stdout).toBe(0);
      return treeHashes(path.join(project, 'out'));
    };
    const nfc = build('NFC');
    expect(Object.keys(nfc)).toContain(`web/khoa-hoc-dau-tien/vi/files/${mediaName}`);
    expect(build('NFD')).toEqual(nfc);
  });
});
