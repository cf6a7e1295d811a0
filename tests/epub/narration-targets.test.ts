// narrationTargets: the narration script, and for every sentence the element of the lesson it is read from (what an
// EPUB media overlay highlights). The script must be exactly narrationScript's (its timings are the synthesized ones).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../src/model/course.js';
import { blockAtPath, htmlText, narrationScript, narrationTargets, parseNarrationHtml, type NarrationTarget } from '../../src/media/narration-script.js';
import { compileLessonBody } from '../../src/source/lesson-body.js';
import { lesson } from '../helpers/model.js';
import { words } from './helpers.js';

const course = mkdtempSync(path.join(os.tmpdir(), 'hocso-targets-'));
mkdirSync(path.join(course, 'lessons'));
mkdirSync(path.join(course, 'media'));
writeFileSync(path.join(course, 'media', 'anh.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
const lessonFile = path.join(course, 'lessons', 'a.md');

function compiled(body: string): Lesson {
  const { blocks, problems } = compileLessonBody({ body, bodyLine: 5, displayFile: 'lessons/a.md', lessonFile, courseRoot: course, lessonIds: { [lessonFile]: 'bai-a' } });
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return lesson('bai-a', [], { title: 'Mật khẩu an toàn', blocks });
}

const BODY = [
  'Bài này giúp bạn. Hãy đọc kỹ.',
  '',
  '## Vì sao',
  '',
  '- Dùng ít nhất 12 ký tự',
  '- Trộn chữ và số',
  '',
  ':::steps',
  '1. Mở ứng dụng.',
  '2. Chọn **Đăng nhập**. Nhập mật khẩu.',
  ':::',
  '',
  ':::warning[Cẩn thận]',
  'Đừng bấm vào đường link lạ.',
  ':::',
  '',
  ':::tip[Mẹo riêng]',
  ':::',
  '',
  '![Màn hình đăng nhập](../media/anh.svg "Hình 1: ô mật khẩu")',
  '',
  '| Cách | Nên dùng? |',
  '| --- | --- |',
  '| Sổ tay | Có |',
  '',
  '::::quiz{#otp type=single}',
  'Ai được biết mã OTP?',
  '',
  '- [ ] Nhân viên ngân hàng',
  '- [x] Chỉ mình bạn',
  '::::',
].join('\n');

/** The element a target names, as text (for blocks rendered by templates: the model field the sentence is read from). */
function targetText(l: Lesson, target: NarrationTarget): string {
  switch (target.kind) {
    case 'title':
      return l.title;
    case 'objectives':
      return 'Sau bài này, bạn sẽ:';
    case 'objective':
      return l.objectives[target.index]!;
    case 'element': {
      const block = blockAtPath(l.blocks, target.block);
      expect(block?.kind).toBe('prose');
      let node: Root | Element = parseNarrationHtml((block as { html: string }).html);
      for (const i of target.element) {
        const child = node.children[i];
        expect(child?.type).toBe('element');
        node = child as Element;
      }
      return htmlText(toText(node));
    }
    case 'callout-title': {
      const block = blockAtPath(l.blocks, target.block);
      return block?.kind === 'callout' ? htmlText(block.titleHtml ?? '') : '';
    }
    case 'figure':
    case 'caption': {
      const block = blockAtPath(l.blocks, target.block);
      return block?.kind === 'figure' ? (target.kind === 'figure' ? block.alt : htmlText(block.captionHtml ?? '')) : '';
    }
    case 'question':
    case 'choice': {
      const block = blockAtPath(l.blocks, target.block);
      if (block?.kind !== 'quiz') return '';
      return target.kind === 'question' ? block.quiz.questionText : block.quiz.choices[target.choice]!.text;
    }
  }
}

function toText(node: Root | Element): string {
  return node.children.map((c) => (c.type === 'text' ? c.value : c.type === 'element' ? ` ${toText(c)} ` : '')).join('');
}

describe('narrationTargets', () => {
  const l = compiled(BODY);
  const { script, targets } = narrationTargets(l);

  it('gives exactly the script narrationScript gives, with one target per sentence', () => {
    expect(JSON.stringify(script)).toBe(JSON.stringify(narrationScript(l)));
    expect(targets.map((t) => t.length)).toEqual(script.chapters.map((c) => c.sentences.length));
  });

  it('names, for every sentence, an element that shows the sentence (after any prefix the narration adds)', () => {
    const sentences = script.chapters.flatMap((c) => c.sentences);
    const flat = targets.flat();
    const kinds = new Set(flat.map((t) => t.kind));
    for (const kind of ['title', 'objectives', 'objective', 'element', 'callout-title', 'figure', 'caption', 'question', 'choice']) expect(kinds).toContain(kind);
    sentences.forEach((sentence, i) => {
      const shown = words(targetText(l, flat[i]!));
      // the sentence's last words are the element's (the prefix "Bước 2.", "Cẩn thận:", "Lựa chọn B:" comes first;
      // a table row is read with its column headers)
      const tail = words(sentence).slice(-2);
      expect(shown, `${sentence} ← ${JSON.stringify(flat[i])}`).toEqual(expect.arrayContaining(tail));
    });
  });

  it('points at list items, paragraphs inside steps, tables as a whole, and the title of a callout read alone', () => {
    const flat = targets.flat();
    const sentences = script.chapters.flatMap((c) => c.sentences);
    const of = (sentence: string): NarrationTarget => flat[sentences.indexOf(sentence)]!;
    expect(of('Dùng ít nhất 12 ký tự')).toEqual({ kind: 'element', block: [0], element: expect.any(Array) });
    expect(of('Bước 2. Chọn Đăng nhập.')).toEqual(of('Nhập mật khẩu.'));
    expect(of('Bước 2. Chọn Đăng nhập.')).toMatchObject({ kind: 'element', block: [1, 1, 0] });
    expect(of('Cẩn thận: Đừng bấm vào đường link lạ.')).toMatchObject({ kind: 'element', block: [2, 0] });
    expect(of('Mẹo riêng')).toEqual({ kind: 'callout-title', block: [3] });
    expect(of('Hình: Màn hình đăng nhập')).toEqual({ kind: 'figure', block: [4] });
    expect(of('Hình 1: ô mật khẩu')).toEqual({ kind: 'caption', block: [4] });
    expect(of('Cách: Sổ tay; Nên dùng?: Có')).toMatchObject({ kind: 'element', block: [5] });
    expect(of('Lựa chọn B: Chỉ mình bạn')).toEqual({ kind: 'choice', block: [6], choice: 1 });
  });
});
