import { readFileSync } from 'node:fs';
import path from 'node:path';
import { competencesOf, type Framework } from '../frameworks/framework.js';
import { ASSETS_DIR, FILES_DIR, fileHrefFromLesson, lessonHrefFromLesson, lessonPagePath } from '../model/layout.js';
import { lessonsOf, quizzesOf, type Block, type Course, type Lesson, type Quiz } from '../model/course.js';
import type { FileTree } from '../output/atomic-dir.js';
import type { FontProblem } from '../fonts/course-fonts.js';
import { embedFonts } from '../fonts/embed.js';
import { findSourceFile, readSourceText } from '../source/text-file.js';
import { TEMPLATES_DIR } from '../paths.js';
import { scriptJson, templateEngine } from '../render/templates.js';
import { durationMinutes, fill, uiStrings, type UiStrings } from '../render/ui-strings.js';
import { figureImages, isRasterImage, processImage, type ProcessedImage } from '../media/images.js';
import { audioClips, processAudio, type ProcessedAudio } from '../media/audio.js';
import { processVideo, videoClips, type ProcessedVideo } from '../media/video.js';
import { decodeWebVtt, normalizeWebVtt } from '../media/webvtt.js';
import { narrationOf, type PreparedNarration } from '../media/lesson-narration.js';

export const WEB_ASSETS = ['hocso.css', 'hocso.js'] as const;

/** What a packaging target adds to the web bundle: its own scripts (loaded after hocso.js) and page data. */
export interface WebExtension {
  /** Files copied into assets/ and loaded, in order, after hocso.js on every page. */
  scripts: { name: string; source: string | Uint8Array }[];
  /** Extra fields for each page's #hocso-data (null: the course index). */
  pageData?: (lesson: Lesson | null) => Record<string, unknown>;
  /**
   * false: every lesson page stands alone (one SCO per lesson, the LMS navigates): no index page, no links to other
   * lessons or to the index, which would leave the SCO inside its own frame.
   */
  navigation?: boolean;
}

