// @vitest-environment node
// `hocso build --target print` on the sample course, end to end: Debian's Chromium prints it, poppler's tools read the
// PDF back (page size and count, fonts, text). The sample has no Tai Viet or Khmer text of its own (its blt and km
// builds are Vietnamese fallbacks), so the copy built here gets a Khmer and a Tai Viet variant of one lesson
// (fixtures/) and course titles in both scripts. Fails, never skips, without Chromium or poppler.
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { hocso, sampleProject, tempDir } from '../helpers/project.js';

const COURSE = 'ky-nang-so-thiet-yeu';
const COURSE_DIR = `content/courses/${COURSE}`;
const PUBLIC_URL = 'https://hoc.example.vn/hocso';
// vi and en, the sample's Hmong and Tày draft variants (Latin letters), and Tai Viet and Khmer fixtures.
const LANGS = ['vi', 'en', 'hmn', 'tyz', 'blt', 'km'] as const;
const KHMER_TITLE = 'ជំនាញឌីជីថលសំខាន់ៗសម្រាប់ប្រជាជន';
const TAI_VIET_TITLE = 'ꪁꪫꪾꪣ ꪼꪕ ꪒꪾ';

function tool(name: string, args: string[]): string {
  const result = spawnSync(name, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`\`${name}\` is needed to read the printed PDF back (${result.error.message}). Install poppler-utils (Debian/Ubuntu: \`apt-get install poppler-utils\`).`);
  if (result.status !== 0) throw new Error(`${name} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function requireTools(): void {
  const chromium = process.env.HOCSO_CHROMIUM ?? '/usr/bin/chromium';
  const onPath = (name: string): boolean => (process.env.PATH ?? '').split(path.delimiter).some((d) => existsSync(path.join(d, name)));
  if (!existsSync(chromium) && !['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].some(onPath)) {
    throw new Error('No Chromium: the print target prints with a headless Chromium. Install it (Debian/Ubuntu: `apt-get install chromium`) or set HOCSO_CHROMIUM to its executable.');
  }
  for (const name of ['pdfinfo', 'pdffonts', 'pdftotext']) {
    if (!onPath(name)) throw new Error(`\`${name}\` not found: install poppler-utils (Debian/Ubuntu: \`apt-get install poppler-utils\`).`);
  }
}

/** The lesson titles each language shows, in course order: its variant's, else the Vietnamese source's. */
function lessonTitles(project: string, lang: string): string[] {
  const course = parse(readFileSync(path.join(project, COURSE_DIR, 'course.yaml'), 'utf8')) as { modules: { lessons: string[] }[] };
  return course.modules.flatMap((m) => m.lessons).map((file) => {
    const variant = path.join(project, COURSE_DIR, file.replace(/\.md$/, `.${lang}.md`));
    const text = readFileSync(existsSync(variant) ? variant : path.join(project, COURSE_DIR, file), 'utf8');
    return /^title:\s*(.+)$/m.exec(text)![1]!.trim();
  });
}

/** Text with all white space removed: pdftotext breaks lines where the page did, and spaces out some Khmer clusters. */
const squash = (s: string): string => s.replace(/\s+/g, '');

interface Pdf {
  file: string;
  bytes: Buffer;
  info: string;
  fonts: { name: string; type: string; emb: string }[];
  /** Text per page (pdftotext, reading order). */
  pages: string[];
}

function readPdf(file: string): Pdf {
  const fonts = tool('pdffonts', [file]).split('\n').slice(2).filter(Boolean).map((line) => {
    const cols = line.trim().split(/\s+/);
    // name type… encoding emb sub uni object ID: counted from the end (the type has spaces)
    return { name: cols[0]!, type: cols.slice(1, -6).join(' '), emb: cols[cols.length - 5]! };
  });
  return { file, bytes: readFileSync(file), info: tool('pdfinfo', ['-isodates', file]), fonts, pages: tool('pdftotext', ['-enc', 'UTF-8', file, '-']).split('\f').slice(0, -1) };
}

/**
 * The entries of the contents (page 2, as laid out): "Bài 3. Title ……… 13", a long title over two lines with the
 * number on its last line. Module headings (no number) are left out.
 */
