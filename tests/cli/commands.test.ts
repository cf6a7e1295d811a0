import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hocso, readTemplateLesson, sampleProject, TEMPLATE_LESSON, tempDir, templateProject } from '../helpers/project.js';

describe('hocso init', () => {
  it('scaffolds a project that validates with no problem and builds at once', () => {
    const dir = path.join(tempDir(), 'du-an-moi');
    const created = hocso(['init', dir], process.cwd());
    expect(created.code).toBe(0);
    expect(existsSync(path.join(dir, 'hocso.config.yaml'))).toBe(true);
    const validated = hocso(['validate'], dir);
    expect(validated.code).toBe(0);
    expect(validated.stderr).toBe('No problems found.\n');
    expect(hocso(['build'], dir).code).toBe(0);
    expect(existsSync(path.join(dir, 'out/web/khoa-hoc-dau-tien/vi/lessons/bai-dau-tien.html'))).toBe(true);
  });

  it('refuses a folder that already holds a project (exit 2)', () => {
    const dir = templateProject();
    const again = hocso(['init', dir], process.cwd());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });
});

describe('hocso validate', () => {
  it('finds the config in a parent folder and checks only what PATH holds', () => {
    const lesson2 = 'content/courses/khoa-hoc-dau-tien/lessons/bai-hai.md';
    const project = templateProject({ [lesson2]: readTemplateLesson().replace('id: bai-dau-tien', 'id: bai-hai').replace('tt02:1.1@1', 'tt02:7.7') });
    const course = path.join(project, 'content/courses/khoa-hoc-dau-tien/course.yaml');
    writeFileSync(course, readFileSync(course, 'utf8').replace('- lessons/bai-dau-tien.md', '- lessons/bai-dau-tien.md\n      - lessons/bai-hai.md'));
    const lessons = path.join(project, 'content/courses/khoa-hoc-dau-tien/lessons');
    expect(hocso(['validate', 'bai-dau-tien.md'], lessons).code).toBe(0);
    const broken = hocso(['validate', 'bai-hai.md', '--format', 'json'], lessons);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).diagnostics).toMatchObject([{ ruleId: 'competency/unknown-code', file: lesson2 }]);
    expect(hocso(['validate'], lessons).code).toBe(1);
  });

  it('reports warnings but exits 0', () => {
    const text = readTemplateLesson().replace('  > Chưa đúng. Lệnh này tạo một dự án mới.\n', '');
    const result = hocso(['validate'], templateProject({ [TEMPLATE_LESSON]: text }));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning\s+quiz `kiem-tra-lenh`: 1 choice has no feedback\s+quiz\/missing-feedback/);
  });

  it('passes on the bundled sample course with no problem at all', () => {
    const result = hocso(['validate'], sampleProject());
    expect(result.stderr).toBe('No problems found.\n');
    expect(result.code).toBe(0);
  });
});

describe('hocso report competencies', () => {
  const project = sampleProject();

  it('prints a table with every competence and those no lesson covers', () => {
    const result = hocso(['report', 'competencies'], project);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^tt02:4\.2\s+Bảo vệ dữ liệu cá nhân/m);
    expect(result.stdout).toMatch(/Not covered by any lesson \(\d+ of \d+\):/);
    expect(result.stdout).toMatch(/^ {2}tt02:3\.4\s+Lập trình/m);
  });

  it('gives the same matrix as JSON, CSV and HTML', () => {
    const json = JSON.parse(hocso(['report', 'competencies', '--format', 'json'], project).stdout) as { lessons: unknown[]; competences: { framework: string; code: string; lessons: { lesson: string; level?: number }[] }[]; uncovered: string[] };
    expect(json.lessons).toHaveLength(6);
    const c42 = json.competences.find((c) => c.framework === 'tt02' && c.code === '4.2')!;
    expect(c42.lessons.map((l) => l.lesson)).toContain('lua-dao-truc-tuyen');
    expect(json.uncovered).toContain('tt02:3.4');
    expect(json.uncovered).not.toContain('tt02:4.2');

    const csv = hocso(['report', 'competencies', '--format', 'csv'], project).stdout.trim().split('\r\n');
    expect(csv[0]).toMatch(/^framework,code,title_vi,title_en,ky-nang-so-thiet-yeu\/cai-dat-vneid,/);
    expect(csv).toHaveLength(json.competences.length + 1);

    const html = hocso(['report', 'competencies', '--format', 'html'], project).stdout;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html.match(/<tr/g)).toHaveLength(json.competences.length + 1);
    expect(hocso(['report', 'competencies', '--format', 'pdf'], project).code).toBe(2);
  });
});