/** One course in one language → every file of its offline web bundle (index, lesson pages, assets, course files). */
export async function renderWebBundle(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, extension?: WebExtension, fontProblems?: FontProblem[]): Promise<FileTree> {
  const t = uiStrings(lang);
  const eta = templateEngine('web');
  const files: FileTree = new Map();
  const lessons = lessonsOf(course);
  // Figures go through the image pipeline (docs/images.md); one that cannot be read is copied as it is (the build
  // reports it before rendering and stops).
  const images = new Map<string, ProcessedImage>();
  for (const use of figureImages(course)) {
    if (images.has(use.path)) continue;
    try {
      images.set(use.path, await processImage(course.root, use.path));
    } catch {
      // reported by prepareImages
    }
  }
  // Audio clips and videos likewise (loudness-normalized Opus + MP3; an H.264 ladder with a poster).
  const media: ProcessedMedia = { images, audio: new Map(), video: new Map() };
  for (const clip of audioClips(course)) {
    if (!media.audio.has(clip.path)) await processAudio(course.root, clip.path).then((a) => media.audio.set(clip.path, a), () => undefined);
  }
  for (const clip of videoClips(course)) {
    if (!media.video.has(clip.path)) await processVideo(course.root, clip.path).then((v) => media.video.set(clip.path, v), () => undefined);
    const poster = clip.poster?.path;
    if (poster && isRasterImage(poster) && !images.has(poster)) await processImage(course.root, poster).then((i) => images.set(poster, i), () => undefined);
  }
  const withHrefs = (block: Block): unknown => blockWithHrefs(block, media);

  const navigation = extension?.navigation ?? true;
  const scripts = ['hocso.js', ...(extension?.scripts.map((s) => s.name) ?? [])];
  const withExtra = (lesson: Lesson | null, data: Record<string, unknown>): Record<string, unknown> => ({ ...data, ...extension?.pageData?.(lesson) });
  const page = (view: { root: string; pageTitle: string; description?: string; bodyClass: string; lessonId?: string; breadcrumb?: string; body: string; data: Record<string, unknown> }): string =>
    eta.render('./layout', { ...view, lang, course, t, dataJson: scriptJson(view.data), scripts, navigation });

  if (navigation) files.set('index.html', page({
    root: '',
    pageTitle: course.title,
    description: course.description,
    bodyClass: 'hocso hocso-index',
    body: eta.render('./index', {
      course,
      t,
      modules: course.modules.map((m) => ({
        ...m,
        lessons: m.lessons.map((l) => ({ id: l.id, title: l.title, href: lessonPagePath(l.id), durationText: durationText(l, t), ...(l.language !== lang ? { lang: l.language } : {}) })),
      })),
    }),
    data: withExtra(null, { course: course.id, lesson: null, masteryScore: null, strings: runtimeStrings(t), quizzes: [], lessons: lessons.map((l) => l.id) }),
  }));

  lessons.forEach((lesson, i) => {
    const module = course.modules.find((m) => m.lessons.includes(lesson))!;
    const previous = lessons[i - 1];
    const next = lessons[i + 1];
    const quizzes = quizzesOf(lesson.blocks);
    files.set(lessonPagePath(lesson.id), page({
      root: '../',
      pageTitle: `${lesson.title} — ${course.title}`,
      bodyClass: 'hocso hocso-lesson',
      lessonId: lesson.id,
      breadcrumb: module.title,
      body: eta.render('./lesson', {
        lesson: { ...lesson, blocks: lesson.blocks.map(withHrefs) },
        lang,
        t,
        durationText: durationText(lesson, t),
        narration: narrationView(narrationOf(lesson)),
        navigation,
        quizNumbers: Object.fromEntries(quizzes.map((q, n) => [q.id, n + 1])),
        competencies: competencyView(lesson, frameworks, t),
        previous: previous && { href: lessonHrefFromLesson(previous.id), title: previous.title },
        next: next && { href: lessonHrefFromLesson(next.id), title: next.title },
      }),
      data: withExtra(lesson, { course: course.id, lesson: lesson.id, masteryScore: lesson.masteryScore, strings: runtimeStrings(t), quizzes: quizzes.map(quizData) }),
    }));
    for (const file of lesson.files) {
      const processed = media.images.get(file) ?? media.audio.get(file) ?? media.video.get(file);
      if (processed) for (const [variant, bytes] of processed.files) files.set(`${FILES_DIR}/${variant}`, bytes);
      else {
        const bytes = readFileSync(findSourceFile(path.join(course.root, ...file.split('/')))!);
        // captions are shipped as clean UTF-8 with LF endings (the build reported any that are not valid WebVTT)
        files.set(`${FILES_DIR}/${file}`, file.toLowerCase().endsWith('.vtt') ? vttBytes(bytes) : bytes);
      }
    }
    for (const [file, bytes] of narrationOf(lesson)?.files ?? []) files.set(`${FILES_DIR}/${file}`, bytes);
  });

  for (const asset of WEB_ASSETS) files.set(`${ASSETS_DIR}/${asset}`, readFileSync(path.join(TEMPLATES_DIR, 'web', 'assets', asset)));
  for (const script of extension?.scripts ?? []) files.set(`${ASSETS_DIR}/${script.name}`, script.source);
  const byPage = new Map(lessons.map((l) => [lessonPagePath(l.id), l]));
  const fonts = await embedFonts(files, { sourceOf: (page) => { const l = byPage.get(page); return l && { file: l.at.file, text: readSourceText(path.join(course.root, l.path)) }; } });
  fontProblems?.push(...fonts.problems);
  return files;
}

function durationText(lesson: Lesson, t: UiStrings): string | undefined {
  const minutes = durationMinutes(lesson.duration);
  return minutes === undefined ? undefined : fill(t.duration!, { minutes });
}

/** The lesson's narration player: Opus first (small), MP3 for old phones, captions, chapters to jump to. */
function narrationView(narration: PreparedNarration | undefined): unknown {
  if (!narration) return undefined;
  return {
    lang: narration.language,
    length: clock(narration.duration),
    opusHref: fileHrefFromLesson(narration.opus),
    mp3Href: fileHrefFromLesson(narration.mp3),
    ...(narration.vtt ? { vttHref: fileHrefFromLesson(narration.vtt) } : {}),
    chapters: narration.chapters.map((c) => ({ title: c.title, start: Number(c.start.toFixed(2)), time: clock(c.start) })),
  };
}

/** 75.4 → "1:15". */
export function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** What the quiz engine needs in the browser: which choices are right, their feedback, the accepted answers. */
function quizData(quiz: Quiz): unknown {
  return {
    id: quiz.id,
    type: quiz.type,
    choices: quiz.choices.map((c) => ({ id: c.id, correct: c.correct, ...(quiz.type === 'fill' ? { text: c.text } : {}), ...(c.feedbackHtml ? { feedbackHtml: c.feedbackHtml } : {}) })),
    ...(quiz.type === 'fill' ? { answers: quiz.choices.filter((c) => c.correct).map((c) => c.text) } : {}),
  };
}

const RUNTIME_STRING_KEYS = ['correct', 'incorrect', 'chooseOne', 'typeAnswer', 'correctAnswerIs', 'score', 'passed', 'failed', 'completed', 'inProgress'] as const;

function runtimeStrings(t: UiStrings): Record<string, string> {
  return Object.fromEntries(RUNTIME_STRING_KEYS.map((k) => [k, t[k] ?? k]));
}