function contentsOf(pdf: Pdf): { entry: string; page: number }[] {
  const lines = tool('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', '2', '-l', '2', pdf.file, '-']).split('\n').slice(1);
  const entries: { entry: string; page: number }[] = [];
  let pending = '';
  // a module heading ("Phần 1. …") may wrap onto a second line: skip it up to the next lesson or the answer key
  let inPart = false;
  for (const line of lines) {
    const text = line.trim();
    if (!text) continue;
    if (/^(Phần|Part) \d+\./.test(text)) {
      inPart = true;
      continue;
    }
    if (inPart && !/^(Bài|Lesson) \d+\.|^(Đáp án|Answer key)/.test(text)) continue;
    inPart = false;
    if (/(Trang|Page) \d+/.test(text)) break;
    const numbered = /^(.*?)\s+(\d+)$/.exec(text);
    if (numbered) {
      entries.push({ entry: squash(`${pending} ${numbered[1]}`), page: Number(numbered[2]) });
      pending = '';
    } else pending = `${pending} ${text}`;
  }
  return entries;
}

let project: string;
const built: Record<string, Pdf> = {};
const rebuilt: Record<string, Pdf> = {};
const online: Record<string, Pdf> = {};
let seconds = 0;

beforeAll(() => {
  requireTools();
  project = sampleProject();
  for (const lang of ['km', 'blt']) copyFileSync(new URL(`fixtures/mat-khau-an-toan.${lang}.md`, import.meta.url), path.join(project, COURSE_DIR, 'lessons', `mat-khau-an-toan.${lang}.md`));
  appendFileSync(path.join(project, COURSE_DIR, 'course.yaml'), `  km:\n    title: ${KHMER_TITLE}\n  blt:\n    title: ${TAI_VIET_TITLE}\n`);

  const build = (out: string, langs: readonly string[], env: Record<string, string> = {}): Record<string, Pdf> => {
    const started = performance.now();
    const result = hocso(['build', '--target', 'print', '--lang', langs.join(','), '--out', out], project, env);
    expect(result.code, result.stderr).toBe(0);
    seconds = (performance.now() - started) / 1000;
    return Object.fromEntries(langs.map((lang) => [lang, readPdf(path.join(project, out, 'print', `${COURSE}.${lang}.pdf`))]));
  };
  Object.assign(built, build('out1', LANGS));
  Object.assign(rebuilt, build('out2', ['vi', 'km']));
  // One build with a public URL (and a fixed date).
  writeFileSync(path.join(project, 'hocso.config.yaml'), `${readFileSync(path.join(project, 'hocso.config.yaml'), 'utf8')}publicUrl: ${PUBLIC_URL}/\n`);
  Object.assign(online, build('out3', ['vi', 'km'], { SOURCE_DATE_EPOCH: '1700000000' }));
  console.log(`print: 2 handouts with QR codes built in ${seconds.toFixed(1)} s`);
}, 600_000);

