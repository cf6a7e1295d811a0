// @vitest-environment node
// Language variants (NAME.LANG.md) as translators add them: built in every language and target, falling back along
// the configured chain, and refused when they change what a translation may not change.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageLabel } from '../../src/i18n/language-tag.js';
import { readZip } from '../../src/verify/zip-reader.js';
import { hocso, templateProject, TEMPLATE_LESSON } from '../helpers/project.js';

const COURSE_DIR = 'content/courses/khoa-hoc-dau-tien';
const VARIANT = TEMPLATE_LESSON.replace(/\.md$/, '.en.md');

/** The template lesson in English: same quiz, same choices, translated text. */
const ENGLISH = `---
id: bai-dau-tien
title: The first lesson
objectives:
  - Know how to write a lesson in Markdown
translation:
  from: vi
  status: draft
---

This is a sample lesson. Write your content here, in short and simple sentences.

## The steps

:::steps
1. Open this lesson file in a text editor.
2. Change the title and the content.
3. Run \`npx hocso validate\` then \`npx hocso build\`.
:::

:::tip[Tip]
Every lesson should have at least one question for learners to check themselves.
:::

## Question

::::quiz{#kiem-tra-lenh type=single}
Which command makes the course's web pages?

- [x] \`npx hocso build\`
  > Right. It makes the \`out/web/\` folder.
- [ ] \`npx hocso init\`
  > Not quite. It makes a new project.
::::
`;