/** The HTML sizes attribute of figures: full width on phones, at most the content column. */
export const FIGURE_SIZES = '(max-width: 960px) 100vw, 960px';

/** What the figure template needs for <picture>: a <source> per modern format, the fallback <img>, its size. */
function pictureOf(image: ProcessedImage, original: string): unknown {
  if (image.kind === 'svg') return image.width && image.height ? { width: image.width, height: image.height } : undefined;
  const srcset = (format: string): string => image.variants.filter((v) => v.format === format).map((v) => `${fileHrefFromLesson(v.path)} ${v.width}w`).join(', ');
  return {
    sources: [
      { type: 'image/avif', srcset: srcset('avif') },
      { type: 'image/webp', srcset: srcset('webp') },
    ],
    // the clean copy under the original name: browsers without srcset, and what SCORM lists as the lesson's file
    src: fileHrefFromLesson(original),
    srcset: srcset(image.fallback),
    sizes: FIGURE_SIZES,
    width: image.width,
    height: image.height,
  };
}

interface ProcessedMedia {
  images: Map<string, ProcessedImage>;
  audio: Map<string, ProcessedAudio>;
  video: Map<string, ProcessedVideo>;
}

function vttBytes(bytes: Uint8Array): Uint8Array {
  const decoded = decodeWebVtt(bytes);
  return 'text' in decoded ? Buffer.from(normalizeWebVtt(decoded.text), 'utf8') : bytes;
}

/** Phones get the light rendition: browsers that ignore `media` take the first source, so it comes first. */
const SMALL_SCREEN = '(max-width: 800px)';

/** <source> elements of a clip: Opus then MP3; for a video each rendition, smallest first. */
function mediaSources(block: Extract<Block, { kind: 'audio' | 'video' }>, media: ProcessedMedia): { src: string; type: string; media?: string }[] | undefined {
  if (block.kind === 'audio') return media.audio.get(block.src.path)?.variants.map((v) => ({ src: fileHrefFromLesson(v.path), type: v.type }));
  const video = media.video.get(block.src.path);
  if (!video) return undefined;
  return video.renditions.map((r, i) => ({ src: fileHrefFromLesson(r.path), type: 'video/mp4', ...(i < video.renditions.length - 1 ? { media: SMALL_SCREEN } : {}) }));
}

/** Block paths in the model are course-relative; on a lesson page they point into files/. */
function blockWithHrefs(block: Block, media: ProcessedMedia): unknown {
  const images = media.images;
  const withHrefs = (b: Block): unknown => blockWithHrefs(b, media);
  switch (block.kind) {
    case 'figure': {
      const image = images.get(block.src.path);
      const picture = image && pictureOf(image, block.src.path);
      return { ...block, href: fileHrefFromLesson(block.src.path), ...(picture ? { picture } : {}) };
    }
    case 'audio':
    case 'video': {
      const sources = mediaSources(block, media);
      const video = block.kind === 'video' ? media.video.get(block.src.path) : undefined;
      const poster = block.poster?.path ?? video?.poster.path;
      return {
        ...block,
        href: fileHrefFromLesson(block.src.path),
        ...(sources ? { sources } : {}),
        ...(video ? { width: video.width, height: video.height } : {}),
        ...(block.captions ? { captionsHref: fileHrefFromLesson(block.captions.path) } : {}),
        ...(poster ? { posterHref: fileHrefFromLesson(poster) } : {}),
      };
    }
    case 'callout':
      return { ...block, blocks: block.blocks.map(withHrefs) };
    case 'steps':
      return { ...block, steps: block.steps.map((s) => s.map(withHrefs)) };
    case 'quiz':
      return { ...block, quiz: { ...block.quiz, questionHtml: unwrapParagraph(block.quiz.questionHtml) } };
    default:
      return block;
  }
}

/** A question of one paragraph goes inside <legend>, which takes phrasing content only. */
function unwrapParagraph(html: string): string {
  const match = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return match && !match[1]!.includes('<p>') ? match[1]! : html;
}

function competencyView(lesson: Lesson, frameworks: ReadonlyMap<string, Framework>, t: UiStrings): { code: string; title: string; levelText?: string }[] {
  const english = t.lang.toLowerCase().startsWith('en');
  return lesson.competencies.map((ref) => {
    const competence = competencesOf(frameworks.get(ref.framework)!).find((c) => c.code === ref.code)!;
    return {
      code: `${ref.framework}:${ref.code}`,
      title: english ? competence.title.en : competence.title.vi,
      ...(ref.level !== undefined ? { levelText: fill(t.level!, { level: ref.level }) } : {}),
    };
  });
}
