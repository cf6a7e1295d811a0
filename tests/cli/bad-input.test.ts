import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hocso, readTemplateLesson, tempDir, TEMPLATE_LESSON, templateProject, treeHashes } from '../helpers/project.js';

const lesson = readTemplateLesson();
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

/** The template lesson with its body appended to. */
const withBody = (extra: string): string => `${lesson}\n${extra}\n`;

interface BadCase {
  name: string;
  files: Record<string, string>;
  rule: string;
  file: string;
  line: number;
  message?: RegExp;
}

const cases: BadCase[] = [
  (() => {
    const text = lesson.replace('title: Bài học đầu tiên', 'title: [Bài học đầu tiên');
    return { name: 'broken YAML in front matter', files: { [TEMPLATE_LESSON]: text }, rule: 'lesson/front-matter-syntax', file: TEMPLATE_LESSON, line: 3 };
  })(),
  (() => {
    const text = lesson.replace(/objectives:\n  - [^\n]+\n/, '');
    return { name: 'a missing required key', files: { [TEMPLATE_LESSON]: text }, rule: 'lesson/schema', file: TEMPLATE_LESSON, line: 2, message: /missing required key `objectives`/ };
  })(),
  (() => {
    const text = lesson.replace('tt02:1.1@1', 'tt02:1.9@1');
    return { name: 'an unknown competency code', files: { [TEMPLATE_LESSON]: text }, rule: 'competency/unknown-code', file: TEMPLATE_LESSON, line: lineOf(text, 'tt02:1.9'), message: /did you mean `tt02:1\.\d`/ };
  })(),
  (() => {
    const text = lesson.replace('tt02:1.1@1', 'tt02:1.1@12');
    return { name: 'a level outside the framework', files: { [TEMPLATE_LESSON]: text }, rule: 'competency/level-out-of-range', file: TEMPLATE_LESSON, line: lineOf(text, 'tt02:1.1@12') };
  })(),
  (() => {
    const second = 'content/courses/khoa-hoc-dau-tien/lessons/bai-hai.md';
    const course = readFileSync(path.join(templateProject(), 'content/courses/khoa-hoc-dau-tien/course.yaml'), 'utf8').replace('- lessons/bai-dau-tien.md', '- lessons/bai-dau-tien.md\n      - lessons/bai-hai.md');
    return { name: 'a duplicate lesson id', files: { [second]: lesson, 'content/courses/khoa-hoc-dau-tien/course.yaml': course }, rule: 'lesson/duplicate-id', file: second, line: 2, message: /already used by content\/courses\/khoa-hoc-dau-tien\/lessons\/bai-dau-tien\.md:2/ };
  })(),
  (() => {
    const text = lesson.replace('- [x] `npx hocso build`', '- [ ] `npx hocso build`');
    return { name: 'a quiz with no correct answer', files: { [TEMPLATE_LESSON]: text }, rule: 'quiz/no-correct-answer', file: TEMPLATE_LESSON, line: lineOf(text, '::::quiz') };
  })(),
  (() => {
    const text = withBody('Xem [tệp mật khẩu](../../etc/passwd).');
    return { name: 'a link to ../../etc/passwd', files: { [TEMPLATE_LESSON]: text }, rule: 'link/outside-course', file: TEMPLATE_LESSON, line: lineOf(text, 'Xem [tệp') };
  })(),
  (() => {
    const text = withBody('<script>alert("xin chào")</script>');
    return { name: 'a <script> element', files: { [TEMPLATE_LESSON]: text }, rule: 'html/unsafe', file: TEMPLATE_LESSON, line: lineOf(text, '<script>') };
  })(),
  (() => {
    const text = withBody('Ảnh:\n\n<img src="x.png" alt="x" onerror="fetch(\'//evil\')">');
    return { name: 'an onerror= handler', files: { [TEMPLATE_LESSON]: text }, rule: 'html/unsafe', file: TEMPLATE_LESSON, line: lineOf(text, '<img'), message: /event handler/ };
  })(),
  (() => {
    const text = withBody('[bấm vào đây](javascript:alert(1))');
    return { name: 'a javascript: URL', files: { [TEMPLATE_LESSON]: text }, rule: 'link/unsafe-url', file: TEMPLATE_LESSON, line: lineOf(text, '[bấm vào') };
  })(),
  (() => {
    const text = withBody('![](../media/khong-co.png)');
    return { name: 'a missing image without alt text', files: { [TEMPLATE_LESSON]: text }, rule: 'media/missing', file: TEMPLATE_LESSON, line: lineOf(text, '![](') };
  })(),
  (() => {
    const text = lesson.replace('masteryScore: 0.8', 'masteryScore: 80');
    return { name: 'a mastery score written as a percentage', files: { [TEMPLATE_LESSON]: text }, rule: 'lesson/schema', file: TEMPLATE_LESSON, line: lineOf(text, 'masteryScore'), message: /write 0\.8 for 80%/ };
  })(),
  {
    name: 'broken YAML in course.yaml',
    files: { 'content/courses/khoa-hoc-dau-tien/course.yaml': 'id: khoa-hoc\ntitle: "Khóa học\nlanguage: vi\n' },
    rule: 'course/yaml-syntax',
    file: 'content/courses/khoa-hoc-dau-tien/course.yaml',
    line: 2,
  },
  {
    name: 'an unknown key in hocso.config.yaml',
    files: { 'hocso.config.yaml': 'courses:\n  - content/courses/khoa-hoc-dau-tien\noutptu: dist\n' },
    rule: 'config/schema',
    file: 'hocso.config.yaml',
    line: 3,
    message: /unknown key `outptu`/,
  },
];

