// The font step of every HTML target: one pass over a rendered bundle (web, SCORM, cmi5, xAPI all start from
// renderWebBundle's file tree).
import type { FileTree } from '../output/atomic-dir.js';
import { courseFonts, FONTS_CSS, type EmbeddedFont, type FontProblem } from './course-fonts.js';
import { pageText } from './page-text.js';

export interface EmbedFontsOptions {
  /**
   * The source a page's problems are reported under (e.g. `lessons/ID.html` → the lesson's Markdown file and its
   * text, where the character's line and column are looked up). Pages without one are reported under their path.
   */
  sourceOf?: (page: string) => { file: string; text?: string } | undefined;
}

export interface EmbedFontsResult {
  fonts: EmbeddedFont[];
  problems: FontProblem[];
}

/**
 * Reads every page and caption file of the bundle, adds the subset fonts and assets/fonts.css it needs, and links the stylesheet from
 * every page (after hocso.css, so its font-family wins). A bundle that needs no font is left exactly as it was.
 */
export async function embedFonts(files: FileTree, options: EmbedFontsOptions = {}): Promise<EmbedFontsResult> {
  const pages = [...files.keys()].filter((p) => p.endsWith('.html')).sort();
  const html = new Map(pages.map((p) => [p, text(files.get(p)!)]));
  // Captions and transcripts are drawn by the page's fonts too (the <track> cues of <video>, and transcripts shown
  // as text): their characters belong in the subsets.
  const captions = [...files.keys()].filter((p) => /\.vtt$/i.test(p)).sort();
  const result = await courseFonts([
    ...pages.map((p) => ({ file: p, text: pageText(html.get(p)!) })),
    ...captions.map((p) => ({ file: p, text: text(files.get(p)!) })),
  ]);

  if (result.css) {
    files.set(FONTS_CSS, result.css);
    for (const [file, bytes] of result.files) files.set(file, bytes);
    for (const page of pages) files.set(page, linkStylesheet(html.get(page)!, page));
  }

  const problems = result.problems.map((problem): FontProblem => {
    const source = options.sourceOf?.(problem.file);
    if (!source) return problem;
    const { line: _line, column: _column, ...rest } = problem;
    const at = source.text ? locate(source.text, problem.char) : undefined;
    return { ...rest, file: source.file, ...at };
  });
  return { fonts: result.fonts, problems };
}

/** `<link rel="stylesheet" href="../assets/fonts.css">` before `</head>`, relative to the page (once). */
export function linkStylesheet(page: string, pagePath: string): string {
  const root = '../'.repeat(pagePath.split('/').length - 1);
  const link = `<link rel="stylesheet" href="${root}${FONTS_CSS}">\n`;
  const head = page.indexOf('</head>');
  return head < 0 || page.includes(link) ? page : page.slice(0, head) + link + page.slice(head);
}

function text(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
}

function locate(source: string, char: string): { line: number; column: number } | undefined {
  const at = source.indexOf(char);
  if (at < 0) return undefined;
  const before = source.slice(0, at);
  return { line: before.split('\n').length, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}
