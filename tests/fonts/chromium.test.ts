// @vitest-environment node
// A lesson in Tai Viet (Tai Dam) in a real browser: drawn with the embedded subset font, and with no .notdef glyph;
// the same page without the font shows tofu. Debian's Chromium here has no Tai Viet font of its own (DejaVu and
// Liberation only), like most learners' phones.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedFonts } from '../../src/fonts/embed.js';
import type { FileTree } from '../../src/output/atomic-dir.js';
import { readFolder } from '../../src/verify/folder-reader.js';
import { launchChromium, serveStatic, type StaticServer } from '../helpers/chromium.js';
import { hocso, TEMPLATE_LESSON, templateProject, tempDir } from '../helpers/project.js';

const LESSON_PAGE = 'lessons/bai-dau-tien.html';

let browser: Browser;
let server: StaticServer;
let withFont: string;

function writeTree(dir: string, files: FileTree): void {
  for (const [file, bytes] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), bytes);
  }
}

beforeAll(async () => {
  const project = templateProject({ [TEMPLATE_LESSON]: readFileSync(new URL('fixtures/tai-dam.md', import.meta.url), 'utf8') });
  const built = hocso(['build'], project);
  expect(built.code, built.stderr).toBe(0);
  const course = path.join(project, 'out/web/khoa-hoc-dau-tien');
  const bundle = path.join(course, readdirSync(course).find((lang) => readdirSync(path.join(course, lang)).includes('index.html'))!);

  // The bundle as every HTML target ships it (embedFonts leaves a bundle the build already gave fonts unchanged)…
  const files: FileTree = readFolder(bundle).files;
  const { fonts, problems } = await embedFonts(files);
  expect(problems).toEqual([]);
  expect(fonts.map((f) => f.font)).toEqual(['Noto Sans Tai Viet']);
  // …and the same bundle on a phone where the font is missing: same pages and CSS, the font files gone.
  const out = tempDir('hocso-fonts-');
  withFont = path.join(out, 'with');
  writeTree(withFont, files);
  writeTree(path.join(out, 'without'), new Map([...files].filter(([file]) => !file.endsWith('.woff2'))));

  browser = await launchChromium();
  server = await serveStatic({ with: withFont, without: path.join(out, 'without') });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  await page.goto(url);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

/** Which fonts Chromium really drew an element's text with (DevTools' CSS.getPlatformFontsForNode). */
async function platformFonts(page: Page, selector = 'main p'): Promise<{ familyName: string; isCustomFont: boolean; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return fonts;
}

/**
 * .notdef detection by pixels. Each Tai Viet character of the paragraph is drawn alone on a canvas in the paragraph's
 * own font-family (so the page's @font-face rules, unicode-range and fallbacks apply, as in the text), and compared
 * with the drawing of U+AAC3 and U+AAC4: code points of the Tai Viet block that are unassigned, so no font has a glyph
 * for them and what Chromium draws is the .notdef glyph it would use for a missing Tai Viet character. That is
 * DejaVu's box without the embedded font, and the embedded font's own .notdef (empty, with an advance) with it, since
 * the code points are inside its unicode-range. A character drawn exactly like that, or drawn as nothing, is tofu.
 */
async function tofuCheck(page: Page): Promise<{ tofuIsStable: boolean; chars: { char: string; tofu: boolean; blank: boolean }[] }> {
  return page.evaluate(async () => {
    const paragraph = document.querySelector('main p')!;
    const family = getComputedStyle(paragraph).fontFamily;
    const chars = [...new Set(paragraph.textContent!)].filter((c) => /\p{Script=Tai_Viet}/u.test(c));
    // Rejected where the font file is missing: then the fallback fonts draw, which is what the control is about.
    await document.fonts.load(`48px ${family}`, chars.join('')).catch(() => undefined);
    const canvas = document.createElement('canvas');
    canvas.width = 120;
    canvas.height = 100;
    const ctx = canvas.getContext('2d')!;
    const draw = (text: string): string => {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.font = `48px ${family}`;
      ctx.fillStyle = '#000';
      ctx.fillText(text, 40, 70);
      return canvas.toDataURL();
    };
    const blank = draw('');
    const tofu = draw('\uAAC3');
    return {
      tofuIsStable: tofu === draw('\uAAC4'),
      chars: chars.map((char) => {
        const image = draw(char);
        return { char, tofu: image === tofu, blank: image === blank };
      }),
    };
  });
}

describe('a Tai Viet lesson in Chromium', () => {
  it('is drawn with the embedded subset font: every Tai Viet character has a real glyph, none is .notdef', async () => {
    const page = await open(`${server.origin}/with/${LESSON_PAGE}`);
    expect(await page.evaluate(() => [...document.fonts].map((f) => `${f.family} ${f.status}`))).toEqual(['hocso Tai Viet loaded']);

    const fonts = await platformFonts(page);
    const custom = fonts.filter((f) => f.isCustomFont);
    expect(custom.map((f) => f.familyName)).toEqual(['Noto Sans Tai Viet']);
    expect(custom[0]!.glyphCount).toBeGreaterThan(50);
    // No Tai Viet character falls back to a system font: in the title (one line, so no space is lost at a line break),
    // the system font draws exactly the two spaces of "ꪁꪫꪾꪣ ꪼꪕ ꪒꪾ".
    const title = await platformFonts(page, 'main h1');
    expect(title.filter((f) => !f.isCustomFont).reduce((n, f) => n + f.glyphCount, 0)).toBe(2);
    expect(title.filter((f) => f.isCustomFont).map((f) => [f.familyName, f.glyphCount])).toEqual([['Noto Sans Tai Viet', [...'ꪁꪫꪾꪣꪼꪕꪒꪾ'].length]]);

    const check = await tofuCheck(page);
    expect(check.tofuIsStable).toBe(true);
    expect(check.chars.length).toBeGreaterThan(40);
    expect(check.chars.filter((c) => c.tofu || c.blank)).toEqual([]);
    await page.close();
  });

  it('shows tofu where the font is missing, so the screenshots differ', async () => {
    const withPage = await open(`${server.origin}/with/${LESSON_PAGE}`);
    const withoutPage = await open(`${server.origin}/without/${LESSON_PAGE}`);
    expect(await withoutPage.evaluate(() => [...document.fonts].map((f) => `${f.family} ${f.status}`))).toEqual(['hocso Tai Viet error']);
    expect((await platformFonts(withoutPage)).filter((f) => f.isCustomFont)).toEqual([]);

    // The control: the method above does see tofu, on every Tai Viet character of the page without the font.
    const check = await tofuCheck(withoutPage);
    expect(check.tofuIsStable).toBe(true);
    expect(check.chars.filter((c) => !c.tofu)).toEqual([]);

    const shot = (page: Page): Promise<Buffer> => page.locator('main').screenshot();
    const [a, b] = [await shot(withPage), await shot(withoutPage)];
    expect(a.equals(b)).toBe(false);
    // The Vietnamese parts of the page are the same in both: only the Tai Viet text changed.
    const vietnamese = (page: Page): Promise<Buffer> => page.locator('.quiz .choice').nth(1).screenshot();
    expect((await vietnamese(withPage)).equals(await vietnamese(withoutPage))).toBe(true);
    await withPage.close();
    await withoutPage.close();
  });

  it('loads the font from the disk too (file://, pages in lessons/ and the font in ../assets/fonts/)', async () => {
    const page = await open(`file://${path.join(withFont, LESSON_PAGE)}`);
    expect(await page.evaluate(() => [...document.fonts].map((f) => `${f.family} ${f.status}`))).toEqual(['hocso Tai Viet loaded']);
    expect((await platformFonts(page)).filter((f) => f.isCustomFont).map((f) => f.familyName)).toEqual(['Noto Sans Tai Viet']);
    await page.close();
  });
});