function project(variant = ENGLISH, languages = `languages:\n  - vi\n  - en\n  - tag: tyz\n    fallback: [vi]\n`): string {
  const root = templateProject({ [VARIANT]: variant });
  const config = path.join(root, 'hocso.config.yaml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}${languages}`);
  const course = path.join(root, COURSE_DIR, 'course.yaml');
  writeFileSync(course, `${readFileSync(course, 'utf8')}translations:\n  en:\n    title: The first course\n    modules:\n      bat-dau:\n        title: Getting started\n`);
  return root;
}

const page = (root: string, lang: string, file = 'lessons/bai-dau-tien.html'): string => readFileSync(path.join(root, 'out/web/khoa-hoc-dau-tien', lang, file), 'utf8');

describe('building every language', () => {
  it('builds each configured language, the variant where there is one, the chain where there is not', () => {
    const root = project();
    const run = hocso(['build'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(path.join(root, 'out/web/khoa-hoc-dau-tien')).sort()).toEqual(['en', 'tyz', 'vi']);

    const en = page(root, 'en');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Which command makes the course');
    expect(en).not.toContain('<article class="lesson" lang=');
    expect(page(root, 'en', 'index.html')).toContain('The first course');
    expect(page(root, 'en', 'index.html')).toContain('Getting started');

    // No Tày variant yet: the Vietnamese lesson, marked as Vietnamese inside the Tày bundle.
    const tyz = page(root, 'tyz');
    expect(tyz).toContain('<html lang="tyz">');
    expect(tyz).toContain('<article class="lesson" lang="vi">');
    expect(tyz).toContain('Lệnh nào tạo ra trang web');
    expect(page(root, 'tyz', 'index.html')).toMatch(/<a class="lesson-link" data-lesson="bai-dau-tien" href="[^"]+" lang="vi">/);
    expect(run.stderr).toContain('Fallbacks (no variant in that language yet):\n  khoa-hoc-dau-tien in tyz (Tày): 1 of 1 lessons in vi\n');

    expect(page(root, 'vi')).toContain('Lệnh nào tạo ra trang web');
  });

  it('builds every language for the package targets too', async () => {
    const root = project();
    expect(hocso(['build', '--target', 'scorm2004', '--target', 'cmi5'], root).code).toBe(0);
    expect(readdirSync(path.join(root, 'out/scorm2004')).sort()).toEqual(['khoa-hoc-dau-tien.en.scorm2004.zip', 'khoa-hoc-dau-tien.tyz.scorm2004.zip', 'khoa-hoc-dau-tien.vi.scorm2004.zip']);
    expect(readdirSync(path.join(root, 'out/cmi5')).sort()).toEqual(['khoa-hoc-dau-tien.en.cmi5.zip', 'khoa-hoc-dau-tien.tyz.cmi5.zip', 'khoa-hoc-dau-tien.vi.cmi5.zip']);
    // The Tày package shows the lesson in Vietnamese, and says so.
    const { files } = await readZip(path.join(root, 'out/cmi5/khoa-hoc-dau-tien.tyz.cmi5.zip'));
    const au = /<au [^>]*>\s*<title>\s*<langstring lang="([^"]+)">([^<]+)</.exec(Buffer.from(files.get('cmi5.xml')!).toString('utf8'))!;
    expect([au[1], au[2]]).toEqual(['vi', 'Bài học đầu tiên']);
    const en = await readZip(path.join(root, 'out/cmi5/khoa-hoc-dau-tien.en.cmi5.zip'));
    expect(/<au [^>]*>\s*<title>\s*<langstring lang="([^"]+)">/.exec(Buffer.from(en.files.get('cmi5.xml')!).toString('utf8'))![1]).toBe('en');
  });

  it("builds only the languages asked for with --lang, and names the project's languages for an unknown one", () => {
    const root = project();
    expect(hocso(['build', '--lang', 'en'], root).code).toBe(0);
    expect(readdirSync(path.join(root, 'out/web/khoa-hoc-dau-tien'))).toEqual(['en']);
    const unknown = hocso(['build', '--lang', 'hmn'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: the project does not build `hmn`');
    expect(unknown.stderr).toContain('Languages: vi (Tiếng Việt), en (English), tyz (Tày)');
  });

  it('rejects an invalid language tag in the config at its line', () => {
    const root = project(ENGLISH, 'languages:\n  - vi\n  - tag: en\n    fallback: [vi_VN]\n');
    const run = hocso(['validate'], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/hocso\.config\.yaml:\d+:\d+\s+error\s+`vi_VN` is not a valid BCP 47 language tag/);
  });

  it('names languages in reports', () => {
    expect(languageLabel('tyz')).toBe('tyz (Tày)');
    expect(languageLabel('hnj')).toBe('hnj (Hmoob Ntsuab, Green Hmong)');
    expect(languageLabel('blt')).toBe('blt (Tai Dam)');
    expect(languageLabel('fr')).toBe('fr (French)');
  });
});

describe('what a translation may not change', () => {
  const diverging = (change: (text: string) => string): { code: number; stderr: string; root: string } => {
    const root = project(change(ENGLISH));
    const run = hocso(['build'], root);
    return { ...run, root };
  };
  const variantFile = `${COURSE_DIR}/lessons/bai-dau-tien.en.md`;
  const sourceFile = `${COURSE_DIR}/lessons/bai-dau-tien.md`;

  it.each([
    ['a quiz id', (t: string) => t.replace('#kiem-tra-lenh', '#check-command'), /quiz 1 is `check-command`, in the source `kiem-tra-lenh`/],
    ['which choice is correct', (t: string) => t.replace('- [x] `npx hocso build`', '- [ ] `npx hocso build`').replace('- [ ] `npx hocso init`', '- [x] `npx hocso init`'), /choice a of quiz `kiem-tra-lenh` is marked wrong, in the source right/],
    ['the number of choices', (t: string) => t.replace('::::\n', '- [ ] `npx hocso help`\n::::\n'), /quiz `kiem-tra-lenh` has 3 choices, in the source 2/],
    ['the competencies', (t: string) => t.replace('objectives:', 'competencies: [tt02:1.2]\nobjectives:'), /competencies `tt02:1\.2` differ from the source's `tt02:1\.1@1`/],
    ['the mastery score', (t: string) => t.replace('objectives:', 'masteryScore: 0.5\nobjectives:'), /masteryScore 0\.5 differs from the source's 0\.8/],
    ['the lesson id', (t: string) => t.replace('id: bai-dau-tien', 'id: first-lesson'), /the variant's id is `first-lesson`, its source's `bai-dau-tien`/],
    ['the number of quizzes', (t: string) => t.replace(/::::quiz[\s\S]*::::\n/, ''), /the variant has 0 quizzes, its source 1/],
  ])('refuses a variant that changes %s, naming both files and writing nothing', (_what, change, message) => {
    const run = diverging(change);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain(`${variantFile}:`);
    expect(run.stderr).toMatch(new RegExp(`the source says otherwise at ${sourceFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`));
    expect(run.stderr).toContain('variant/diverges');
    expect(existsSync(path.join(run.root, 'out'))).toBe(false);
  });

  it('accepts a variant that rewrites text and feedback freely', () => {
    const run = diverging((t) => t.replace('Right. It makes', 'Correct! It creates').replace('## The steps', '## What to do\n\nA new paragraph only in English.'));
    expect(run.code, run.stderr).toBe(0);
    expect(page(run.root, 'en')).toContain('Correct! It creates');
  });
});
