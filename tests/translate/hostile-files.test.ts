// @vitest-environment node
// Files from outside are untrusted: no DTD, no external entity, no entity expansion, and a clear FILE:LINE message
// (never a stack trace) for whatever is not a well-formed XLIFF or PO file.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hocso } from '../helpers/project.js';
import { readImportFile } from '../../src/translate/import.js';
import { ImportFormatError } from '../../src/translate/imported.js';
import { richProject, VARIANT, write } from './helpers.js';
import { existsSync, readFileSync } from 'node:fs';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
const XLIFF_OPEN = '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="vi" trgLang="hmn">';
const unit = (target: string): string => `<file id="bai-dau-tien"><unit id="title" name="bai-dau-tien/title"><segment><source>Bài học đầu tiên</source><target>${target}</target></segment></unit></file>`;

const BILLION_LAUGHS = `${HEAD}
<!DOCTYPE xliff [
  <!ENTITY a "lollollollollollollollollollol">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
  <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
  <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
  <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
${XLIFF_OPEN}${unit('&i;')}</xliff>
`;

const EXTERNAL_ENTITY = `${HEAD}
<!-- looks harmless -->
<!DOCTYPE xliff [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
${XLIFF_OPEN}${unit('&secret;')}</xliff>
`;

function importFile(name: string, text: string): { code: number; stderr: string; ms: number; root: string } {
  const root = richProject();
  write(root, name, text);
  const started = Date.now();
  const run = hocso(['translate', 'import', name], root);
  return { code: run.code, stderr: run.stderr, ms: Date.now() - started, root };
}

describe('hostile and malformed import files', () => {
  it('a billion-laughs XLIFF is refused at once, with a clear message and no stack trace', () => {
    const run = importFile('bomb.xlf', BILLION_LAUGHS);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bomb.xlf:2  error  the file has a <!DOCTYPE> or <!ENTITY> declaration');
    expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(run.ms).toBeLessThan(5000);
    expect(existsSync(path.join(run.root, VARIANT))).toBe(false);
  });

  it('an external entity is refused before anything is read', () => {
    const run = importFile('xxe.xlf', EXTERNAL_ENTITY);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('xxe.xlf:3  error  the file has a <!DOCTYPE> or <!ENTITY> declaration');
    expect(run.stderr).not.toContain('root:');
  });

  it('the parser itself never expands entities or loads DTDs (defence in depth, below the DOCTYPE check)', () => {
    const dir = richProject();
    const file = path.join(dir, 'undefined-entity.xlf');
    write(dir, 'undefined-entity.xlf', `${HEAD}\n${XLIFF_OPEN}\n${unit('a &secret; b')}\n</xliff>\n`);
    expect(() => readImportFile(file)).toThrow(ImportFormatError);
    try {
      readImportFile(file);
    } catch (error) {
      expect(error).toMatchObject({ line: 3 });
      expect((error as Error).message).toMatch(/not well-formed XML: Entity 'secret' not defined/);
    }
  });

  it('malformed XML, another XLIFF version, and broken PO are reported at their line', () => {
    const malformed = importFile('bad.xlf', `${HEAD}\n${XLIFF_OPEN}\n<file id="f">\n<unit id="u"><segment><source>a</source><target>b</targt></segment></unit>\n</file></xliff>\n`);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^bad\.xlf:4 {2}error {2}not well-formed XML: Opening and ending tag mismatch/m);

    const v12 = importFile('old.xlf', `${HEAD}\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file/></xliff>\n`);
    expect(v12.code).toBe(1);
    expect(v12.stderr).toContain('This is XLIFF 1.2; hocso reads XLIFF 2.0 and 2.1.');

    const po = importFile('bad.po', 'msgid ""\nmsgstr "Language: hmn\\n"\n\nmsgctxt "bai-dau-tien/title"\nmsgid "a\nmsgstr "b"\n');
    expect(po.code).toBe(1);
    expect(po.stderr).toMatch(/^bad\.po:5 {2}error {2}expected a quoted string/m);

    const tags = importFile('tags.po', 'msgid ""\nmsgstr "Language: hmn\\n"\n\nmsgctxt "bai-dau-tien/title"\nmsgid "Bài học đầu tiên"\nmsgstr "<1>Thawj"\n');
    expect(tags.code).toBe(1);
    expect(tags.stderr).toContain('tags.po:4  error  <1> is never closed with </1>');

    const binary = importFile('junk.po', '\u0000\u0001\u0002');
    expect(binary.code).toBe(1);
    expect(binary.stderr).not.toMatch(/\n\s+at |internal error/);
  });

  it('reads the <sc>/<ec> pairs some tools write instead of <pc>, and --dry-run writes nothing', () => {
    const root = richProject();
    const xliff = hocso(['translate', 'extract', '--lang', 'hmn'], root).stdout;
    const withTargets = xliff.replace(/<source>Đây là bài <pc id="1"[\s\S]*?<\/source>/, (whole) => `${whole}<target>Nov yog <sc id="1"/>tus qauv<ec startRef="1"/> xwb</target>`);
    expect(withTargets).not.toBe(xliff);
    // the other codes of that segment are missing from this target: the importer says which
    write(root, 'sc.xlf', withTargets);
    const run = hocso(['translate', 'import', 'sc.xlf'], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('segment `bai-dau-tien/b/1`: <2>…</2> is missing from the translation');
    expect(run.stderr).not.toContain('<1>');

    const title = xliff.replace(/(<source>Bài học đầu tiên<\/source>)/, '$1<target>Thawj zaj lus qhia</target>');
    write(root, 'title.xlf', title);
    const dry = hocso(['translate', 'import', 'title.xlf', '--dry-run'], root);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('Would import 1 segment into hmn');
    expect(existsSync(path.join(root, VARIANT))).toBe(false);
    expect(hocso(['translate', 'import', 'title.xlf'], root).code).toBe(0);
    expect(readFileSync(path.join(root, VARIANT), 'utf8')).toMatch(/^title: Thawj zaj lus qhia$/m);
  });
});
