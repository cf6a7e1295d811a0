// `hocso build --target print`: one course in one language → a PDF laid out for A4 paper, for villages without a
// network (docs: "Printable handout"). The handout is HTML printed by a headless Chromium found on the machine: a title
// page, the contents (with page numbers, from a first print), the lessons in course order under their module headings,
// the quizzes as numbered questions with boxes to tick or a line to write on, and the answer key at the end. Every
// font is embedded: the script fonts of the HTML targets (subset by src/fonts) and Noto Sans for Latin and Vietnamese.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { competencesOf, type Framework } from '../frameworks/framework.js';
import { embedFonts } from '../fonts/embed.js';
import { codePointLabel, type EmbeddedFont, type FontProblem } from '../fonts/course-fonts.js';
import { pageText } from '../fonts/page-text.js';
import { inUnicodeRange, SCRIPT_FONTS } from '../fonts/scripts.js';
import { needsNoGlyph } from '../fonts/system-coverage.js';
import { lessonsOf, type Block, type Choice, type Course, type Lesson, type Quiz } from '../model/course.js';
import { lessonPagePath, packageHref } from '../model/layout.js';
import type { FileTree } from '../output/atomic-dir.js';
import { TEMPLATES_DIR } from '../paths.js';
import { templateEngine } from '../render/templates.js';
import { durationMinutes, fill, uiStrings, type UiStrings } from '../render/ui-strings.js';
import { isRasterImage, isSvgImage, processImage, type ProcessedImage } from '../media/images.js';
import { readSourceText } from '../source/text-file.js';
import { printToPdf, requireChromium } from '../tools/chromium.js';
import { latinCoverage, latinFonts, LATIN_FAMILY } from './print/fonts.js';
import { destinationPages, setPdfDates, sourceDate } from './print/pdf.js';
import { printProse, type ProseContext } from './print/prose.js';
import { qrSvg } from './print/qr.js';

export interface PrintOptions {
  /** Where out/ is published (config `publicUrl`): each lesson gets a QR code of its page in the web bundle. */
  publicUrl?: string;
  /** Characters the embedded fonts cannot draw are added here (as the HTML targets report them). */
  fontProblems?: FontProblem[];
  /** The Chromium to print with (default: findChromium()). */
  chromium?: string;
  /** Per print of Chromium (default: HOCSO_PRINT_TIMEOUT seconds, else 120 s). */
  timeoutMs?: number;
}

/** The online page of a lesson: `${publicUrl}/web/${course}/${lang}/lessons/${lesson}.html`. */
export function lessonUrl(publicUrl: string, course: Course, lang: string, lesson: Lesson): string {
  return `${publicUrl.replace(/\/+$/, '')}/web/${packageHref(course.id)}/${packageHref(lang)}/${packageHref(lessonPagePath(lesson.id))}`;
}

