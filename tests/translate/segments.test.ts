// @vitest-environment node
// Segmentation (ids, types, placeholders, hashes) and writing translations back as Markdown that reads back.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { XmlDocument, XsdValidator, xmlRegisterFsInputProviders } from 'libxml2-wasm';
import { align } from '../../src/translate/align.js';
import { taggedText } from '../../src/translate/imported.js';
import { renderMarkdown, type Part } from '../../src/translate/inline.js';
import { parseTags } from '../../src/translate/po.js';
import { partsHash, segmentLesson } from '../../src/translate/segment.js';
import { REPO, hocso } from '../helpers/project.js';
import { read, RICH_LESSON, richProject } from './helpers.js';

describe('segments of a lesson', () => {
  const lesson = segmentLesson(RICH_LESSON);
  const byId = new Map(lesson.units.map((u) => [u.id, u]));

  it('front matter, body in document order, quizzes by their authored ids', () => {
    expect(lesson.units.map((u) => `${u.id} ${u.type}`)).toEqual([
      'title title', 'objectives/1 objective', 'objectives/2 objective', 'keywords/1 keyword', 'keywords/2 keyword',
      'b/1 paragraph', 'b/2 heading', 'b/3 list-item', 'b/4 list-item', 'b/5 callout-title', 'b/6 paragraph',
      'b/7 table-cell', 'b/8 table-cell', 'b/10 table-cell', 'b/12 table-cell', 'b/13 alt', 'b/14 caption', 'b/15 media-title',
      'b/16 list-item', 'b/17 list-item', 'b/18 paragraph',
      'quiz/kiem-tra-lenh/question question', 'quiz/kiem-tra-lenh/choice/a/feedback feedback', 'quiz/kiem-tra-lenh/choice/b/feedback feedback',
      'quiz/dien-so/question question', 'quiz/dien-so/choice/a choice', 'quiz/dien-so/choice/a/feedback feedback', 'quiz/dien-so/choice/b choice', 'quiz/dien-so/choice/b/feedback feedback',
    ]);
  });

  it('inline Markdown becomes numbered placeholders holding the exact original', () => {
    expect(taggedText(byId.get('b/1')!.parts)).toBe('Đây là bài <1>mẫu</1> với <2>chữ nghiêng</2>, mã <3/> và <4>một liên kết</4>.');
    expect(byId.get('b/1')!.parts.filter((p) => p.kind !== 'text')).toMatchObject([
      { kind: 'pc', what: 'strong', open: '**', close: '**' },
      { kind: 'pc', what: 'emphasis', open: '*', close: '*' },
      { kind: 'ph', what: 'code', original: '`npx hocso build`' },
      { kind: 'pc', what: 'link', open: '[', close: '](https://example.org/a_b "Trang")' },
    ]);
    // soft line breaks are spaces for the translator
    expect(taggedText(byId.get('b/6')!.parts)).toBe('Không chia sẻ mã OTP với ai, kể cả người thân.');
    expect(byId.get('quiz/kiem-tra-lenh/question')).toMatchObject({ maxLength: 250 });
    expect(byId.get('quiz/dien-so/choice/a')).toMatchObject({ maxLength: 250 });
    expect(byId.get('b/6')!.line).toBe(RICH_LESSON.split('\n').indexOf('Không chia sẻ mã OTP với ai,') + 1);
  });

  it('hashes ignore NFD/NFC, line wrapping and placeholder numbering, not the text', () => {
    const nfd = segmentLesson(RICH_LESSON.normalize('NFD').replace('Không chia sẻ mã OTP với ai,\n', 'Không chia sẻ mã OTP với ai, '.normalize('NFD')));
    const hash = (l: typeof lesson, id: string): string => partsHash(l.units.find((u) => u.id === id)!.parts);
    expect(hash(nfd, 'b/6')).toBe(hash(lesson, 'b/6'));
    expect(hash(nfd, 'b/1')).toBe(hash(lesson, 'b/1'));
    expect(hash(segmentLesson(RICH_LESSON.replace('chữ nghiêng', 'chữ đứng')), 'b/1')).not.toBe(hash(lesson, 'b/1'));
  });

  it('alignment follows a moved paragraph by its hash, and calls a changed one stale, never translated', () => {
    const source = segmentLesson(RICH_LESSON).units;
    const recorded = Object.fromEntries(source.map((u) => [u.id, partsHash(u.parts)]));
    const edited = segmentLesson(RICH_LESSON.replace('## Các bước', 'Một đoạn mới.\n\n## Các bước').replace('Không chia sẻ', 'Đừng chia sẻ')).units;
    const result = align(edited, source, recorded);
    const status = Object.fromEntries(result.units.map((u) => [u.unit.id, u.status]));
    expect(status['b/2']).toBe('missing'); // the new paragraph
    expect(status['b/3']).toBe('translated'); // the heading, moved from b/2
    expect(status['b/7']).toBe('stale'); // the edited callout paragraph
    expect(Object.values(status).filter((s) => s === 'stale')).toHaveLength(1);
    expect(result.sameStructure).toBe(false);
  });
});

