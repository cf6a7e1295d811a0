// @vitest-environment node
// Captions in the translator's round trip: one unit per cue (`LESSON/cap/STEM/N`), translated back into
// STEM.LANG.vtt beside the source file (same header, timings, identifiers and settings), the variant pointed at it,
// cues that go stale when the source changes, and captions with errors refused at their lines.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebVtt } from '../../src/media/webvtt.js';
import { cueParts, renderCue } from '../../src/translate/captions.js';
import { resolveTarget, taggedText } from '../../src/translate/imported.js';
import { parseTags } from '../../src/translate/po.js';
import { hocso } from '../helpers/project.js';
import { COURSE_DIR, LESSON, LOI_VTT, read, richProject, translatePo, translateXliff, VARIANT, write } from './helpers.js';

const LOI = `${COURSE_DIR}/media/loi.vtt`;
const LOI_HMN = `${COURSE_DIR}/media/loi.hmn.vtt`;
const HMN_PAGE = 'out/web/khoa-hoc-dau-tien/hmn/lessons/bai-dau-tien.html';
const VI_PAGE = 'out/web/khoa-hoc-dau-tien/vi/lessons/bai-dau-tien.html';

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

/** The lines of a VTT file that are not cue text: header, notes, identifiers, timings with their settings. */
function skeleton(vtt: string): string[] {
  const { cues } = parseWebVtt(vtt, 'x.vtt');
  const payload = new Set(cues.flatMap((c) => c.text.split('\n').map((_, k) => c.line + k)));
  return vtt.split('\n').filter((_, i) => !payload.has(i));
}

