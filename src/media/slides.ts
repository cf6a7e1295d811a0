// The slides of a lesson's narrated video: a title slide, then each chapter's heading with its first sentences as
// bullets (continuation slides when they do not fit on one). Rendered from the SVG templates of templates/slides with
// sharp; every piece of text is drawn as glyph outlines (text-outline.ts), so the pictures do not depend on the fonts
// of the machine and are byte-identical from one build to the next.
//
// Made for elderly viewers on phones and TVs: large type (headings 60 px, bullets 42 px at 1280×720), dark text on
// white and white on dark navy (contrast above 14:1), and nothing drawn in the bottom band where players show captions.
import sharp from 'sharp';
import { templateEngine } from '../render/templates.js';
import { textToPath, type TextPath } from './text-outline.js';

export interface SlideDeckInput {
  courseTitle: string;
  lessonTitle: string;
  /** BCP 47 tag of the lesson's language (shaping picks language-specific glyph forms). */
  language: string;
  chapters: { title: string; sentences: string[] }[];
}

export interface SlideOptions {
  /** Default 1280. */
  width?: number;
  /** Default 720. The layout scales with the height. */
  height?: number;
  /** A chapter whose sentences need more slides than this shows only the first ones, ending with "…". Default 3. */
  maxSlidesPerChapter?: number;
}

export interface Slide {
  png: Uint8Array;
  /** Index in `chapters`; -1 for the title slide. */
  chapter: number;
  kind: 'title' | 'chapter';
  /** 0-based page among the chapter's slides, and how many there are (1 for the title slide). */
  page: number;
  pages: number;
  /** The chapter's sentences this slide shows: `from` (inclusive) to `to` (exclusive). */
  sentences: { from: number; to: number };
  /** True when some of its text was cut ("…"): a heading or bullet too long, or sentences left for no slide. */
  truncated: boolean;
  /** Characters no font could draw (shown as .notdef boxes). */
  missing: string[];
}

/** Colours: WCAG contrast of ink on background 18.9:1, band ink on band 15.6:1. */
export const SLIDE_THEME = {
  background: '#FFFFFF',
  ink: '#111111',
  muted: '#3D3D3D',
  band: '#0B2545',
  bandInk: '#FFFFFF',
  accent: '#0B2545',
  bullet: '#B8410B',
} as const;

/** Layout at 720 px high (scaled with the height). */
const LAYOUT = {
  marginX: 72,
  bandPadding: 30,
  courseSize: 40,
  lessonTitleSize: 72,
  headingSize: 60,
  bodySize: 42,
  counterSize: 32,
  /** Space kept to the right of a heading for the "2/3" page counter. */
  counterWidth: 120,
  bodyGapTop: 40,
  /** Between two bullets, as a fraction of the body size. */
  bulletGap: 0.45,
  bulletIndent: 48,
  bulletMaxLines: 4,
  /** Bottom band left empty: players draw the captions there. */
  captionSafe: 118,
} as const;

const EMPTY: TextPath = { d: '', width: 0, height: 0, lines: 0, lineHeight: 0, baseline: 0, lineTexts: [], lineWidths: [], truncated: false, glyphs: [], missing: [] };