/** The online course home: `${publicUrl}/web/${course}/${lang}/index.html`. */
export function courseUrl(publicUrl: string, course: Course, lang: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/web/${packageHref(course.id)}/${packageHref(lang)}/index.html`;
}

/** The id of a lesson's section in the handout (and of its PDF destination). */
const lessonAnchor = (n: number): string => `lesson-${n}`;
const ANSWERS_ANCHOR = 'answer-key';
/** Stands for the font families in print.css until the fonts are known. */
const FONTS_PLACEHOLDER = 'var(--fonts)';

/** The handout as HTML: the page, and the files beside it (fonts). */
export interface PrintHandout {
  html: string;
  /** Page-relative path → bytes: `assets/fonts.css`, `assets/fonts/…` (script fonts), `fonts/…` (Noto Sans). */
  files: FileTree;
  fonts: EmbeddedFont[];
  problems: FontProblem[];
  /** Named destinations whose page numbers the contents show: each lesson's and the answer key's. */
  anchors: string[];
}

/**
 * The handout's HTML. `pages` (anchor → page number) fills in the page numbers of the contents; without it they are
 * left blank, in boxes of the same width, so that filling them in moves nothing.
 */
export async function renderPrintHtml(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, options: PrintOptions & { pages?: ReadonlyMap<string, number>; date?: Date } = {}): Promise<PrintHandout> {
  const t = uiStrings(lang);
  const eta = templateEngine('print');
  const lessons = lessonsOf(course);
  const lessonNumbers = new Map(lessons.map((l, i) => [l.id, i + 1]));
  const prose: ProseContext = { lessonNumbers, lessonLabel: (n) => fill(t.printLesson!, { n }) };
  const publicUrl = options.publicUrl;
  const pageOf = (anchor: string): string => String(options.pages?.get(anchor) ?? '');

  const images = new Map<string, ProcessedImage>();
  const figures = lessons.flatMap((l) => figurePaths(l.blocks));
  for (const file of figures) {
    if (images.has(file)) continue;
    await processImage(course.root, file).then((image) => images.set(file, image), () => undefined);
  }

  let figureCount = 0;
  const blockView = (block: Block, quizNumbers: Map<string, number>): unknown => {
    switch (block.kind) {
      case 'prose':
        return { kind: 'prose', html: printProse(block.html, prose) };
      case 'callout':
        return { kind: 'callout', variant: block.variant, label: t[block.variant] ?? block.variant, ...(block.titleHtml ? { titleHtml: printProse(block.titleHtml, prose) } : {}), blocks: block.blocks.map((b) => blockView(b, quizNumbers)) };
      case 'steps':
        return { kind: 'steps', steps: block.steps.map((step) => step.map((b) => blockView(b, quizNumbers))) };
      case 'figure':
        return { kind: 'figure', alt: block.alt, ...(block.captionHtml ? { captionHtml: printProse(block.captionHtml, prose) } : {}), ...figureView(images.get(block.src.path), block.src.path, block.alt, ++figureCount) };
      case 'audio':
      case 'video':
        return { kind: 'media', label: block.kind === 'audio' ? t.printAudio : t.printVideo, ...(block.title ? { title: block.title } : {}), note: publicUrl ? t.printMediaOnline : t.printMediaDevice };
      case 'quiz':
        return { kind: 'quiz', quiz: quizView(block.quiz, quizNumbers.get(block.quiz.id)!, t, prose) };
    }
  };

  const lessonViews = await Promise.all(lessons.map(async (lesson, i) => {
    const n = i + 1;
    const module = course.modules.find((m) => m.lessons.includes(lesson))!;
    const quizNumbers = new Map<string, number>();
    const quizzes: Quiz[] = [];
    const collect = (blocks: readonly Block[]): void => {
      for (const b of blocks) {
        if (b.kind === 'quiz') {
          quizzes.push(b.quiz);
          quizNumbers.set(b.quiz.id, quizzes.length);
        } else if (b.kind === 'callout') collect(b.blocks);
        else if (b.kind === 'steps') b.steps.forEach(collect);
      }
    };
    collect(lesson.blocks);
    const url = publicUrl ? lessonUrl(publicUrl, course, lang, lesson) : undefined;
    const minutes = durationMinutes(lesson.duration);
    return {
      n,
      anchor: lessonAnchor(n),
      label: fill(t.printLesson!, { n }),
      id: lesson.id,
      title: lesson.title,
      ...(lesson.language !== lang ? { lang: lesson.language } : {}),
      ...(module.lessons[0] === lesson ? { module: { n: course.modules.indexOf(module) + 1, label: fill(t.printModule!, { n: course.modules.indexOf(module) + 1 }), title: module.title, description: module.description } } : {}),
      ...(minutes !== undefined ? { durationText: fill(t.duration!, { minutes }) } : {}),
      objectives: lesson.objectives,
      blocks: lesson.blocks.map((b) => blockView(b, quizNumbers)),
      competencies: competencyView(lesson, frameworks, t),
      ...(url ? { qr: { url, urlHtml: breakableUrl(url), svg: await qrSvg(url, `${t.printScanLesson}: ${url}`) } } : {}),
      answers: quizzes.map((q) => answerView(q, quizNumbers.get(q.id)!, t, prose)),
      page: pageOf(lessonAnchor(n)),
    };
  }));

  const homeUrl = publicUrl ? courseUrl(publicUrl, course, lang) : undefined;
  const date = options.date ?? sourceDate(course);
  const view = {
    lang,
    t,
    course,
    date: date.toISOString().slice(0, 10),
    lessonCountText: fill(t.lessonCount!, { n: lessons.length }),
    modules: course.modules.map((m, i) => ({ n: i + 1, label: fill(t.printModule!, { n: i + 1 }), title: m.title, lessons: lessonViews.filter((l) => m.lessons.some((ml) => ml.id === l.id)) })),
    lessons: lessonViews,
    answerKey: { anchor: ANSWERS_ANCHOR, page: pageOf(ANSWERS_ANCHOR), lessons: lessonViews.filter((l) => l.answers.length) },
    ...(homeUrl ? { home: { url: homeUrl, urlHtml: breakableUrl(homeUrl), svg: await qrSvg(homeUrl, `${t.printScanCourse}: ${homeUrl}`) } } : {}),
  };

  // The page's CSS goes in first, with a placeholder for the font families: its text (the footer's words) counts for
  // the font subsets too.
  const css = [readFileSync(path.join(TEMPLATES_DIR, 'print', 'print.css'), 'utf8'), pageRules(course, t)].join('\n');
  const body = eta.render('./handout', view).replace('</head>', `<style>\n${css}</style>\n</head>`);
  // Fonts: the script fonts exactly as the HTML targets embed them (subset to the handout's characters, with the glyph
  // check; assets/fonts.css is linked after the style above, whose rules are more specific), then Noto Sans for
  // everything Latin. Each lesson is also passed on its own, so that a character no font can draw is reported at its
  // line in the lesson's source.
  const files: FileTree = new Map([['handout.html', body]]);
  const lessonPages = new Map<string, Lesson>();
  lessonViews.forEach((view, i) => {
    const page = `lessons/${i + 1}.html`;
    lessonPages.set(page, lessons[i]!);
    files.set(page, eta.render('./partials/lesson', { lesson: view, t, lang }));
  });
  const fonts = await embedFonts(files, { sourceOf: (page) => { const l = lessonPages.get(page); return l && { file: l.at.file, text: readSourceText(path.join(course.root, l.path)) }; } });
  // Characters outside every embedded font would be drawn by a font of the machine that prints: reported too.
  const uncovered = [...lessonPages].flatMap(([page, l]) => printFontProblems(pageText(files.get(page) as string), l.at.file, () => readSourceText(path.join(course.root, l.path))));
  for (const page of lessonPages.keys()) files.delete(page);
  uncovered.push(...printFontProblems(pageText(files.get('handout.html') as string), 'handout.html'));
  const known = new Set(fonts.problems.map((p) => p.codePoint));
  const all = [...fonts.problems, ...uncovered.filter((p) => !known.has(p.codePoint))];
  const seen = new Set(all.filter((p) => p.file !== 'handout.html').map((p) => p.codePoint));
  const problems = all.filter((p) => p.file !== 'handout.html' || !seen.has(p.codePoint));

  const families = [...new Set(fonts.fonts.map((f) => `"${f.family}"`)), `"${LATIN_FAMILY}"`].join(', ');
  const page = files.get('handout.html') as string;
  const styleStart = page.indexOf('<style>\n');
  const styleEnd = page.indexOf('</style>', styleStart);
  const latin = latinFonts(page);
  for (const [file, bytes] of latin.files) files.set(file, bytes);
  const handout = `${page.slice(0, styleStart)}<style>\n${latin.css}${page.slice(styleStart + 8, styleEnd).replaceAll(FONTS_PLACEHOLDER, families)}${page.slice(styleEnd)}`;
  files.set('handout.html', handout);
  return { html: files.get('handout.html') as string, files, fonts: fonts.fonts, problems, anchors: [...lessonViews.map((l) => l.anchor), ANSWERS_ANCHOR] };
}

/**
 * The PDF: printed once to learn the page of each lesson, then again with those numbers in the contents (a third
 * time in the unlikely case they moved). The dates of the PDF are the sources' (see sourceDate): the same sources
 * give the same bytes.
 */
export async function renderPrintPdf(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, options: PrintOptions = {}): Promise<Uint8Array> {
  const chromium = options.chromium ?? requireChromium().path;
  const timeoutMs = options.timeoutMs ?? timeoutFromEnv();
  const date = sourceDate(course);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hocso-print-'));
  try {
    let pages: Map<string, number> | undefined;
    for (let pass = 0; pass < 3; pass++) {
      const handout = await renderPrintHtml(course, lang, frameworks, { ...options, date, ...(pages ? { pages } : {}) });
      if (pass === 0) options.fontProblems?.push(...handout.problems);
      rmSync(dir, { recursive: true, force: true });
      for (const [file, bytes] of handout.files) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), bytes);
      }
      const pdf = await printToPdf(chromium, path.join(dir, 'handout.html'), { timeoutMs });
      const found = destinationPages(pdf);
      const now = new Map(handout.anchors.map((a) => [a, found.get(a) ?? 0]));
      if (pages && [...now].every(([a, p]) => pages!.get(a) === p)) {
        setPdfDates(pdf, date);
        return pdf;
      }
      pages = now;
      if (pass === 2) {
        setPdfDates(pdf, date);
        return pdf;
      }
    }
    throw new Error('unreachable');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Characters of the text that neither Noto Sans nor a script font covers: Chromium would draw them with a font of the
 * machine that prints (the PDF still embeds it, but another machine gives another PDF). Characters of a script font's
 * range are left to src/fonts' own check.
 */
function printFontProblems(text: string, file: string, source?: () => string): FontProblem[] {
  const latin = latinCoverage();
  const problems: FontProblem[] = [];
  const seen = new Set<string>();
  for (const [char] of text.normalize('NFC').matchAll(/[^\x00-\x7f]/gu)) {
    if (seen.has(char)) continue;
    seen.add(char);
    const cp = char.codePointAt(0)!;
    if (needsNoGlyph(char) || latin.has(cp) || SCRIPT_FONTS.some((f) => inUnicodeRange(f, cp))) continue;
    const label = codePointLabel(cp);
    const where = source ? locate(source(), char) : undefined;
    problems.push({ file, ...where, char, codePoint: label, reason: 'no-font', message: `\`${char}\` (${label}) has no glyph in the fonts the printed handout embeds: the PDF would draw it with a font of the machine that prints it` });
  }
  return problems;
}

