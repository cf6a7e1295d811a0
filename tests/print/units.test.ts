// @vitest-environment node
// The parts of the print target that need no browser: finding Chromium, the PDF edits (dates, destinations), the
// source date, and the QR codes (drawn by librsvg through sharp and read back module by module).
import { chmodSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Course } from '../../src/model/course.js';
import { UsageError } from '../../src/project/config.js';
import { destinationPages, pageCount, setPdfDates, sourceDate } from '../../src/targets/print/pdf.js';
import { qrModules, qrSvg, QR_MARGIN } from '../../src/targets/print/qr.js';
import { printProse } from '../../src/targets/print/prose.js';
import { lessonUrl } from '../../src/targets/print.js';
import { ChromiumError, chromiumCandidates, findChromium, printToPdf, requireChromium } from '../../src/tools/chromium.js';
import { tempDir } from '../helpers/project.js';

function fakeBrowser(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

describe('findChromium', () => {
  it('takes HOCSO_CHROMIUM first, then chromium, chromium-browser, google-chrome, google-chrome-stable on PATH', () => {
    const root = tempDir('hocso-print-find-');
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    const chrome = fakeBrowser(a, 'google-chrome');
    const browser = fakeBrowser(b, 'chromium-browser');
    const own = fakeBrowser(path.join(root, 'own'), 'my-chromium');
    const PATH = [a, b].join(path.delimiter);
    expect(findChromium({ PATH })).toEqual({ path: browser, source: 'chromium-browser on PATH' });
    expect(findChromium({ PATH: a })).toEqual({ path: chrome, source: 'google-chrome on PATH' });
    expect(findChromium({ PATH, HOCSO_CHROMIUM: own })).toEqual({ path: own, source: 'HOCSO_CHROMIUM' });
    // A file that is not executable is not a browser.
    writeFileSync(path.join(a, 'chromium'), 'not a program');
    chmodSync(path.join(a, 'chromium'), 0o644);
    expect(findChromium({ PATH: a })?.path).toBe(chrome);
  });

  it('is undefined when nothing is found, and requireChromium says what was tried and how to install one', () => {
    const empty = tempDir('hocso-print-empty-');
    const env = { PATH: empty, HOCSO_CHROMIUM: path.join(empty, 'missing', 'chromium') };
    expect(findChromium(env)).toBeUndefined();
    expect(chromiumCandidates(env)[0]).toMatchObject({ source: 'HOCSO_CHROMIUM', problem: 'does not exist' });
    let error: unknown;
    try {
      requireChromium(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('does not exist');
    expect((error as UsageError).hint).toContain('apt-get install chromium');
    expect((error as UsageError).hint).toContain('HOCSO_CHROMIUM');
  });
});

describe('printToPdf', () => {
  /** A stand-in browser: logs its arguments, then does what `body` says. */
  let scripts = 0;
  function script(dir: string, body: string): { file: string; log: string } {
    const log = path.join(dir, `args-${++scripts}.log`);
    const file = path.join(dir, `fake-chromium-${scripts}`);
    writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\nfor a in "$@"; do case "$a" in --print-to-pdf=*) out="\${a#--print-to-pdf=}";; --user-data-dir=*) profile="\${a#--user-data-dir=}";; esac; done\n${body}\n`);
    chmodSync(file, 0o755);
    return { file, log };
  }

  it('runs the browser without a shell, headless, with a fresh profile that is removed afterwards', async () => {
    const dir = tempDir('hocso-print-fake-');
    const page = path.join(dir, 'a page; $(touch pwned).html');
    writeFileSync(page, '<p>x</p>');
    const fake = script(dir, `mkdir -p "$profile" && echo "$profile" > '${dir}/profile' && printf '%%PDF-1.4 fake' > "$out"`);
    const pdf = await printToPdf(fake.file, page);
    expect(Buffer.from(pdf).toString('latin1')).toBe('%PDF-1.4 fake');
    const args = readFileSync(fake.log, 'utf8').trim().split('\n');
    for (const flag of ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-pdf-header-footer']) expect(args).toContain(flag);
    expect(args.at(-1)).toBe(`file://${page.split(path.sep).map(encodeURIComponent).join('/')}`);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    const profile = readFileSync(path.join(dir, 'profile'), 'utf8').trim();
    expect(profile).toMatch(/hocso-chromium-/);
    expect(existsSync(profile)).toBe(false);
  });

  it('fails with a clear error (exit 2, not a stack trace) when the browser fails or hangs', async () => {
    const dir = tempDir('hocso-print-fake-');
    const page = path.join(dir, 'page.html');
    writeFileSync(page, '<p>x</p>');
    const crash = script(dir, "echo 'Trace/breakpoint trap: renderer crashed' >&2; exit 3");
    await expect(printToPdf(crash.file, page)).rejects.toThrow(ChromiumError);
    await expect(printToPdf(crash.file, page)).rejects.toThrow(/exited with code 3 and wrote no PDF:\n\s+Trace\/breakpoint trap: renderer crashed/);
    const hang = script(dir, 'sleep 30');
    const started = Date.now();
    await expect(printToPdf(hang.file, page, { timeoutMs: 500 })).rejects.toThrow(/did not finish within 1 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const error = await printToPdf(crash.file, page).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toContain('HOCSO_CHROMIUM');
  });
});

// A PDF as Chromium (Skia) writes it: plain dictionaries, a page tree, named destinations, the Info dates.
const SAMPLE_PDF = [
  '%PDF-1.4',
  '1 0 obj\n<</Type /Catalog\n/Pages 2 0 R\n/Dests 9 0 R>>\nendobj',
  '2 0 obj\n<</Type /Pages\n/Count 3\n/Kids [5 0 R 3 0 R]>>\nendobj',
  '3 0 obj\n<</Type /Pages\n/Count 2\n/Kids [7 0 R 4 0 R]>>\nendobj',
  '4 0 obj\n<</Type /Page\n/Parent 3 0 R>>\nendobj',
  '5 0 obj\n<</Type /Page\n/Parent 2 0 R>>\nendobj',
  '7 0 obj\n<</Type /Page\n/Parent 3 0 R>>\nendobj',
  '9 0 obj\n<</lesson-1 [7 0 R /XYZ 6 823.16998 0]\n/answer#2Dkey [4 0 R /XYZ 6 823.16998 0]>>\nendobj',
  "10 0 obj\n<</Producer (Skia/PDF m150)\n/CreationDate (D:20261123161531+07'00')\n/ModDate (D:20261123161531+07'00')>>\nendobj",
  'trailer\n<</Root 1 0 R\n/Info 10 0 R>>\n%%EOF\n',
].join('\n');

describe('the PDF edits', () => {
  it('finds the page of each named destination through the page tree', () => {
    const pdf = new Uint8Array(Buffer.from(SAMPLE_PDF, 'latin1'));
    expect(Object.fromEntries(destinationPages(pdf))).toEqual({ 'lesson-1': 2, 'answer-key': 3 });
    expect(pageCount(pdf)).toBe(3);
  });

  it('rewrites the Info dates in place, at the same length', () => {
    const pdf = new Uint8Array(Buffer.from(SAMPLE_PDF, 'latin1'));
    expect(setPdfDates(pdf, new Date(Date.UTC(2024, 4, 1, 8, 30, 5)))).toBe(2);
    const text = Buffer.from(pdf).toString('latin1');
    expect(pdf.length).toBe(SAMPLE_PDF.length);
    expect(text).toContain("/CreationDate (D:20240501083005+00'00')\n/ModDate (D:20240501083005+00'00')>>");
    expect(text.replace(/D:\d{14}\+00'00'/g, '')).toBe(SAMPLE_PDF.replace(/D:\d{14}\+07'00'/g, ''));
  });

  it('dates the handout by SOURCE_DATE_EPOCH, else by the newest of its source files', () => {
    const root = tempDir('hocso-print-date-');
    mkdirSync(path.join(root, 'lessons'));
    mkdirSync(path.join(root, 'media'));
    writeFileSync(path.join(root, 'course.yaml'), 'id: c\n');
    writeFileSync(path.join(root, 'lessons', 'a.md'), '# a\n');
    writeFileSync(path.join(root, 'media', 'p.svg'), '<svg/>');
    utimesSync(path.join(root, 'course.yaml'), 1_600_000_000, 1_600_000_000);
    utimesSync(path.join(root, 'lessons', 'a.md'), 1_650_000_000, 1_650_000_000.7);
    utimesSync(path.join(root, 'media', 'p.svg'), 1_620_000_000, 1_620_000_000);
    const course = { root, at: { file: 'x/course.yaml', line: 1, column: 1 }, modules: [{ id: 'm', title: 'M', lessons: [{ id: 'a', path: 'lessons/a.md', files: ['media/p.svg'] }] }] } as unknown as Course;
    expect(sourceDate(course, {}).toISOString()).toBe(new Date(1_650_000_000_000).toISOString());
    expect(sourceDate(course, { SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });
});

describe('lesson prose on paper', () => {
  it('moves headings one level down, drops their ids, and turns links into text a reader can use', () => {
    const html = printProse('<h2 id="a">Tiêu đề</h2>\n<p>Xem <a href="lua-dao.html">bài lừa đảo</a>, <a href="https://dichvucong.gov.vn">Cổng</a>, <a href="https://vneid.gov.vn">https://vneid.gov.vn</a> và <a href="#x">đây</a>.</p>', { lessonNumbers: new Map([['lua-dao', 4]]), lessonLabel: (n) => `Bài ${n}` });
    expect(html).toBe('<h3>Tiêu đề</h3>\n<p>Xem bài lừa đảo<span class="lesson-ref"> (Bài 4)</span>, <a href="https://dichvucong.gov.vn">Cổng</a><span class="link-url"> (https://dichvucong.gov.vn)</span>, <a href="https://vneid.gov.vn">https://vneid.gov.vn</a> và đây.</p>');
  });
});

describe('QR codes', () => {
  it('link to the lesson page of the web bundle under publicUrl', () => {
    const course = { id: 'ky-nang-so-thiet-yeu' } as Course;
    expect(lessonUrl('https://hoc.example.vn/out/', course, 'vi', { id: 'mat-khau-an-toan' } as never)).toBe('https://hoc.example.vn/out/web/ky-nang-so-thiet-yeu/vi/lessons/mat-khau-an-toan.html');
  });

  it('draw, as SVG, exactly the modules of the code (read back from a rasterized drawing)', async () => {
    const url = 'https://hoc.example.vn/hocso/web/ky-nang-so-thiet-yeu/km/lessons/mat-khau-an-toan.html';
    const svg = await qrSvg(url, 'Quét mã');
    expect(svg).toMatch(/^<svg class="qr-code" role="img" aria-label="Quét mã" /);
    const modules = qrModules(url);
    const size = modules.length + 2 * QR_MARGIN;
    const scale = 8;
    const { data, info } = await sharp(Buffer.from(svg.replace('<svg ', `<svg width="${size * scale}" height="${size * scale}" `))).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(size * scale);
    const dark = (x: number, y: number): boolean => data[((QR_MARGIN + y) * scale + scale / 2) * info.width + (QR_MARGIN + x) * scale + scale / 2]! < 128;
    const read = modules.map((row, y) => row.map((_, x) => dark(x, y)));
    expect(read).toEqual(modules);
    // the quiet zone is white
    expect(data[(scale / 2) * info.width + scale / 2]).toBeGreaterThan(200);
  });
});