function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** PNG from the SVG: 8-bit RGB, no metadata, fixed zlib settings: the same SVG gives the same bytes. */
async function rasterize(svg: string, width: number, height: number): Promise<Uint8Array> {
  const png = await sharp(Buffer.from(svg), { density: 72 })
    .resize(width, height, { fit: 'fill' })
    .removeAlpha()
    .png({ compressionLevel: 6, adaptiveFiltering: false, palette: false })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Renders the slides of one lesson: the title slide first, then one slide or more per chapter (in order). Text is
 * cut with "…" where it does not fit: a heading after 2 lines, a bullet after 4, a chapter after
 * `maxSlidesPerChapter` slides.
 */
export async function renderSlides(input: SlideDeckInput, options: SlideOptions = {}): Promise<Slide[]> {
  const width = options.width ?? 1280;
  const height = options.height ?? 720;
  const maxPages = Math.max(1, options.maxSlidesPerChapter ?? 3);
  const k = height / 720;
  const language = input.language || undefined;
  const eta = templateEngine('slides');
  const marginX = LAYOUT.marginX * k;
  const textWidth = width - 2 * marginX;
  const slides: Slide[] = [];

  // ---- title slide
  {
    const pad = LAYOUT.bandPadding * k;
    const course = input.courseTitle.trim() ? await textToPath(input.courseTitle, { size: LAYOUT.courseSize * k, maxWidth: textWidth, language, weight: 700, maxLines: 2, align: 'center' }) : EMPTY;
    const bandHeight = Math.max(course.height + 2 * pad, 96 * k);
    const title = await textToPath(input.lessonTitle, { size: LAYOUT.lessonTitleSize * k, maxWidth: textWidth, language, weight: 700, maxLines: 4, align: 'center' });
    const ruleGap = 36 * k;
    const ruleHeight = 8 * k;
    const areaTop = bandHeight;
    const areaBottom = height - LAYOUT.captionSafe * k;
    const block = title.height + ruleGap + ruleHeight;
    const titleY = Math.max(areaTop + 24 * k, areaTop + (areaBottom - areaTop - block) / 2);
    const svg = eta.render('./title', {
      width,
      height,
      theme: SLIDE_THEME,
      band: { height: num(bandHeight) },
      course: { d: course.d, x: num(marginX), y: num((bandHeight - course.height) / 2) },
      title: { d: title.d, x: num(marginX), y: num(titleY) },
      rule: { x: num((width - 160 * k) / 2), y: num(titleY + title.height + ruleGap), width: num(160 * k), height: num(ruleHeight) },
    });
    slides.push({ png: await rasterize(svg, width, height), chapter: -1, kind: 'title', page: 0, pages: 1, sentences: { from: 0, to: 0 }, truncated: course.truncated || title.truncated, missing: unique([course, title]) });
  }

  // ---- chapter slides
  const bodySize = LAYOUT.bodySize * k;
  const bulletWidth = textWidth - LAYOUT.bulletIndent * k;
  const gap = LAYOUT.bulletGap * bodySize;
  const bodyBottom = height - LAYOUT.captionSafe * k;
  for (const [chapterIndex, chapter] of input.chapters.entries()) {
    const pad = LAYOUT.bandPadding * k;
    const heading = await textToPath(chapter.title, { size: LAYOUT.headingSize * k, maxWidth: textWidth - LAYOUT.counterWidth * k, language, weight: 700, maxLines: 2 });
    const bandHeight = Math.max(heading.height + 2 * pad, 120 * k);
    const bodyTop = bandHeight + LAYOUT.bodyGapTop * k;
    const sentences = chapter.sentences.map((s) => s.trim()).filter(Boolean);

    // Pagination: as many whole bullets as fit; a bullet that fits on no slide is cut to the lines there are.
    type Placed = { text: TextPath; y: number };
    const pages: { bullets: Placed[]; from: number; to: number }[] = [];
    let next = 0;
    while (pages.length < maxPages && (next < sentences.length || pages.length === 0)) {
      const from = next;
      const bullets: Placed[] = [];
      let y = bodyTop;
      while (next < sentences.length) {
        let text = await textToPath(sentences[next]!, { size: bodySize, maxWidth: bulletWidth, language, maxLines: LAYOUT.bulletMaxLines });
        const top = bullets.length ? y + gap : y;
        if (top + text.height > bodyBottom) {
          if (bullets.length) break;
          const room = Math.max(1, Math.floor((bodyBottom - top) / text.lineHeight));
          text = await textToPath(sentences[next]!, { size: bodySize, maxWidth: bulletWidth, language, maxLines: room });
        }
        bullets.push({ text, y: top });
        y = top + text.height;
        next++;
      }
      pages.push({ bullets, from, to: next });
    }
    const cut = next < sentences.length;

    for (const [page, { bullets, from, to }] of pages.entries()) {
      const counter = pages.length > 1 ? await textToPath(`${page + 1}/${pages.length}`, { size: LAYOUT.counterSize * k, maxWidth: LAYOUT.counterWidth * k, language }) : undefined;
      const last = bullets[bullets.length - 1];
      const more = cut && page === pages.length - 1 ? await textToPath('\u2026', { size: bodySize, maxWidth: bulletWidth }) : undefined;
      const moreY = last ? last.y + last.text.height : bodyTop;
      const svg = eta.render('./chapter', {
        width,
        height,
        theme: SLIDE_THEME,
        band: { height: num(bandHeight) },
        heading: { d: heading.d, x: num(marginX), y: num((bandHeight - heading.height) / 2) },
        counter: counter && { d: counter.d, x: num(width - marginX - counter.width), y: num((bandHeight - counter.height) / 2) },
        bullets: bullets.map(({ text, y }) => ({
          d: text.d,
          x: num(marginX + LAYOUT.bulletIndent * k),
          y: num(y),
          dotX: num(marginX + 12 * k),
          // Centred on the x-height of the first line (about half an x-height of 0.54 em above the baseline).
          dotY: num(y + text.baseline - 0.28 * bodySize),
          dotR: num(8 * k),
        })),
        more: more && moreY + more.height <= height && { d: more.d, x: num(marginX + LAYOUT.bulletIndent * k), y: num(moreY) },
      });
      slides.push({
        png: await rasterize(svg, width, height),
        chapter: chapterIndex,
        kind: 'chapter',
        page,
        pages: pages.length,
        sentences: { from, to },
        truncated: heading.truncated || bullets.some((b) => b.text.truncated) || (cut && page === pages.length - 1),
        missing: unique([heading, ...bullets.map((b) => b.text)]),
      });
    }
  }
  return slides;
}

function unique(texts: readonly TextPath[]): string[] {
  return [...new Set(texts.flatMap((t) => t.missing))];
}

/** When the narration says what: the audio's length, each chapter's span and (when known) each sentence's. */
export interface NarrationTimes {
  duration: number;
  chapters: { start: number; end: number; sentences?: { start: number; end: number }[] }[];
}

/**
 * When each slide shows: the title slide from 0 until the first chapter starts, a chapter's first slide from the
 * chapter's start, a continuation slide from the start of its first sentence (or, without sentence times, from its
 * share of the chapter by sentence count), each until the next slide; the last until the end of the audio. Slides that
 * would show for no time are left out.
 */
export function timeSlides(slides: readonly Slide[], times: NarrationTimes): { png: Uint8Array; start: number; end: number }[] {
  const starts = slides.map((slide) => {
    if (slide.kind === 'title') return 0;
    const chapter = times.chapters[slide.chapter];
    if (!chapter) return Number.POSITIVE_INFINITY;
    if (slide.page === 0) return chapter.start;
    const sentence = chapter.sentences?.[slide.sentences.from];
    if (sentence) return sentence.start;
    const total = slides.filter((s) => s.chapter === slide.chapter).reduce((n, s) => Math.max(n, s.sentences.to), 0);
    return chapter.start + ((chapter.end - chapter.start) * slide.sentences.from) / Math.max(1, total);
  });
  const timed: { png: Uint8Array; start: number; end: number }[] = [];
  let previous = 0;
  slides.forEach((slide, i) => {
    const start = Math.min(Math.max(starts[i]!, previous), times.duration);
    previous = start;
    timed.push({ png: slide.png, start, end: times.duration });
  });
  for (let i = 0; i + 1 < timed.length; i++) timed[i]!.end = timed[i + 1]!.start;
  if (timed[0]) timed[0].start = 0;
  return timed.filter((s) => s.end > s.start);
}