/** A project whose hmn variant was made by a full PO round trip (every text, every cue translated). */
function translated(): string {
  const root = richProject();
  expect(hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po', '--out', 'hmn.po'], root).code).toBe(0);
  write(root, 'hmn.po', translatePo(read(root, 'hmn.po')));
  const run = hocso(['translate', 'import', 'hmn.po'], root);
  expect(run.code, run.stderr).toBe(0);
  return root;
}

describe('cue text', () => {
  it('tags and line breaks become codes, entities text; written back, it reads back the same', () => {
    const parts = cueParts('<v Bà Lan>Xin   chào <i>bạn</i>\ndòng &amp; hai <00:00:01.000>ba &bogus; <c.vang>vàng</c>');
    expect(taggedText(parts)).toBe('<1/>Xin chào <2>bạn</2><3/>dòng & hai <4/>ba <5/> <6>vàng</6>');
    expect(parts.filter((p) => p.kind !== 'text')).toMatchObject([
      { kind: 'ph', what: 'voice', original: '<v Bà Lan>' },
      { kind: 'pc', what: 'emphasis', open: '<i>', close: '</i>' },
      { kind: 'ph', what: 'break', original: '\n' },
      { kind: 'ph', what: 'timestamp', original: '<00:00:01.000>' },
      { kind: 'ph', what: 'other', original: '&bogus;' },
      { kind: 'pc', what: 'other', open: '<c.vang>', close: '</c>' },
    ]);
    // a closed voice span is a pair; tags crossing each other never throw, the stray one is a single code
    expect(cueParts('<v Lan>Chào</v>')).toMatchObject([{ kind: 'pc', what: 'voice', open: '<v Lan>', close: '</v>' }]);
    expect(taggedText(cueParts('<i><b>x</i></b>'))).toBe('<1><2/>x</1><3/>');

    // A translation with characters that mean something in WebVTT: escaped, and never an empty line or a `-->`.
    // the line break is a code like the others: kept once
    const resolved = resolveTarget(parseTags('<1/>A <2>b & c</2> <3/> <3/> <4/>d < e --> f <5/>', 'x.po', 1), cueParts('<v Bà Lan>a <i>b</i>\nc <00:00:01.000>d &bogus;'), 1);
    expect(resolved.problems.map((p) => p.message)).toEqual(['<3/> is used twice; the source has it once: <3/> ()']);
    const ok = resolveTarget(parseTags('<1/>A <2>b & c</2> <3/> <4/>d < e --> f <5/>', 'x.po', 1), cueParts('<v Bà Lan>a <i>b</i>\nc <00:00:01.000>d &bogus;'), 1);
    const cue = renderCue(ok.parts!);
    expect(cue).toBe('<v Bà Lan>A <i>b &amp; c</i>\n<00:00:01.000>d &lt; e --&gt; f &bogus;');
    const parsed = parseWebVtt(`WEBVTT\n\n00:00.000 --> 00:02.000\n${cue}\n`, 'x.vtt');
    expect(parsed.problems).toEqual([]);
    expect(parsed.cues).toHaveLength(1);
    expect(taggedText(cueParts(parsed.cues[0]!.text))).toBe('<1/>A <2>b & c</2><3/><4/>d < e --> f <5/>');
  });
});

describe('captions round trip', () => {
  it('PO: one unit per cue; import writes media/loi.hmn.vtt with the same timings, the variant points at it, and the build uses it', () => {
    const root = richProject();
    expect(hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po', '--out', 'hmn.po'], root).code).toBe(0);
    const po = read(root, 'hmn.po');
    const cueEntries = po.split('\n\n').filter((e) => e.includes('msgctxt "bai-dau-tien/cap/'));
    expect(cueEntries).toHaveLength(2);
    expect(po).toContain(`#: ${LOI}:${lineOf(LOI_VTT, '00:00.000 -->')}\nmsgctxt "bai-dau-tien/cap/loi/1"\nmsgid "<1/>Đừng đọc mã OTP cho ai."\nmsgstr ""`);
    expect(po).toContain(`#: ${LOI}:${lineOf(LOI_VTT, '00:00.400 -->')}\nmsgctxt "bai-dau-tien/cap/loi/2"\nmsgid "Hãy gọi lại <1>tổng đài</1><2/>chính thức & báo người thân."\nmsgstr ""`);
    // the timing is context, not text: in a note, never in the msgid
    expect(po).toContain('#. Caption 1 (`loi-1`), shown from 0:00.000 to 0:00.400 (0.4 s), settings line:90% align:center');
    expect(po).toContain('#. Placeholders: <1>…</1> = italic; <2/> = line break.');
    expect(po).not.toMatch(/msgid "[^"]*-->/);

    write(root, 'hmn-done.po', translatePo(po));
    const imported = hocso(['translate', 'import', 'hmn-done.po'], root);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('media/loi.hmn.vtt');
    expect(imported.stderr).not.toContain('warning');

    const vtt = readFileSync(path.join(root, LOI_HMN));
    const text = vtt.toString('utf8');
    expect(text).not.toContain('\r');
    expect(text.normalize('NFC')).toBe(text);
    expect(vtt[0]).not.toBe(0xef); // no BOM
    const parsed = parseWebVtt(text, 'loi.hmn.vtt');
    const source = parseWebVtt(LOI_VTT, 'loi.vtt');
    expect(parsed.problems).toEqual([]);
    expect(parsed.cues.map((c) => [c.start, c.end, c.line])).toEqual(source.cues.map((c) => [c.start, c.end, c.line]));
    expect(parsed.cues.map((c) => c.text)).toEqual(['<v Bà Lan>HM ĐỪNG ĐỌC MÃ OTP CHO AI.', 'HM HÃY GỌI LẠI <i>HM TỔNG ĐÀI</i>\nHM CHÍNH THỨC &amp; BÁO NGƯỜI THÂN.']);
    // header, note, identifier, timings and settings: the source's, line for line
    expect(skeleton(text)).toEqual(skeleton(LOI_VTT));
    expect(text.startsWith('WEBVTT - Lời khuyên\n\nNOTE thời gian theo bản ghi loi.mp3\n\nloi-1\n00:00.000 --> 00:00.400 line:90% align:center\n')).toBe(true);
    expect(read(root, LOI)).toBe(LOI_VTT); // the source is untouched

    const variant = read(root, VARIANT);
    expect(variant).toContain('::audio{src="../media/loi.mp3" captions="../media/loi.hmn.vtt" title="HM LỜI KHUYÊN"}');
    expect(variant).toMatch(/^ {4}cap\/loi\/1: "?[0-9a-f]{8}"?\n {4}cap\/loi\/2: "?[0-9a-f]{8}"?$/m);

    const validated = hocso(['validate', '--fail-on-stale'], root);
    expect(validated.code, validated.stderr).toBe(0);
    const built = hocso(['build'], root);
    expect(built.code, built.stderr).toBe(0);
    expect(readFileSync(path.join(root, HMN_PAGE), 'utf8')).toMatch(/<track kind="captions" src="\.\.\/files\/media\/loi\.hmn\.vtt" srclang="hmn"/);
    expect(readFileSync(path.join(root, VI_PAGE), 'utf8')).toMatch(/<track kind="captions" src="\.\.\/files\/media\/loi\.vtt" srclang="vi"/);
    expect(readFileSync(path.join(root, 'out/web/khoa-hoc-dau-tien/hmn/files/media/loi.hmn.vtt'), 'utf8')).toContain('HM ĐỪNG ĐỌC MÃ OTP CHO AI.');

    const status = JSON.parse(hocso(['translate', 'status', '--lang', 'hmn', '--format', 'json'], root).stdout);
    expect(status.languages[0].lessons.find((l: { lesson: string }) => l.lesson === 'bai-dau-tien')).toMatchObject({ stale: 0, missing: 0, percent: 100 });
  });

  it('XLIFF: cue units have their own ids and type; an untranslated cue keeps the source text and counts as missing', () => {
    const root = richProject();
    const xliff = hocso(['translate', 'extract', '--lang', 'hmn'], root).stdout;
    expect(xliff).toMatch(/<unit id="cap\.loi\.1" name="bai-dau-tien\/cap\/loi\/1" type="hocso:cue" canResegment="no">/);
    expect(xliff).toMatch(/<unit id="cap\.loi\.2" name="bai-dau-tien\/cap\/loi\/2" type="hocso:cue" canResegment="no">/);
    expect(xliff).not.toContain('cap/loi/3');
    expect(xliff).toContain(`<note category="location">${LOI}:${lineOf(LOI_VTT, '00:00.400 -->')}</note>`);
    expect(xliff).toMatch(/<source>Hãy gọi lại <pc id="1"[^>]*type="fmt" subType="xlf:i"[\s\S]*?>tổng đài<\/pc><ph id="2"[^>]*type="fmt" subType="xlf:lb"[^>]*\/>chính thức &amp; báo người thân\.<\/source>/);

    // Translate everything, then take the target of the second cue out again.
    const done = translateXliff(xliff).replace(/(name="bai-dau-tien\/cap\/loi\/2"[\s\S]*?<\/source>)\s*<target>[\s\S]*?<\/target>/, '$1');
    expect(done).not.toBe(translateXliff(xliff));
    write(root, 'hmn.xlf', done);
    const run = hocso(['translate', 'import', 'hmn.xlf'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/; 1 left as they were\./);
    const cues = parseWebVtt(read(root, LOI_HMN), 'loi.hmn.vtt');
    expect(cues.problems).toEqual([]);
    expect(cues.cues.map((c) => c.text)).toEqual(['<v Bà Lan>HM Đừng đọc mã OTP cho ai.', 'Hãy gọi lại <i>tổng đài</i>\nchính thức &amp; báo người thân.']);
    expect(read(root, VARIANT)).toContain('captions="../media/loi.hmn.vtt"');

    const status = JSON.parse(hocso(['translate', 'status', '--lang', 'hmn', '--format', 'json'], root).stdout);
    expect(status.languages[0].lessons.find((l: { lesson: string }) => l.lesson === 'bai-dau-tien')).toMatchObject({ stale: 0, missing: 1 });
    const again = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root);
    expect(again.stdout).toMatch(/msgctxt "bai-dau-tien\/cap\/loi\/2"\nmsgid ".*"\nmsgstr ""/);
    expect(again.stdout).toMatch(/msgctxt "bai-dau-tien\/cap\/loi\/1"\nmsgid "<1\/>Đừng đọc mã OTP cho ai\."\nmsgstr "<1\/>HM Đừng đọc mã OTP cho ai\."/);
  });

  it('video captions too: a source file named STEM.vi.vtt gives cap/STEM/N and STEM.hmn.vtt', () => {
    const root = richProject();
    write(root, `${COURSE_DIR}/media/huong-dan.mp4`, 'not decoded by translate');
    // saved by an old editor: a BOM, CRLF, decomposed Vietnamese
    write(root, `${COURSE_DIR}/media/huong-dan.vi.vtt`, '\uFEFFWEBVTT\r\n\r\n00:01.000 --> 00:03.500\r\nMở ứng dụng.\r\n\r\n00:03.500 --> 00:06.000 position:10%\r\nBấm <b>Đăng nhập</b>.\r\n'.normalize('NFD'));
    write(root, LESSON, read(root, LESSON).replace('::audio{', '::video{src="../media/huong-dan.mp4" captions="../media/huong-dan.vi.vtt" title="Hướng dẫn"}\n\n::audio{'));
    const po = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout;
    expect(po).toContain('msgctxt "bai-dau-tien/cap/huong-dan/1"\nmsgid "Mở ứng dụng."');
    expect(po).toContain('msgctxt "bai-dau-tien/cap/huong-dan/2"\nmsgid "Bấm <1>Đăng nhập</1>."');
    expect(po).toContain('msgctxt "bai-dau-tien/cap/loi/1"');
    write(root, 'hmn.po', translatePo(po));
    const run = hocso(['translate', 'import', 'hmn.po'], root);
    expect(run.code, run.stderr).toBe(0);
    const variant = read(root, VARIANT);
    expect(variant).toContain('::video{src="../media/huong-dan.mp4" captions="../media/huong-dan.hmn.vtt" title="HM HƯỚNG DẪN"}');
    expect(variant).toContain('::audio{src="../media/loi.mp3" captions="../media/loi.hmn.vtt"');
    const vtt = read(root, `${COURSE_DIR}/media/huong-dan.hmn.vtt`);
    // the translation: no BOM, LF, NFC
    expect(vtt).toBe('WEBVTT\n\n00:01.000 --> 00:03.500\nHM MỞ ỨNG DỤNG.\n\n00:03.500 --> 00:06.000 position:10%\nHM BẤM <b>HM ĐĂNG NHẬP</b>HM .\n');
  });
});

describe('captions go stale, and captions with errors are refused', () => {
  it('a changed cue text, or a changed timing, makes that cue stale; confirming it rewrites the file with the new timing', () => {
    const root = translated();
    write(root, LOI, LOI_VTT.replace('báo người thân', 'báo ngay người thân').replace('00:00.000 --> 00:00.400', '00:00.000 --> 00:00.300'));
    const status = JSON.parse(hocso(['translate', 'status', '--lang', 'hmn', '--format', 'json'], root).stdout);
    const lesson = status.languages[0].lessons.find((l: { lesson: string }) => l.lesson === 'bai-dau-tien');
    expect(lesson).toMatchObject({ stale: 2, missing: 0 });
    expect(lesson.staleSegments).toMatchObject([
      { id: 'bai-dau-tien/cap/loi/1', file: LOI_HMN, line: 6, retimed: '0:00.000 --> 0:00.400, now 0:00.000 --> 0:00.300' },
      { id: 'bai-dau-tien/cap/loi/2', file: LOI_HMN, line: 9, source: 'Hãy gọi lại tổng đài chính thức & báo ngay người thân.' },
    ]);
    const warned = hocso(['validate'], root);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(`${LOI_HMN}:9:1  warning  segment \`bai-dau-tien/cap/loi/2\` (hmn) was translated from an older source text`);
    expect(warned.stderr).toContain(`${LOI_HMN}:6:1  warning  caption \`bai-dau-tien/cap/loi/1\` (hmn) has another timing in the source`);
    expect(hocso(['validate', '--fail-on-stale'], root).code).toBe(1);

    const po = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout;
    expect(po).toMatch(/#, fuzzy\nmsgctxt "bai-dau-tien\/cap\/loi\/2"\nmsgid "Hãy gọi lại <1>tổng đài<\/1><2\/>chính thức & báo ngay người thân\."\nmsgstr "HM HÃY GỌI LẠI <1>HM TỔNG ĐÀI<\/1><2\/>HM CHÍNH THỨC & BÁO NGƯỜI THÂN\."/);
    expect(po).toMatch(/#\. The timing of this caption changed since it was translated[^\n]*\n(#[^\n]*\n)*#, fuzzy\nmsgctxt "bai-dau-tien\/cap\/loi\/1"/);

    // The translator confirms the first cue and fixes the second.
    const fixed = po
      .replace(/#, fuzzy\n(msgctxt "bai-dau-tien\/cap\/loi\/1")/, '$1')
      .replace(/#, fuzzy\n(msgctxt "bai-dau-tien\/cap\/loi\/2"\nmsgid ".*"\n)msgstr ".*"/, '$1msgstr "Hu rau <1>lub chaw</1><2/>thiab qhia tsev neeg sai."');
    write(root, 'fix.po', fixed);
    const run = hocso(['translate', 'import', 'fix.po'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Imported 1 segment into hmn (Hmoob, Hmong), confirmed 1;');
    const vtt = read(root, LOI_HMN);
    expect(vtt).toContain('loi-1\n00:00.000 --> 00:00.300 line:90% align:center\n<v Bà Lan>HM ĐỪNG ĐỌC MÃ OTP CHO AI.\n');
    expect(vtt).toContain('00:00.400 --> 00:01.000\nHu rau <i>lub chaw</i>\nthiab qhia tsev neeg sai.\n');
    expect(hocso(['validate', '--fail-on-stale'], root).code).toBe(0);
  });

  it('a cue changed both in STEM.LANG.vtt and in the imported file: the file keeps its text, the incoming goes to STEM.LANG.conflict.vtt', () => {
    const root = translated();
    const po = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout;
    write(root, LOI_HMN, read(root, LOI_HMN).replace('HM CHÍNH THỨC &amp; BÁO NGƯỜI THÂN.', 'kho los ntawm tes.'));
    write(root, 'edited.po', po.replace(/(msgctxt "bai-dau-tien\/cap\/loi\/2"\nmsgid ".*"\n)msgstr ".*"/, '$1msgstr "Hu rau <1>lub chaw</1><2/>thiab qhia tsev neeg."'));
    const run = hocso(['translate', 'import', 'edited.po'], root);
    expect(run.code).toBe(1);
    const conflictFile = LOI_HMN.replace(/\.vtt$/, '.conflict.vtt');
    expect(run.stderr).toContain(`conflict: \`bai-dau-tien/cap/loi/2\` changed in ${LOI_HMN}:9 since the file was extracted; kept it, and wrote the incoming translation to ${conflictFile}.`);
    expect(run.stderr).toContain('    incoming: Hu rau lub chaw thiab qhia tsev neeg.');
    expect(read(root, LOI_HMN)).toContain('\nkho los ntawm tes.\n');
    expect(parseWebVtt(read(root, conflictFile), 'x').cues.map((c) => c.text)).toEqual(['<v Bà Lan>HM ĐỪNG ĐỌC MÃ OTP CHO AI.', 'Hu rau <i>lub chaw</i>\nthiab qhia tsev neeg.']);
  });

  it('a broken captions file: extract fails at its line and writes nothing; import refuses; status carries on', () => {
    const root = translated();
    const variantBefore = read(root, VARIANT);
    write(root, LOI, LOI_VTT.replace('00:00.400 --> 00:01.000', '00:00,400 --> 00:01.000'));
    const line = lineOf(LOI_VTT, '00:00.400 -->');

    const extracted = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po', '--out', 'broken.po'], root);
    expect(extracted.code).toBe(2);
    expect(extracted.stderr).toContain(`${LOI}:${line}:1  error  bad start time: \`00:00,400\` uses a comma before the milliseconds`);
    expect(extracted.stderr).toContain('nothing was extracted');
    expect(extracted.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(existsSync(path.join(root, 'broken.po'))).toBe(false);
    const toStdout = hocso(['translate', 'extract', '--lang', 'hmn'], root);
    expect(toStdout.code).toBe(2);
    expect(toStdout.stdout).toBe('');

    // the file of the first round trip (it translates the cues) again
    const imported = hocso(['translate', 'import', 'hmn.po'], root);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain(`${LOI}:${line}  error  bad start time`);
    expect(imported.stderr).toContain('nothing was written');
    expect(imported.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(read(root, VARIANT)).toBe(variantBefore);

    const status = hocso(['translate', 'status', '--lang', 'hmn', '--format', 'json'], root);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).languages[0].lessons.find((l: { lesson: string }) => l.lesson === 'bai-dau-tien').staleSegments).toEqual([]);
  });

  it('a variant showing captions of its own, made by hand: left as they are, with a warning; the imported cues go to STEM.LANG.vtt', () => {
    const root = translated();
    const handMade = 'WEBVTT\n\n00:00.000 --> 00:01.000\nLus ntuas sau los ntawm tes\n';
    write(root, `${COURSE_DIR}/media/loi-tay.vtt`, handMade);
    write(root, VARIANT, read(root, VARIANT).replace('captions="../media/loi.hmn.vtt"', 'captions="../media/loi-tay.vtt"'));
    const variantBefore = read(root, VARIANT);
    const po = hocso(['translate', 'extract', '--lang', 'hmn', '--format', 'po'], root).stdout;
    write(root, 'hmn.po', po.replace(/(msgctxt "bai-dau-tien\/cap\/loi\/1"\nmsgid ".*"\n)msgstr ".*"/, '$1msgstr "<1/>Tsis txhob qhia OTP."'));
    const run = hocso(['translate', 'import', 'hmn.po'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: ${VARIANT}:${lineOf(variantBefore, '::audio')}: the hmn variant shows its own captions ../media/loi-tay.vtt, not ../media/loi.hmn.vtt: left it as it is.`);
    expect(read(root, VARIANT)).toBe(variantBefore);
    expect(read(root, `${COURSE_DIR}/media/loi-tay.vtt`)).toBe(handMade);
    // STEM.LANG.vtt has the incoming cue, and keeps the translation it already had of the other one
    expect(parseWebVtt(read(root, LOI_HMN), 'x').cues.map((c) => c.text)).toEqual(['<v Bà Lan>Tsis txhob qhia OTP.', 'HM HÃY GỌI LẠI <i>HM TỔNG ĐÀI</i>\nHM CHÍNH THỨC &amp; BÁO NGƯỜI THÂN.']);
    // hocso cannot vouch for the hand-made captions: none of their cues counts as translated
    const status = JSON.parse(hocso(['translate', 'status', '--lang', 'hmn', '--format', 'json'], root).stdout);
    const lesson = status.languages[0].lessons.find((l: { lesson: string }) => l.lesson === 'bai-dau-tien');
    expect(lesson.staleSegments.map((s: { id: string }) => s.id)).toEqual(['bai-dau-tien/cap/loi/1']);
    expect(lesson.missing).toBe(1);
  });
});