describe('the printed handout of the sample course', () => {
  it('is A4, every page, with a sensible number of pages', () => {
    for (const lang of LANGS) {
      const { file, info } = built[lang]!;
      expect(info).toMatch(/^Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/m);
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
      // title page, contents, 6 lessons of 3–5 pages, the answer key
      expect(pages, lang).toBeGreaterThanOrEqual(25);
      expect(pages, lang).toBeLessThanOrEqual(50);
      const sizes = tool('pdfinfo', ['-f', '1', '-l', String(pages), file]).match(/^Page\s+\d+ size:.*$/gm)!;
      expect(sizes).toHaveLength(pages);
      for (const size of sizes) expect(size).toMatch(/59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    }
  });

  it('embeds every font it uses (Noto Sans, and the script fonts of Khmer and Tai Viet), as TrueType subsets', () => {
    for (const lang of LANGS) {
      const { fonts } = built[lang]!;
      expect(fonts.length, lang).toBeGreaterThan(0);
      for (const font of fonts) {
        expect(font.emb, `${lang}: ${font.name}`).toBe('yes');
        expect(font.type, `${lang}: ${font.name}`).toBe('CID TrueType');
        expect(font.name, lang).toMatch(/^[A-Z]{6}\+NotoSans/);
      }
      const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
      expect(names, lang).toContain('NotoSans-Regular');
      expect(names, lang).toContain('NotoSans-Bold');
    }
    const names = (lang: string): string[] => built[lang]!.fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names('km')).toContain('NotoSansKhmer-Regular');
    expect(names('km')).toContain('NotoSansKhmer-Bold');
    expect(names('blt')).toContain('NotoSansTaiViet-Regular');
    // no script font where the text has no such script
    expect(names('vi').filter((n) => /Khmer|TaiViet|Cham|Hmong/.test(n))).toEqual([]);
    expect(names('en').filter((n) => /Khmer|TaiViet|Cham|Hmong/.test(n))).toEqual([]);
  });

  it('starts with a title page and the contents, whose page numbers are where each lesson starts', () => {
    for (const lang of LANGS) {
      const { pages } = built[lang]!;
      const titles = lessonTitles(project, lang);
      const courseTitle = { vi: 'Kỹ năng số thiết yếu cho người dân', en: 'Essential digital skills for everyone', hmn: 'Kev txawj siv xov tooj thiab internet tseem ceeb rau pej xeem', tyz: 'Kỹ năng số thiết yếu hẩư cần dân', blt: TAI_VIET_TITLE, km: KHMER_TITLE }[lang];
      expect(squash(pages[0]!), lang).toContain(squash(courseTitle));
      const contents = contentsOf(built[lang]!);
      const label = lang === 'en' ? 'Lesson' : 'Bài';
      expect(contents.map((c) => c.entry), lang).toEqual([...titles.map((title, i) => squash(`${label} ${i + 1}. ${title}`)), squash(lang === 'en' ? 'Answer key' : 'Đáp án')]);
      titles.forEach((title, i) => {
        const page = contents[i]!.page;
        const lessonLabel = `${label.toUpperCase()}${i + 1}`;
        expect(squash(pages[page - 1]!).toUpperCase(), `${lang}: lesson ${i + 1} on page ${page}`).toContain(lessonLabel);
        expect(squash(pages[page - 1]!), `${lang}: lesson ${i + 1} on page ${page}`).toContain(squash(title));
        expect(squash(pages[page - 2]!).toUpperCase(), `${lang}: lesson ${i + 1} starts on page ${page}`).not.toContain(`${lessonLabel}${squash(title).toUpperCase()}`);
      });
    }
  });

  it('prints the lessons in course order, and each quiz as numbered questions with their options', () => {
    const text = (lang: string): string => squash(built[lang]!.pages.slice(2).join('\n'));
    for (const lang of LANGS) {
      const body = text(lang);
      let at = 0;
      for (const title of lessonTitles(project, lang)) {
        const found = body.indexOf(squash(title), at);
        expect(found, `${lang}: ${title} after the lesson before it`).toBeGreaterThan(at - 1);
        at = found;
      }
    }
    const question = (lang: string, words: string[]): void => {
      for (const w of words) expect(text(lang), `${lang}: ${w}`).toContain(squash(w));
    };
    question('vi', ['Câu hỏi 1.', 'Mật khẩu nào mạnh nhất?', 'A. 123456', 'B. Hoa1960', 'C. TraDa-ChoMeo-Bay-QuaSong-9', 'Đánh dấu vào một ô.', 'Câu trả lời của bạn:']);
    question('en', ['Question 1.', 'Which password is the strongest?', 'Tick one box.', 'Your answer:']);
    question('km', ['តើពាក្យសម្ងាត់មួយណាខ្លាំងជាងគេ?', 'រូបថតអត្តសញ្ញាណប័ណ្ណ', 'ពាក្យសម្ងាត់គឺជាកូនសោនៃគណនីរបស់អ្នក។', 'VNeID là ứng dụng định danh điện tử của Bộ Công an.' /* a fallback lesson, in Vietnamese */]);
    question('blt', ['ꪁꪫꪾꪣ ꪼꪕ ꪒꪾ?', 'ꪹꪀꪱ ꪁꪫꪾꪣ ꪼꪕ ꪒꪾ', 'Tiếng Thái Đen (Tai Dam) viết bằng chữ Thái Việt: ꪼꪕ ꪒꪾ.', 'Việc nào nên nhờ trợ lý AI làm?']);
  });

  it('ends with the answer key: the right options and their feedback', () => {
    for (const lang of LANGS) {
      const { pages } = built[lang]!;
      const heading = lang === 'en' ? 'Answer key' : 'Đáp án';
      const start = pages.findIndex((p, i) => i > 1 && p.trimStart().startsWith(heading));
      expect(start, lang).toBeGreaterThan(2);
      // after the last question of the last lesson, and nothing but answers after it
      const lastQuestion = pages.findLastIndex((p) => /Câu hỏi|Question/.test(p) && !/Đáp án đúng|Correct answer/.test(p));
      expect(start, lang).toBeGreaterThan(lastQuestion);
      const key = squash(pages.slice(start).join('\n'));
      expect(key).not.toContain(squash(lang === 'en' ? 'Tick one box.' : 'Đánh dấu vào một ô.'));
      // the contents point to it
      expect(contentsOf(built[lang]!).at(-1)).toEqual({ entry: squash(heading), page: start + 1 });
    }
    const key = (lang: string): string => squash(built[lang]!.pages.slice(built[lang]!.pages.findIndex((p, i) => i > 1 && /^(Đáp án|Answer key)/.test(p.trimStart()))).join('\n'));
    expect(key('vi')).toContain(squash('Câu hỏi 1: Đáp án đúng: C'));
    expect(key('vi')).toContain(squash('C. TraDa-ChoMeo-Bay-QuaSong-9'));
    expect(key('vi')).toContain(squash('Đúng. Cụm từ dài, lạ, khó đoán nhưng dễ nhớ.'));
    expect(key('vi')).toContain(squash('Đáp án đúng: hai / 2'));
    expect(key('en')).toContain(squash('Correct answer: C'));
    expect(key('km')).toContain(squash('Đáp án đúng: ពីរ / 2'));
    expect(key('km')).toContain(squash('ត្រូវ។ វែង និងពិបាកទាយ។'));
  });

  it('has no QR code or address without publicUrl; with it, each lesson shows the address of its online page', () => {
    expect(built.vi!.pages.join('\n')).not.toContain('https://hoc.example.vn');
    for (const lang of ['vi', 'km']) {
      const text = squash(online[lang]!.pages.join('\n'));
      for (const lesson of ['cai-dat-vneid', 'dich-vu-cong-truc-tuyen', 'mat-khau-an-toan', 'lua-dao-truc-tuyen', 'thanh-toan-qr', 'tro-ly-ai-an-toan']) {
        expect(text, `${lang}: ${lesson}`).toContain(`${PUBLIC_URL}/web/${COURSE}/${lang}/lessons/${lesson}.html`);
      }
      expect(text).toContain(`${PUBLIC_URL}/web/${COURSE}/${lang}/index.html`);
      expect(squash(online[lang]!.pages[0]!)).toContain(squash('Quét mã để mở khóa học trên điện thoại'));
    }
    // The address wraps only after a slash: each of its lines but the last ends with "/", never with a hyphen.
    const lines = online.vi!.pages.join('\n').split('\n').map((l) => l.trim());
    let addresses = 0;
    lines.forEach((line, i) => {
      if (!line.startsWith(PUBLIC_URL)) return;
      addresses++;
      const end = lines.findIndex((l, j) => j >= i && l.endsWith('.html'));
      expect(end - i, line).toBeLessThan(5);
      for (const part of lines.slice(i, end)) expect(part, lines.slice(i, end + 1).join(' | ')).toMatch(/\/$/);
    });
    expect(addresses).toBe(7);
  });

  it('is the same, byte for byte, when built again; its dates are the sources\' (or SOURCE_DATE_EPOCH)', () => {
    for (const lang of ['vi', 'km']) expect(rebuilt[lang]!.bytes.equals(built[lang]!.bytes), lang).toBe(true);
    const newest = Math.max(...[`${COURSE_DIR}/course.yaml`, `${COURSE_DIR}/lessons/mat-khau-an-toan.km.md`].map((f) => Math.floor(statSync(path.join(project, f)).mtimeMs / 1000)));
    const iso = new Date(newest * 1000).toISOString().slice(0, 19);
    expect(built.km!.info).toMatch(new RegExp(`^CreationDate:\\s+${iso}`, 'm'));
    expect(built.km!.info).toMatch(new RegExp(`^ModDate:\\s+${iso}`, 'm'));
    expect(online.vi!.info).toMatch(/^CreationDate:\s+2023-11-14T22:13:20/m);
    expect(online.vi!.info).toMatch(/^ModDate:\s+2023-11-14T22:13:20/m);
    // nothing of the temporary folder it was printed from
    expect(built.vi!.bytes.includes('hocso-print-')).toBe(false);
  });
});

describe('without Chromium', () => {
  it('stops with exit code 2 and says how to install it, with no stack trace and nothing written', () => {
    const empty = tempDir('hocso-no-chromium-');
    const result = hocso(['build', '--target', 'print', '--lang', 'vi', '--out', 'out-none'], project, { HOCSO_CHROMIUM: path.join(empty, 'missing', 'chromium'), PATH: empty });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('apt-get install chromium');
    expect(result.stderr).toContain('HOCSO_CHROMIUM');
    expect(result.stderr).toMatch(/^error: the print target needs a headless Chromium/m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(project, 'out-none'))).toBe(false);
  }, 120_000);
});