describe('bad input gives a diagnostic, exit code 1 and no output', () => {
  it.each(cases)('$name', ({ files, rule, file, line, message }) => {
    const project = templateProject(files);
    const result = hocso(['build'], project);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
    expect(result.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+\\s+error\\s+.*${rule.replace('/', '\\/')}`));
    if (message) expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('hint:');
    expect(existsSync(path.join(project, 'out'))).toBe(false);

    const json = hocso(['validate', '--format', 'json'], project);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { errors: number; diagnostics: { ruleId: string; file: string; line: number; column: number; hint: string }[] };
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ ruleId: rule, file, line, hint: expect.any(String) }));
  });

  it('reports every problem in one run, not only the first', () => {
    const text = withBody('[a](../../etc/passwd)\n\n<script>x()</script>').replace('tt02:1.1@1', 'tt02:9.9');
    const result = hocso(['validate', '--format', 'json'], templateProject({ [TEMPLATE_LESSON]: text }));
    const rules = (JSON.parse(result.stdout) as { diagnostics: { ruleId: string }[] }).diagnostics.map((d) => d.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['competency/unknown-code', 'link/outside-course', 'html/unsafe']));
  });

  it('a failed build leaves the previous output intact', () => {
    const project = templateProject();
    expect(hocso(['build'], project).code).toBe(0);
    const out = path.join(project, 'out');
    const before = treeHashes(out);
    writeFileSync(path.join(project, TEMPLATE_LESSON), withBody('<script>x()</script>'));
    expect(hocso(['build'], project).code).toBe(1);
    expect(treeHashes(out)).toEqual(before);
  });

  it('sanitizes raw HTML even where it only warns: no script reaches the page', () => {
    const project = templateProject({ [TEMPLATE_LESSON]: withBody('Chữ <b>đậm</b> và <span title="x">một span</span>.') });
    expect(hocso(['build'], project).code).toBe(0);
    const page = readFileSync(path.join(project, 'out/web/khoa-hoc-dau-tien/vi/lessons/bai-dau-tien.html'), 'utf8');
    expect(page).toContain('<b>đậm</b>');
  });
});

describe('usage and environment errors exit with 2', () => {
  it('no project found', () => {
    const result = hocso(['build'], tempDir());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no hocso\.config\.yaml/);
  });

  it('an unknown command or option', () => {
    const project = templateProject();
    expect(hocso(['biuld'], project).code).toBe(2);
    expect(hocso(['validate', '--format', 'xml'], project).code).toBe(2);
    expect(hocso(['build', '--config', 'nope.yaml'], project).code).toBe(2);
  });

  it('an output folder that cannot be created, without a stack trace', () => {
    const project = templateProject({ 'blocker': 'a file where the output folder should go' });
    const result = hocso(['build', '--out', 'blocker/out'], project);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: cannot mkdir .*blocker\/out.* \(ENOTDIR\)\n  hint: /);
  });

});