function locate(source: string, char: string): { line: number; column: number } | undefined {
  const at = source.indexOf(char);
  if (at < 0) return undefined;
  const before = source.slice(0, at);
  return { line: before.split('\n').length, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

function timeoutFromEnv(): number {
  const seconds = Number(process.env.HOCSO_PRINT_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 120_000;
}

/** A CSS string literal, safe inside <style> (no `</style>` can end it). */
function cssString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ').replace(/</g, '\\3c ')}"`;
}

/** @page rules: A4, margins, the course title and "Page N of M" in the footer (none on the title page). */
function pageRules(course: Course, t: UiStrings): string {
  const families = FONTS_PLACEHOLDER;
  const [before = '', between = '', after = ''] = t.printPage!.split(/\{n\}|\{total\}/);
  const counter = [before && cssString(before), 'counter(page)', between && cssString(between), 'counter(pages)', after && cssString(after)].filter(Boolean).join(' ');
  return `@page {
  size: A4;
  margin: 16mm 16mm 20mm 20mm;
  @bottom-left {
    content: ${cssString(course.title)};
    font-family: ${families};
    font-size: 9pt;
    color: #333;
    vertical-align: top;
    padding-top: 4mm;
  }
  @bottom-right {
    content: ${counter};
    font-family: ${families};
    font-size: 11pt;
    color: #000;
    vertical-align: top;
    padding-top: 4mm;
    white-space: nowrap;
  }
}
@page :first {
  @bottom-left { content: none; }
  @bottom-right { content: none; }
}
`;
}

/**
 * A URL that wraps only after a slash: each part between slashes is kept whole (a break at a hyphen would leave the
 * reader guessing whether the hyphen belongs to the address). The text is unchanged.
 */
function breakableUrl(url: string): string {
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return url.split(/(?<=\/)/).map((part) => `<span class="url-part">${escape(part)}</span>`).join('<wbr>');
}

function figurePaths(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b): string[] => {
    if (b.kind === 'figure' && (isRasterImage(b.src.path) || isSvgImage(b.src.path))) return [b.src.path];
    if (b.kind === 'callout') return figurePaths(b.blocks);
    if (b.kind === 'steps') return b.steps.flatMap(figurePaths);
    return [];
  });
}

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.svg': 'image/svg+xml' };

