// @vitest-environment node
// After the first round trip: the source changes (stale segments, validate warns, CI can fail), the variant and the
// translator's file both change (a conflict: both kept), a file from another source version (refused).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hocso } from '../helpers/project.js';
import { LESSON, read, richProject, translatePo, VARIANT, write } from './helpers.js';

/** A project whose hmn variant was made by a full PO round trip. */
function translated(): string {
  const root = richProject();
  expect(hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po', '--out', 'hmn.po'], root).code).toBe(0);
  write(root, 'hmn.po', translatePo(read(root, 'hmn.po')));
  const run = hocso(['translate', 'import', 'hmn.po'], root);
  expect(run.code, run.stderr).toBe(0);
  return root;
}

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('stale translations', () => {
  it('after a source edit: status counts it, validate warns at the variant line, --fail-on-stale fails, extract marks it fuzzy', () => {
    const root = translated();
    write(root, LESSON, read(root, LESSON).replace('Không chia sẻ mã OTP với ai,', 'Không bao giờ chia sẻ mã OTP với ai,'));

    const status = JSON.parse(hocso(['translate', 'status', '--format', 'json'], root).stdout);
    const lesson = status.languages.find((l: { lang: string }) => l.lang === 'hmn').lessons.find((l: { lesson: string }) => l.lesson === 'bai-dau-tien');
    expect(lesson).toMatchObject({ stale: 1, missing: 0, file: VARIANT });
    expect(lesson.staleSegments).toMatchObject([{ id: 'bai-dau-tien/b/6' }]);
    const table = hocso(['translate', 'status'], root);
    expect(table.stdout).toMatch(/^hmn\s+khoa-hoc-dau-tien\s+bai-dau-tien\s+\d+\s+1\s+0\s+9\d%\s+draft$/m);
    expect(table.stdout).toMatch(/^en\s+khoa-hoc-dau-tien\s+bai-dau-tien\s+0\s+0\s+\d+\s+0%\s+no variant$/m);

    const variantLine = lineOf(read(root, VARIANT), 'HM KHÔNG CHIA SẺ');
    const warned = hocso(['validate'], root);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(`${VARIANT}:${variantLine}:1  warning  segment \`bai-dau-tien/b/6\` (hmn) was translated from an older source text; the source now says "Không bao giờ chia sẻ mã OTP với ai, kể cả người thân."  translation/stale`);
    const strict = hocso(['validate', '--fail-on-stale', '--format', 'json'], root);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).diagnostics).toMatchObject([{ ruleId: 'translation/stale', severity: 'error', file: VARIANT, line: variantLine }]);

    const po = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout;
    expect(po).toMatch(/#, fuzzy\nmsgctxt "bai-dau-tien\/b\/6"\nmsgid "Không bao giờ chia sẻ mã OTP với ai, kể cả người thân."\nmsgstr "HM KHÔNG CHIA SẺ MÃ OTP VỚI AI, KỂ CẢ NGƯỜI THÂN."/);
    const xliff = hocso(['translate', 'extract', '--lang', 'hmn'], root).stdout;
    expect(xliff).toMatch(/<segment state="initial" subState="hocso:stale">\s*<source>Không bao giờ chia sẻ/);

    // The translator fixes it (removing the fuzzy flag): fresh again.
    write(root, 'fix.po', po.replace(/#, fuzzy\n(msgctxt "bai-dau-tien\/b\/6"\nmsgid ".*"\n)msgstr ".*"/, '$1msgstr "HM KHÔNG BAO GIỜ CHIA SẺ."'));
    const fixed = hocso(['translate', 'import', 'fix.po'], root);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toContain('Imported 1 segment into hmn');
    expect(read(root, VARIANT)).toContain('HM KHÔNG BAO GIỜ CHIA SẺ.');
    expect(hocso(['validate', '--fail-on-stale'], root).code).toBe(0);
  });

  it('a paragraph inserted in the source shifts positional ids without making the others stale', () => {
    const root = translated();
    write(root, LESSON, read(root, LESSON).replace('## Các bước', 'Một đoạn mới.\n\n## Các bước'));
    const status = JSON.parse(hocso(['translate', 'status', '--lang', 'hmn', '--format', 'json'], root).stdout);
    const lesson = status.languages[0].lessons.find((l: { lesson: string }) => l.lesson === 'bai-dau-tien');
    expect(lesson).toMatchObject({ stale: 0, missing: 1 });

    // Importing the new paragraph rewrites the variant from the source (it lost its shape), keeping every translation.
    const po = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout;
    write(root, 'new.po', po.replace(/(msgid "Một đoạn mới\."\n)msgstr ""/, '$1msgstr "HM IB NQE TSHIAB."'));
    const run = hocso(['translate', 'import', 'new.po'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${VARIANT} no longer had the same paragraphs`);
    expect(existsSync(path.join(root, VARIANT.replace(/\.md$/, '.previous.md')))).toBe(true);
    const variant = read(root, VARIANT);
    expect(variant).toMatch(/HM ĐÂY LÀ BÀI[^\n]*\n\nHM IB NQE TSHIAB\.\n\n## HM CÁC BƯỚC/);
    const after = JSON.parse(hocso(['translate', 'status', '--lang', 'hmn', '--format', 'json'], root).stdout);
    expect(after.languages[0].lessons.find((l: { lesson: string }) => l.lesson === 'bai-dau-tien')).toMatchObject({ stale: 0, missing: 0, percent: 100 });
  });
});

describe('conflicts and source versions', () => {
  it('a segment changed both in the variant and in the imported file: the variant keeps its text, the incoming goes to NAME.LANG.conflict.md', () => {
    const root = translated();
    const po = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout;
    // Someone edits the variant by hand…
    write(root, VARIANT, read(root, VARIANT).replace('HM MỤC MỘT', 'Thawj yam (kho los ntawm tes)'));
    // …while the translator changes the same segment and another one.
    const edited = po.replace('msgstr "HM MỤC MỘT"', 'msgstr "Thawj yam"').replace('msgstr "HM MỤC CON"', 'msgstr "Yam me"');
    write(root, 'edited.po', edited);
    const run = hocso(['translate', 'import', 'edited.po'], root);
    expect(run.code).toBe(1);
    const conflictFile = VARIANT.replace(/\.md$/, '.conflict.md');
    expect(run.stderr).toMatch(new RegExp(`conflict: \`bai-dau-tien/b/\\d+\` changed in ${VARIANT.replace(/\./g, '\\.')}:\\d+ since the file was extracted; kept it, and wrote the incoming translation to ${conflictFile.replace(/\./g, '\\.')}\\.`));
    expect(run.stderr).toContain('    incoming: Thawj yam');
    expect(run.stderr).toContain('Imported 1 segment into hmn');
    const variant = read(root, VARIANT);
    expect(variant).toContain('- Thawj yam (kho los ntawm tes)');
    expect(variant).toContain('  - Yam me');
    const conflict = read(root, conflictFile);
    expect(conflict).toContain('- Thawj yam\n');
    expect(conflict).toContain('  - Yam me');
  });

  it('refuses a file extracted from another source version, unless --force (then the segment is stale)', () => {
    const root = richProject();
    expect(hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po', '--out', 'hmn.po'], root).code).toBe(0);
    write(root, 'hmn.po', translatePo(read(root, 'hmn.po')));
    write(root, LESSON, read(root, LESSON).replace('Lệnh nào tạo ra trang web của khóa học?', 'Lệnh nào tạo trang web?'));
    const refused = hocso(['translate', 'import', 'hmn.po'], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/hmn\.po:\d+  error  segment `bai-dau-tien\/quiz\/kiem-tra-lenh\/question`: the source text changed since this file was extracted \(now: "Lệnh nào tạo trang web\?"\)/);
    expect(refused.stderr).toContain('was extracted from another version of the source (1 segment changed since); nothing was written');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(root, VARIANT))).toBe(false);

    const forced = hocso(['translate', 'import', 'hmn.po', '--force'], root);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('warning: `bai-dau-tien/quiz/kiem-tra-lenh/question` was translated from an older source text; imported anyway (--force) and marked stale.');
    const validated = hocso(['validate'], root);
    expect(validated.stderr).toMatch(/warning {2}segment `bai-dau-tien\/quiz\/kiem-tra-lenh\/question` \(hmn\) was translated from an older source text/);
  });

  it('a missing, extra or renamed placeholder is an error naming the segment and the line; nothing is written', () => {
    const root = richProject();
    const po = translatePo(hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout);
    const broken = po
      .replace(/msgstr "HM ĐÂY LÀ BÀI <1>HM MẪU<\/1>/, 'msgstr "HM ĐÂY LÀ BÀI HM MẪU')
      .replace(/msgstr "HM CHẠY <1\/>/, 'msgstr "HM CHẠY <1/><7/>')
      .replace(/msgstr "HM CẨN <1>HM THẬN<\/1>"/, 'msgstr "HM CẨN <2>HM THẬN</2>"');
    write(root, 'broken.po', broken);
    const run = hocso(['translate', 'import', 'broken.po'], root);
    expect(run.code).toBe(1);
    const line = (needle: string): number => lineOf(broken, needle) - 2;
    expect(run.stderr).toContain(`broken.po:${line('msgstr "HM ĐÂY LÀ BÀI HM MẪU')}  error  segment \`bai-dau-tien/b/1\`: <1>…</1> is missing from the translation: <1>…</1> (**…**)`);
    expect(run.stderr).toMatch(/broken\.po:\d+ {2}error {2}segment `bai-dau-tien\/b\/4`: <7\/> is not a code of the source text \(it has <1\/>\)/);
    expect(run.stderr).toMatch(/segment `bai-dau-tien\/b\/5`: <2>…<\/2> is not a code of the source text/);
    expect(run.stderr).toMatch(/segment `bai-dau-tien\/b\/5`: <1>…<\/1> is missing from the translation/);
    expect(run.stderr).toContain('nothing was written');
    expect(existsSync(path.join(root, VARIANT))).toBe(false);
  });

  it('warns when a translation is longer than its target keeps (SCORM 2004 interaction descriptions: 250)', () => {
    const root = richProject();
    const po = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout;
    const long = 'Lus nug ntev heev '.repeat(20).trim();
    write(root, 'long.po', po.replace(/(msgctxt "bai-dau-tien\/quiz\/kiem-tra-lenh\/question"\nmsgid ".*"\n)msgstr ""/, `$1msgstr "${long}"`));
    const run = hocso(['translate', 'import', 'long.po'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`warning: long\\.po:\\d+: \`bai-dau-tien/quiz/kiem-tra-lenh/question\` is ${[...long].length} characters; targets keep 250`));
  });
});