describe('writing translations back', () => {
  const text = (t: string): Part[] => [{ kind: 'text', text: t }];
  const cases: [string, string][] = [
    ['2 * 3 * 4 = 24', 'inline'],
    ['1. không phải danh sách', 'inline'],
    ['# không phải tiêu đề', 'inline'],
    ['a_b_c và __init__', 'inline'],
    ['<b>không phải HTML</b> &amp; AT&T', 'inline'],
    ['[không phải liên kết](x)', 'inline'],
    ['dấu \\ gạch', 'inline'],
    ['a | b', 'table-cell'],
    ['Tiêu đề #', 'heading'],
    ['Mã passcode có ___ chữ số.', 'inline'],
  ];
  it.each(cases)('%s (%s) reads back as the same text', (t, context) => {
    const markdown = renderMarkdown(text(t), context as 'inline');
    const wrapped = context === 'heading' ? `## ${markdown}` : context === 'table-cell' ? `| ${markdown} |\n| --- |` : markdown;
    const lesson = segmentLesson(`---\nid: x\ntitle: x\n---\n\n${wrapped}\n`);
    expect(taggedText(lesson.units.find((u) => u.id === 'b/1')!.parts)).toBe(t);
  });

  it('keeps readable text readable (no needless escapes)', () => {
    expect(renderMarkdown(text('Mã passcode có ___ chữ số.'), 'inline')).toBe('Mã passcode có ___ chữ số.');
    expect(renderMarkdown(text('Hỏi: 2 + 2 = ?'), 'inline')).toBe('Hỏi: 2 + 2 = ?');
  });

  it('PO tags parse into nested codes', () => {
    expect(parseTags('a <1>b <2/> c</1> d', 'f.po', 3)).toEqual([
      { t: 'text', text: 'a ' },
      { t: 'pc', id: '1', line: 3, children: [{ t: 'text', text: 'b ' }, { t: 'ph', id: '2', line: 3 }, { t: 'text', text: ' c' }] },
      { t: 'text', text: ' d' },
    ]);
  });
});

/** The official XLIFF 2.1 core schema, if ../shared/reference/xsd holds it (no registry package ships it). */
function findXliffSchema(): string | undefined {
  const base = path.resolve(REPO, '..', 'shared', 'reference', 'xsd');
  if (!existsSync(base)) return undefined;
  const walk = (dir: string): string | undefined => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        const found = walk(full);
        if (found) return found;
      } else if (name === 'xliff_core_2.0.xsd') return full;
    }
    return undefined;
  };
  return walk(base);
}

describe('XLIFF 2.1 against the official schema', () => {
  const schema = findXliffSchema();
  it.skipIf(!schema)('extracted files are valid against xliff_core_2.0.xsd (OASIS XLIFF 2.1)', () => {
    const root = richProject();
    const extracted = hocso(['translate', 'extract', '--lang', 'hmn', '--out', 'hmn.xlf'], root);
    expect(extracted.code).toBe(0);
    xmlRegisterFsInputProviders();
    const xsd = XmlDocument.fromString(readFileSync(schema!, 'utf8'), { url: schema! });
    const validator = XsdValidator.fromDoc(xsd);
    const doc = XmlDocument.fromString(read(root, 'hmn.xlf'));
    try {
      expect(() => validator.validate(doc)).not.toThrow();
    } finally {
      doc.dispose();
      validator.dispose();
      xsd.dispose();
    }
  });
});