/**
 * A picture in the page itself. SVG goes inline (its ids prefixed, so two pictures never share one), which lets its
 * text use the embedded fonts; an SVG with its own <style> would restyle the whole page, so it goes in an <img>. A
 * photo is the pipeline's clean copy (at most 960 px wide: about 160 dpi across the text column).
 */
function figureView(image: ProcessedImage | undefined, file: string, alt: string, n: number): { svg?: string; src?: string; width?: number; height?: number } {
  if (!image) return {};
  const bytes = image.files.get(file);
  if (!bytes) return {};
  const size = image.width && image.height ? { width: image.width, height: image.height } : {};
  if (image.kind === 'svg') {
    const svg = Buffer.from(bytes).toString('utf8');
    if (!/<style[\s>]/i.test(svg)) return { svg: inlineSvg(svg, `f${n}-`, alt), ...size };
  }
  return { src: `data:${MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream'};base64,${Buffer.from(bytes).toString('base64')}`, ...size };
}

function inlineSvg(svg: string, prefix: string, alt: string): string {
  const escaped = alt.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg
    .trim()
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(\s*(['"]?)#([^)'"]+)\1\s*\)/g, `url(#${prefix}$2)`)
    .replace(/\b((?:xlink:)?href)="#([^"]+)"/g, `$1="#${prefix}$2"`)
    .replace(/^<svg\b/, `<svg role="img" aria-label="${escaped}"`);
}

const letter = (i: number): string => String.fromCharCode(65 + i);

function quizView(quiz: Quiz, n: number, t: UiStrings, prose: ProseContext): unknown {
  const hint = quiz.type === 'fill' ? t.printWriteAnswer : quiz.type === 'multiple' ? t.printChooseAll : t.printChooseOne;
  return {
    n,
    type: quiz.type,
    title: fill(t.question!, { n }),
    questionHtml: printProse(quiz.questionHtml, prose),
    hint,
    choices: quiz.type === 'fill' ? [] : quiz.choices.map((c, i) => ({ letter: letter(i), html: printProse(c.html, prose) })),
  };
}

function answerView(quiz: Quiz, n: number, t: UiStrings, prose: ProseContext): unknown {
  const feedback = (c: Choice): string | undefined => (c.feedbackHtml ? printProse(c.feedbackHtml, prose) : undefined);
  if (quiz.type === 'fill') {
    const accepted = quiz.choices.filter((c) => c.correct);
    return {
      n,
      type: quiz.type,
      title: fill(t.question!, { n }),
      answerText: fill(t.correctAnswerIs!, { answer: accepted.map((c) => c.text).join(' / ') }),
      choices: quiz.choices.filter((c) => c.feedbackHtml).map((c) => ({ correct: c.correct, html: printProse(c.html, prose), feedbackHtml: feedback(c) })),
    };
  }
  const correct = quiz.choices.map((c, i) => (c.correct ? letter(i) : '')).filter(Boolean);
  return {
    n,
    type: quiz.type,
    title: fill(t.question!, { n }),
    answerText: fill(t.correctAnswerIs!, { answer: correct.join(', ') }),
    choices: quiz.choices.map((c, i) => ({ letter: letter(i), correct: c.correct, html: printProse(c.html, prose), ...(c.feedbackHtml ? { feedbackHtml: feedback(c) } : {}) })),
  };
}

function competencyView(lesson: Lesson, frameworks: ReadonlyMap<string, Framework>, t: UiStrings): { code: string; title: string; levelText?: string }[] {
  const english = t.lang.toLowerCase().startsWith('en');
  return lesson.competencies.flatMap((ref) => {
    const framework = frameworks.get(ref.framework);
    const competence = framework && competencesOf(framework).find((c) => c.code === ref.code);
    if (!competence) return [];
    return [{ code: `${ref.framework}:${ref.code}`, title: english ? competence.title.en : competence.title.vi, ...(ref.level !== undefined ? { levelText: fill(t.level!, { level: ref.level }) } : {}) }];
  });
}
