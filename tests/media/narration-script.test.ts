import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block, Lesson } from '../../src/model/course.js';
import { narrationScript, splitSentences } from '../../src/media/narration-script.js';
import { compileLessonBody } from '../../src/source/lesson-body.js';
import { lesson, quiz } from '../helpers/model.js';

const course = mkdtempSync(path.join(os.tmpdir(), 'hocso-narration-'));
mkdirSync(path.join(course, 'lessons'));
mkdirSync(path.join(course, 'media'));
writeFileSync(path.join(course, 'media', 'anh.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
const lessonFile = path.join(course, 'lessons', 'a.md');

/** A lesson whose body is compiled from Markdown by the project's own compiler. */
function compiled(body: string, extra: Partial<Lesson> = {}): Lesson {
  const { blocks, problems } = compileLessonBody({ body, bodyLine: 5, displayFile: 'lessons/a.md', lessonFile, courseRoot: course, lessonIds: { [lessonFile]: 'bai-a' } });
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return lesson('bai-a', [], { title: 'Mật khẩu an toàn', blocks, ...extra });
}

const allSentences = (l: Lesson): string[] => narrationScript(l).chapters.flatMap((c) => c.sentences);

describe('narration scripts follow the lesson structure', () => {
  it('reads the title and objectives first, then starts a chapter at every ## and ### heading', () => {
    const script = narrationScript(compiled([
      'Bài này giúp bạn giữ tài khoản an toàn.',
      '',
      '## Vì sao cần mật khẩu mạnh',
      '',
      'Kẻ gian đoán được mật khẩu yếu trong vài giây.',
      '',
      '- Dùng ít nhất 12 ký tự',
      '- Trộn chữ, số và ký hiệu',
      '',
      '### Ví dụ',
      '',
      'Mật khẩu `Hoa-Sen-2024!` khó đoán hơn `123456`.',
      '',
      '## Cất giữ mật khẩu',
      '',
      '| Cách | Nên dùng? |',
      '| --- | --- |',
      '| Sổ tay cất kỹ | Có |',
      '| Giấy dán màn hình | Không |',
    ].join('\n')));
    expect(script.language).toBe('vi');
    expect(script.chapters.map((c) => c.title)).toEqual(['Mật khẩu an toàn', 'Vì sao cần mật khẩu mạnh', 'Ví dụ', 'Cất giữ mật khẩu']);
    expect(script.chapters[0]!.sentences).toEqual([
      'Mật khẩu an toàn',
      'Sau bài này, bạn sẽ:',
      'Đặt mật khẩu mạnh',
      'Nhận ra tin nhắn lừa đảo',
      'Bài này giúp bạn giữ tài khoản an toàn.',
    ]);
    expect(script.chapters[1]!.sentences).toEqual([
      'Vì sao cần mật khẩu mạnh',
      'Kẻ gian đoán được mật khẩu yếu trong vài giây.',
      'Dùng ít nhất 12 ký tự',
      'Trộn chữ, số và ký hiệu',
    ]);
    // Code spans are read as their text.
    expect(script.chapters[2]!.sentences).toEqual(['Ví dụ', 'Mật khẩu Hoa-Sen-2024! khó đoán hơn 123456.']);
    // Tables row by row, each cell after its column header.
    expect(script.chapters[3]!.sentences).toEqual(['Cất giữ mật khẩu', 'Cách: Sổ tay cất kỹ; Nên dùng?: Có', 'Cách: Giấy dán màn hình; Nên dùng?: Không']);
  });

  it('numbers steps and starts callouts with their title or their kind', () => {
    const sentences = allSentences(compiled([
      ':::steps',
      '1. Mở ứng dụng.',
      '2. Chọn **Đăng nhập**. Nhập mật khẩu.',
      ':::',
      '',
      ':::warning[Cẩn thận]',
      'Đừng bấm vào đường link lạ.',
      ':::',
      '',
      ':::tip',
      'Dùng trình quản lý mật khẩu.',
      ':::',
      '',
      ':::note',
      'Ngân hàng không hỏi mã OTP.',
      ':::',
      '',
      ':::warning',
      ':::steps',
      '1. Tắt mạng.',
      ':::',
      ':::',
    ].join('\n')));
    expect(sentences.slice(4)).toEqual([
      'Bước 1. Mở ứng dụng.',
      'Bước 2. Chọn Đăng nhập.',
      'Nhập mật khẩu.',
      'Cẩn thận: Đừng bấm vào đường link lạ.',
      'Mẹo: Dùng trình quản lý mật khẩu.',
      'Lưu ý: Ngân hàng không hỏi mã OTP.',
      'Cảnh báo: Bước 1. Tắt mạng.',
    ]);
  });

  it('reads the question and every choice of a quiz, never which is right nor any feedback', () => {
    const l = compiled([
      '::::quiz{#otp type=single}',
      'Ai được biết mã **OTP** của bạn?',
      '',
      '- [ ] Nhân viên ngân hàng',
      '  > Không. Ngân hàng không bao giờ hỏi mã OTP.',
      '- [x] Chỉ mình bạn',
      '  > Chính xác, giữ kín mã.',
      '::::',
      '',
      '::::quiz{#so type=fill}',
      'Mã OTP thường có ___ chữ số.',
      '',
      '- [x] 6',
      '- [x] sáu',
      '::::',
    ].join('\n'));
    const sentences = allSentences(l);
    expect(sentences.slice(4)).toEqual([
      'Câu hỏi: Ai được biết mã OTP của bạn?',
      'Lựa chọn A: Nhân viên ngân hàng',
      'Lựa chọn B: Chỉ mình bạn',
      'Câu hỏi: Mã OTP thường có … chữ số.',
    ]);
    const spoken = sentences.join(' ');
    for (const secret of ['Không.', 'Chính xác', 'không bao giờ hỏi', ' 6', 'sáu', 'Đúng', 'correct']) expect(spoken).not.toContain(secret);
  });

  it('reads quizzes of the model helpers in English with English words', () => {
    const l = lesson('en-1', [quiz('q1', 'truefalse', 'OTP codes are secret.', [['True', true], ['False', false]])], { language: 'en', title: 'Safe passwords', objectives: ['Make a strong password'] });
    const script = narrationScript(l);
    expect(script.language).toBe('en');
    expect(script.chapters).toEqual([{ title: 'Safe passwords', sentences: ['Safe passwords', 'After this lesson you will:', 'Make a strong password', 'x', 'Question: OTP codes are secret.', 'Option A: True', 'Option B: False'] }]);
  });

  it('reads figures by their alt text and caption, and decodes HTML entities', () => {
    const sentences = allSentences(compiled([
      'Gõ `a < b && c > d` rồi bấm **Lưu** &amp; thoát&nbsp;ra.',
      '',
      '![Màn hình đăng nhập của ứng dụng](../media/anh.svg "Hình 1: ô mật khẩu")',
    ].join('\n')));
    expect(sentences.slice(4)).toEqual(['Gõ a < b && c > d rồi bấm Lưu & thoát ra.', 'Hình: Màn hình đăng nhập của ứng dụng', 'Hình 1: ô mật khẩu']);
    for (const s of sentences) expect(s).not.toMatch(/&(amp|lt|gt|nbsp);|<\/?(p|code|strong)>/);
  });

  it('splits paragraphs into sentences but keeps numbers, abbreviations and "v.v." whole', () => {
    expect(splitSentences('Phiên bản 1.5 đã ra mắt. Hãy cập nhật chữ, số, ký hiệu v.v. và kiểm tra lại! Bạn xong chưa? Rồi… Tốt.')).toEqual([
      'Phiên bản 1.5 đã ra mắt.',
      'Hãy cập nhật chữ, số, ký hiệu v.v. và kiểm tra lại!',
      'Bạn xong chưa?',
      'Rồi…',
      'Tốt.',
    ]);
    expect(splitSentences('Trụ sở ở TP. Hồ Chí Minh, giá 1.000.000 đồng. Gọi số 0.5 "Xin chào." Anh ấy nói.')).toEqual([
      'Trụ sở ở TP. Hồ Chí Minh, giá 1.000.000 đồng.',
      'Gọi số 0.5 "Xin chào."',
      'Anh ấy nói.',
    ]);
    expect(splitSentences('Dùng chữ hoa, chữ thường, v.v. Sau đó bấm Lưu.')).toEqual(['Dùng chữ hoa, chữ thường, v.v.', 'Sau đó bấm Lưu.']);
    expect(splitSentences('  ')).toEqual([]);
  });

  it('drops empty chapters and is deterministic', () => {
    const blocks: Block[] = [
      { kind: 'prose', html: '<h2 id="a"></h2><p>Vẫn thuộc phần đầu.</p><h2 id="b">Phần hai</h2><p>Nội dung.</p>' },
      { kind: 'video', src: { path: 'media/v.mp4', at: { file: 'x', line: 1, column: 1 } }, title: 'Không đọc' },
      { kind: 'prose', html: '<h3 id="c"><img alt=""></h3>' },
    ];
    const l = lesson('e', [], { title: 'Bài', objectives: [], blocks });
    const script = narrationScript(l);
    expect(script.chapters).toEqual([
      { title: 'Bài', sentences: ['Bài', 'Vẫn thuộc phần đầu.'] },
      { title: 'Phần hai', sentences: ['Phần hai', 'Nội dung.'] },
    ]);
    expect(JSON.stringify(narrationScript(l))).toBe(JSON.stringify(script));
  });
});
