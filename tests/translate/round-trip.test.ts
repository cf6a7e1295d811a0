// @vitest-environment node
// The translator's round trip, as a translator would run it: extract → translate (here, programmatically) →
// import → the variant validates and builds, with its Markdown intact.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hocso } from '../helpers/project.js';
import { COURSE_DIR, read, richProject, translatePo, translateXliff, VARIANT, write } from './helpers.js';

function msgfmtCheck(file: string): { code: number; stderr: string } {
  const run = spawnSync('msgfmt', ['--check', '-o', '/dev/null', file], { encoding: 'utf8' });
  return { code: run.status ?? -1, stderr: `${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

/** What every translated variant must keep of the source's Markdown, and show of the translation. */
function expectStructureKept(variant: string, marker: (text: string) => string): void {
  // inline code, emphasis, strong and links kept, their text translated
  expect(variant).toContain('`npx hocso build`');
  expect(variant).toMatch(/\*\*HM M[ẪẫAÂ]/i);
  expect(variant).toContain('](https://example.org/a_b "Trang")');
  expect(variant).toContain('](bai-dau-tien.md)');
  // directives, quizzes and their choices
  expect(variant).toContain('::::quiz{#kiem-tra-lenh type=single}');
  expect(variant).toContain('::::quiz{#dien-so type=fill}');
  expect(variant).toMatch(/^- \[x\] `npx hocso build`$/m);
  expect(variant).toMatch(/^ {2}> /m);
  expect(variant).toContain(':::steps\n1. ');
  expect(variant).toContain(':::warning[');
  expect(variant).toMatch(/^\| `init` \| .+ \|$/m);
  expect(variant).toContain('](../media/anh.svg "');
  // the captions point at the translated file import wrote beside the source's
  expect(variant).toContain('::audio{src="../media/loi.mp3" captions="../media/loi.hmn.vtt" title="');
  expect(variant).toContain(marker('Lệnh nào tạo ra trang web của khóa học?'));
  // the front matter: translated texts, inherited keys left out, the hashes recorded
  expect(variant).toMatch(/^id: bai-dau-tien$/m);
  expect(variant).not.toMatch(/^competencies:/m);
  expect(variant).toMatch(/^translation:\n {2}from: vi\n {2}status: draft\n {2}segments:\n {4}title: "?[0-9a-f]{8}"?$/m);
}

describe('translate round trip', () => {
  it('PO: extract passes msgfmt --check; the imported variant validates, builds, and keeps its Markdown', () => {
    const root = richProject();
    const extracted = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po', '--out', 'hmn.po'], root);
    expect(extracted.code, extracted.stderr).toBe(0);
    expect(extracted.stderr).toMatch(/Wrote hmn\.po: \d+ segments of khoa-hoc-dau-tien for hmn \(Hmoob, Hmong\): 0 translated, 0 stale, \d+ to translate\./);
    const po = read(root, 'hmn.po');
    expect(msgfmtCheck(path.join(root, 'hmn.po'))).toEqual({ code: 0, stderr: '' });
    // ids, context, placeholders, references
    expect(po).toContain('msgctxt "bai-dau-tien/title"');
    expect(po).toContain('msgctxt "bai-dau-tien/quiz/kiem-tra-lenh/choice/a/feedback"');
    expect(po).toContain('msgctxt "course/modules/bat-dau/title"');
    expect(po).toContain('msgid "Đây là bài <1>mẫu</1> với <2>chữ nghiêng</2>, mã <3/> và <4>một liên kết</4>."');
    expect(po).toMatch(/#\. Placeholders: <1>…<\/1> = bold; <2>…<\/2> = italic; <3\/> = code, keep as is `npx hocso build`; <4>…<\/4> = link to https:\/\/example\.org\/a_b "Trang"/);
    expect(po).toMatch(/#\. Max length: 250 characters/);
    expect(po).toMatch(/#: content\/courses\/khoa-hoc-dau-tien\/lessons\/bai-dau-tien\.md:\d+\nmsgctxt "bai-dau-tien\/b\/1"/);

    write(root, 'hmn-done.po', translatePo(po));
    expect(msgfmtCheck(path.join(root, 'hmn-done.po'))).toEqual({ code: 0, stderr: '' });
    const imported = hocso(['translate', 'import', 'hmn-done.po'], root);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/Imported \d+ segments into hmn/);
    const variant = read(root, VARIANT);
    expectStructureKept(variant, (t) => `HM ${t.toUpperCase()}`);
    expect(read(root, `${COURSE_DIR}/course.yaml`)).toMatch(/translations:\n {2}hmn:\n {4}title: HM KHÓA HỌC ĐẦU TIÊN/);

    const validated = hocso(['validate', '--format', 'json'], root);
    expect(validated.code, validated.stdout).toBe(0);
    expect(JSON.parse(validated.stdout).diagnostics.filter((d: { ruleId: string }) => d.ruleId.startsWith('translation/') || d.ruleId.startsWith('variant/'))).toEqual([]);
    const built = hocso(['build'], root);
    expect(built.code, built.stderr).toBe(0);
    const page = readFileSync(path.join(root, 'out/web/khoa-hoc-dau-tien/hmn/lessons/bai-dau-tien.html'), 'utf8');
    expect(page).toContain('<strong>HM MẪU</strong>');
    expect(page).toContain('<code>npx hocso build</code>');

    const status = hocso(['translate', 'status', '--lang', 'hmn', '--format', 'json'], root);
    expect(status.code).toBe(0);
    const hmn = JSON.parse(status.stdout).languages[0];
    expect(hmn).toMatchObject({ lang: 'hmn', stale: 0, missing: 0, percent: 100 });
  });

  it('XLIFF 2.1: the imported variant validates, builds, and keeps its Markdown', () => {
    const root = richProject();
    const extracted = hocso(['translate', 'extract', '--lang', 'hmn', '--out', 'hmn.xlf'], root);
    expect(extracted.code, extracted.stderr).toBe(0);
    const xliff = read(root, 'hmn.xlf');
    expect(xliff).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.1" srcLang="vi" trgLang="hmn">');
    expect(xliff).toMatch(/<unit id="b\.1" name="bai-dau-tien\/b\/1" type="hocso:paragraph" canResegment="no">/);
    expect(xliff).toContain('<data id="d3">`npx hocso build`</data>');
    expect(xliff).toMatch(/<source>Đây là bài <pc id="1" dataRefStart="d1s" dataRefEnd="d1e" type="fmt" subType="xlf:b"[^>]*>mẫu<\/pc>/);

    write(root, 'hmn-done.xlf', translateXliff(xliff));
    const imported = hocso(['translate', 'import', 'hmn-done.xlf'], root);
    expect(imported.code, imported.stderr).toBe(0);
    const variant = read(root, VARIANT);
    expectStructureKept(variant, (t) => `HM ${t}`);
    expect(variant).toContain('Đây là bài **HM mẫu**');
    const validated = hocso(['validate'], root);
    expect(validated.code, validated.stderr).toBe(0);
    expect(hocso(['build'], root).code).toBe(0);
    expect(existsSync(path.join(root, 'out/web/khoa-hoc-dau-tien/hmn/lessons/bai-dau-tien.html'))).toBe(true);

    // A second extraction pre-fills every translation, marked translated.
    const again = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root);
    expect(again.stderr).toMatch(/: (\d+) translated, 0 stale, 0 to translate\./);
    expect(again.stdout).toContain('msgstr "HM Đây là bài <1>HM mẫu</1>');
  });

  it('refuses a language the project does not have, listing those it has', () => {
    const root = richProject();
    const run = hocso(['translate', 'extract', '--lang', 'tyz'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('`tyz` is not a language of this project');
    expect(run.stderr).toContain('hmn (Hmoob, Hmong), en (English)');
    expect(hocso(['translate', 'extract', '--lang', 'vi'], root).stderr).toContain('`vi` is the source language of course `khoa-hoc-dau-tien`');
  });
});
