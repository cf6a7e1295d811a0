import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quizzesOf, type Block } from '../../src/model/course.js';
import { compileLessonBody } from '../../src/source/lesson-body.js';

const course = mkdtempSync(path.join(os.tmpdir(), 'hocso-body-'));
mkdirSync(path.join(course, 'lessons'));
mkdirSync(path.join(course, 'media'));
writeFileSync(path.join(course, 'media', 'anh.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
const lessonFile = path.join(course, 'lessons', 'a.md');
const otherLesson = path.join(course, 'lessons', 'b.md');

function compile(body: string, bodyLine = 10) {
  return compileLessonBody({ body, bodyLine, displayFile: 'lessons/a.md', lessonFile, courseRoot: course, lessonIds: { [lessonFile]: 'bai-a', [otherLesson]: 'bai-b' } });
}

describe('lesson bodies become model blocks', () => {
  it('keeps quiz answers as data: which choices are correct, their feedback, stable ids', () => {
    const { blocks, problems } = compile([
      '::::quiz{#otp type=single}',
      'Ai được biết mã **OTP** của bạn?',
      '',
      '- [ ] Nhân viên ngân hàng',
      '  > Không. Ngân hàng không bao giờ hỏi mã OTP.',
      '- [x] Chỉ mình bạn',
      '  > Đúng.',
      '::::',
    ].join('\n'));
    expect(problems).toEqual([]);
    const [quiz] = quizzesOf(blocks);
    expect(quiz).toMatchObject({ id: 'otp', type: 'single', questionText: 'Ai được biết mã OTP của bạn?' });
    expect(quiz!.questionHtml).toBe('<p>Ai được biết mã <strong>OTP</strong> của bạn?</p>');
    expect(quiz!.choices.map((c) => [c.id, c.correct, c.text])).toEqual([['a', false, 'Nhân viên ngân hàng'], ['b', true, 'Chỉ mình bạn']]);
    expect(quiz!.choices[0]!.feedbackHtml).toBe('<p>Không. Ngân hàng không bao giờ hỏi mã OTP.</p>');
    expect(quiz!.at.line).toBe(10);
  });

  it('names true/false choices true and false, and keeps fill answers as text', () => {
    const { blocks } = compile('::::quiz{#tf type=truefalse}\nĐúng hay sai?\n\n- [ ] Đúng\n- [x] Sai\n::::\n\n::::quiz{#f type=fill}\nMã có ___ chữ số.\n\n- [x] 6\n- [x] sáu\n::::');
    const [tf, fill] = quizzesOf(blocks);
    expect(tf!.choices.map((c) => c.id)).toEqual(['true', 'false']);
    expect(fill!.choices.map((c) => c.text)).toEqual(['6', 'sáu']);
  });

  it('builds callouts, steps and figures, and rewrites paths to their place in the bundle', () => {
    const { blocks, problems } = compile([
      ':::warning[Cẩn thận]',
      'Đừng bấm vào [đường link lạ](b.md#dau-hieu).',
      ':::',
      '',
      ':::steps',
      '1. Mở ứng dụng.',
      '2. Chọn **Đăng nhập**.',
      ':::',
      '',
      '![Màn hình đăng nhập](../media/anh.svg "Chú thích")',
    ].join('\n'));
    expect(problems).toEqual([]);
    const kinds = blocks.map((b: Block) => b.kind);
    expect(kinds).toEqual(['callout', 'steps', 'figure']);
    const callout = blocks[0] as Extract<Block, { kind: 'callout' }>;
    expect(callout).toMatchObject({ variant: 'warning', titleHtml: 'Cẩn thận' });
    expect((callout.blocks[0] as { html: string }).html).toContain('href="bai-b.html#dau-hieu"');
    expect((blocks[1] as Extract<Block, { kind: 'steps' }>).steps).toHaveLength(2);
    expect(blocks[2]).toMatchObject({ kind: 'figure', alt: 'Màn hình đăng nhập', captionHtml: 'Chú thích', src: { path: 'media/anh.svg' } });
  });

  it('builds audio and video blocks with captions and poster, and warns when captions are missing', () => {
    writeFileSync(path.join(course, 'media', 'loi-khuyen.mp3'), 'x');
    writeFileSync(path.join(course, 'media', 'loi-khuyen.vtt'), 'WEBVTT');
    writeFileSync(path.join(course, 'media', 'huong-dan.mp4'), 'x');
    const { blocks, problems } = compile('::audio{src="../media/loi-khuyen.mp3" captions="../media/loi-khuyen.vtt" title="Lời khuyên"}\n\n::video{src="../media/huong-dan.mp4" poster="../media/anh.svg"}', 1);
    expect(blocks).toMatchObject([
      { kind: 'audio', src: { path: 'media/loi-khuyen.mp3' }, captions: { path: 'media/loi-khuyen.vtt' }, title: 'Lời khuyên' },
      { kind: 'video', src: { path: 'media/huong-dan.mp4' }, poster: { path: 'media/anh.svg' } },
    ]);
    expect(problems).toMatchObject([{ ruleId: 'media/captions-missing', line: 3 }]);
  });

  it('sanitizes raw HTML: no script, no handlers, no javascript: URLs survive', () => {
    const { blocks, rawHtml } = compile('<script>alert(1)</script>\n\n<img src="../media/anh.svg" alt="x" onerror="alert(2)">\n\n<a href="javascript:alert(3)">x</a>');
    const html = blocks.map((b) => (b.kind === 'prose' ? b.html : '')).join('');
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
    expect(rawHtml.length).toBeGreaterThanOrEqual(2);
  });

  it('resolves references: outside the course, missing, remote, unsafe', () => {
    const { references } = compile('[a](../../etc/passwd) [b](khong-co.md) [c](https://dichvucong.gov.vn) [d](javascript:alert(1))\n\n![x](https://example.org/a.png)\n\n![](../media/anh.svg)', 1);
    expect(references.map((r) => [r.url, r.resolution.to])).toEqual([
      ['../../etc/passwd', 'outside'],
      ['khong-co.md', 'missing'],
      ['https://dichvucong.gov.vn', 'external'],
      ['javascript:alert(1)', 'unsafe'],
      ['https://example.org/a.png', 'remote'],
      ['../media/anh.svg', 'file'],
    ]);
    expect(references[5]!.alt).toBe('');
  });

  it('maps every position back to the lesson file line', () => {
    const { headings } = compile('Đoạn mở đầu.\n\n## Phần một\n\n### Chi tiết', 20);
    expect(headings.map((h) => [h.slug, h.at.line])).toEqual([['phần-một', 22], ['chi-tiết', 24]]);
  });

  it('reports structural problems with their rule ids', () => {
    const { problems } = compile('::::quiz{type=single}\nCâu hỏi?\n\n- [x] a\n::::\n\n::::quiz{#x type=essay}\nCâu?\n\n- [x] a\n::::\n\n:::khac\nx\n:::\n\n:::steps\nkhông có danh sách\n:::');
    expect(problems.map((p) => p.ruleId)).toEqual(['quiz/missing-id', 'quiz/unknown-type', 'directive/unknown', 'steps/no-list']);
  });
});
