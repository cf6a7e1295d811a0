import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, templateProject, TEMPLATE_LESSON } from '../helpers/project.js';

export const COURSE_DIR = 'content/courses/khoa-hoc-dau-tien';
export const LESSON = TEMPLATE_LESSON;
export const VARIANT = TEMPLATE_LESSON.replace(/\.md$/, '.hmn.md');

/** A lesson with every kind of translatable unit and inline markup a translator must not break. */
export const RICH_LESSON = `---
id: bai-dau-tien
title: Bài học đầu tiên
competencies:
  - tt02:1.1@1
objectives:
  - Biết cách viết một bài học bằng Markdown
  - Biết chạy lệnh kiểm tra
duration: PT10M
audience: [citizens]
masteryScore: 0.8
keywords: [mẫu, Markdown]
---

Đây là bài **mẫu** với *chữ nghiêng*, mã \`npx hocso build\` và [một liên kết](https://example.org/a_b "Trang").

## Các bước

:::steps
1. Mở tệp bằng **trình soạn thảo**.
2. Chạy \`npx hocso validate\` rồi xem kết quả.
:::

:::warning[Cẩn **thận**]
Không chia sẻ mã OTP với ai,
kể cả người thân.
:::

| Lệnh | Việc |
|---|---|
| \`init\` | Tạo dự án |
| \`build\` | Tạo trang web |

![Màn hình điện thoại](../media/anh.svg "Chú thích ảnh")

::audio{src="../media/loi.mp3" captions="../media/loi.vtt" title="Lời khuyên"}

- Mục một
  - Mục con

Xem [bài sau](bai-dau-tien.md) nữa.

::::quiz{#kiem-tra-lenh type=single}
Lệnh nào tạo ra trang web của khóa học?

- [x] \`npx hocso build\`
  > Đúng. Lệnh này tạo thư mục \`out/web/\`.
- [ ] \`npx hocso init\`
  > Chưa đúng. Lệnh này tạo một dự án mới.
::::

::::quiz{#dien-so type=fill}
Mã passcode có ___ chữ số.

- [x] sáu
  > Đúng.
- [ ] bốn
  > Chưa đúng.
::::
`;

/** The audio clip's captions: a header with text, a note, a cue identifier and settings, a speaker, italics, an entity, two lines. */
export const LOI_VTT = `WEBVTT - Lời khuyên

NOTE thời gian theo bản ghi loi.mp3

loi-1
00:00.000 --> 00:00.400 line:90% align:center
<v Bà Lan>Đừng đọc mã OTP cho ai.

00:00.400 --> 00:01.000
Hãy gọi lại <i>tổng đài</i>
chính thức &amp; báo người thân.
`;

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n';

/** The `hocso init` project with the rich lesson, media, and `languages: [vi, hmn, en]`. */
export function richProject(): string {
  const dir = templateProject({
    [LESSON]: RICH_LESSON,
    [`${COURSE_DIR}/media/anh.svg`]: SVG,
    [`${COURSE_DIR}/media/loi.vtt`]: LOI_VTT,
  });
  // a real recording: the build encodes every clip, so a few bytes that only look like an MP3 would stop it
  copyFileSync(path.join(REPO, 'tests/fixtures/media/loi.mp3'), path.join(dir, COURSE_DIR, 'media/loi.mp3'));
  const config = path.join(dir, 'hocso.config.yaml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}languages:\n  - vi\n  - tag: hmn\n    fallback: [vi]\n  - en\n`);
  return dir;
}

/** A fake translation of a text run: visible, and with characters Markdown would read as markup. */
export function fake(text: string): string {
  if (!text.trim()) return text;
  return `HM ${text.toUpperCase()}`;
}

/** Translates every msgstr of a PO file: text between the tags changes, the tags stay. */
export function translatePo(po: string, translate: (text: string) => string = fake): string {
  return po.replace(/^msgid "(.+)"\nmsgstr ""$/gm, (_, id: string) => `msgid "${id}"\nmsgstr "${id.split(/(<\/?\d+\/?>)/).map((piece) => (/^<\/?\d+\/?>$/.test(piece) ? piece : translate(piece))).join('')}"`);
}

/** Adds a <target> to every XLIFF segment: the source's codes, its text changed. Entities are left alone. */
export function translateXliff(xliff: string, translate: (text: string) => string = (t) => (t.trim() ? `HM ${t}` : t)): string {
  return xliff.replace(/<source>([\s\S]*?)<\/source>(\s*)<\/segment>/g, (_, inner: string, space: string) => {
    const target = inner.split(/(<[^>]+>)/).map((piece) => (piece.startsWith('<') ? piece : translate(piece))).join('');
    return `<source>${inner}</source>${space}  <target>${target}</target>${space}</segment>`;
  });
}

export function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

export function write(dir: string, file: string, text: string): void {
  writeFileSync(path.join(dir, file), text);
}
