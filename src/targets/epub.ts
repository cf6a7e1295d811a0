// `hocso build --target epub`: one EPUB 3 book per course and language, for e-readers and reading apps, offline.
//   EPUB/title.xhtml            title page;  EPUB/nav.xhtml  contents (modules → lessons) and landmarks
//   EPUB/lessons/LESSON.xhtml   one content document per lesson (XHTML converted from the compiler's HTML5)
//   EPUB/answers.xhtml          answer key: every question, its right answers and the feedback of each choice
//   EPUB/overlays/LESSON.smil   media overlays of synthesized narration (sentence timings → highlighted elements)
//   EPUB/files/…                images (JPEG/PNG fallback or sanitized SVG), MP3 narration and clips, MP4 video
//   EPUB/assets/…               stylesheet, quiz script, subset WOFF2 fonts for minority scripts
// Same sources → the same bytes: fixed identifier and date, sorted manifest, reproducible zip.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Root as HastRoot, Element as HastElement } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { parse as parseYaml } from 'yaml';
import { competencesOf, type Framework } from '../frameworks/framework.js';
import type { FontProblem } from '../fonts/course-fonts.js';
import { embedFonts } from '../fonts/embed.js';
import { FONTS_CSS } from '../fonts/course-fonts.js';
import { lessonsOf, quizzesOf, type Block, type Course, type Lesson, type Quiz } from '../model/course.js';
import { FILES_DIR, lessonPagePath } from '../model/layout.js';
import type { FileTree } from '../output/atomic-dir.js';
import { zipFiles } from '../output/zip.js';
import { TEMPLATES_DIR } from '../paths.js';
import { scriptJson, templateEngine } from '../render/templates.js';
import { durationMinutes, fill, uiStrings, type UiStrings } from '../render/ui-strings.js';
import { isRasterImage, isSvgImage, processImage, type ProcessedImage } from '../media/images.js';
import { processAudio } from '../media/audio.js';
import { processVideo } from '../media/video.js';
import { decodeWebVtt, normalizeWebVtt } from '../media/webvtt.js';
import { narrationOf, type PreparedNarration } from '../media/lesson-narration.js';
import { letterOf, narrationTargets, parseNarrationHtml, type NarrationTarget } from '../media/narration-script.js';
import { findSourceFile, readSourceText } from '../source/text-file.js';
import { clock } from './web.js';
import { CONTAINER_XML, epubIdentifier, epubModified, mediaTypeOf, packageDocument, type ManifestItem } from './epub/package.js';
import { overlayClips, overlayDuration, overlaySmil, smilClock, type SentenceTiming } from './epub/overlay.js';
import { elementsOf, fragmentToXhtml, getAttribute, parseHtmlDocument, removeAttribute, replaceWithText, serializeXhtml, setAttribute, unwrapElement, type HtmlElement } from './epub/xhtml.js';

export { epubIdentifier, epubModified } from './epub/package.js';

/** The folder of the book inside the container (the package document, content, resources). */
export const EPUB_ROOT = 'EPUB';
export const EPUB_MIMETYPE = 'application/epub+zip';
/** media:active-class: the class reading systems give the element being read aloud (styled in hocso-epub.css). */
export const MEDIA_ACTIVE_CLASS = 'hocso-narrating';
/** The id of a lesson document's <h1> (templates/epub/lesson.eta): where a narration clip with no element of its own points. */
const LESSON_TITLE_ID = 'lesson-title';
/** dc:publisher: courses have no publisher of their own, so the book names the tool that made it. */
export const EPUB_PUBLISHER = 'hocso';

export interface EpubOptions {
  /** Missing glyphs of the book's text are added here (the build reports them once for all targets). */
  fontProblems?: FontProblem[];
  /** dcterms:modified; by default epubModified(course): SOURCE_DATE_EPOCH, else the newest source file. */
  modified?: Date;
  /** dc:identifier (e.g. the course's IRI); by default epubIdentifier(course, lang), a name-based urn:uuid. */
  identifier?: string;
}

/** The book's files: `mimetype`, META-INF/container.xml and everything under EPUB/ (zip them with zipEpub). */
export async function renderEpubFiles(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, options: EpubOptions = {}): Promise<FileTree> {
  const t = epubStrings(lang);
  const uiLang = uiLanguage(lang);
  const eta = templateEngine('epub');
  const lessons = lessonsOf(course);
  const lessonIds = new Set(lessons.map((l) => l.id));
  const media = await prepareBookMedia(course, lessons);
  const docs = new Map<string, string>(); // EPUB-relative path → XHTML
  const overlays = new Map<string, { smil: string; milliseconds: number }>(); // lesson id → its overlay
  const scripted = new Set<string>();
  const uiAttr = (docLang: string): string => (uiLang === docLang ? '' : ` lang="${uiLang}"`);
  const answersPath = 'answers.xhtml';
  const withQuizzes = lessons.filter((l) => quizzesOf(l.blocks).length > 0);

  const page = (view: { lang: string; title: string; root: string; bodyClass: string; bodyType: string; body: string; dataJson?: string }): string => eta.render('./layout', view);

  for (const lesson of lessons) {
    const docPath = lessonDocPath(lesson.id);
    const narration = narrationOf(lesson);
    const sync = narration ? narrationSync(lesson, narration) : undefined;
    const quizzes = quizzesOf(lesson.blocks);
    const quizNumbers = new Map(quizzes.map((q, n) => [q.id, n + 1]));
    const context: BlockContext = { lesson, t, media, quizNumbers, marks: sync?.marks ?? new Map(), answersHref: `../${answersPath}` };
    const module = course.modules.find((m) => m.lessons.includes(lesson));
    const competencyLanguage = t.lang.toLowerCase().startsWith('en') ? 'en' : 'vi';
    const body = eta.render('./lesson', {
      lesson,
      t,
      ui: uiAttr(lesson.language),
      module: module?.title,
      moduleLang: lesson.language === lang ? undefined : lang,
      durationText: durationText(lesson, t),
      narration: narration && {
        lang: narration.language,
        length: clock(narration.duration),
        mp3Href: fileHref(docPath, narration.mp3),
        synced: Boolean(sync),
      },
      blocks: lesson.blocks.map((b, i) => blockView(b, [i], 2, context)),
      competencies: competencyView(lesson, frameworks, t),
      competencyLang: competencyLanguage === lesson.language ? undefined : competencyLanguage,
    });
    const html = page({
      lang: lesson.language,
      title: `${lesson.title} — ${course.title}`,
      root: '../',
      bodyClass: 'hocso hocso-lesson',
      bodyType: 'bodymatter',
      body,
      ...(quizzes.length ? { dataJson: scriptJson(quizData(quizzes, t)) } : {}),
    });
    if (narration) media.available.set(narration.mp3, narration.files.get(narration.mp3)!);
    const finished = finishDocument(html, docPath, { lessonIds, media, narrated: sync ? sync.keys : [] });
    docs.set(docPath, finished.xhtml);
    if (quizzes.length) scripted.add(docPath);
    if (sync && narration) {
      const idOf = (key: string): string => finished.ids.get(key) ?? LESSON_TITLE_ID;
      const clips = overlayClips(sync.timings, idOf, narration.duration);
      if (clips.length) {
        const smilPath = overlayPath(lesson.id);
        overlays.set(lesson.id, { smil: overlaySmil(clips, relativeHref(smilPath, docPath), relativeHref(smilPath, bookFilePath(narration.mp3))), milliseconds: overlayDuration(clips) });
      }
    }
  }

  // Title page, navigation, answer key.
  const startHref = lessons[0] ? lessonDocPath(lessons[0].id) : undefined;
  const answersHref = withQuizzes.length ? answersPath : undefined;
  docs.set('title.xhtml', finishDocument(page({
    lang,
    title: course.title,
    root: '',
    bodyClass: 'hocso hocso-title',
    bodyType: 'frontmatter',
    body: eta.render('./title', { course, t, ui: uiAttr(lang), startHref }),
  }), 'title.xhtml', { lessonIds, media, narrated: [] }).xhtml);
  docs.set('nav.xhtml', finishDocument(page({
    lang,
    title: `${t.contents} — ${course.title}`,
    root: '',
    bodyClass: 'hocso hocso-nav',
    bodyType: 'frontmatter',
    body: eta.render('./nav', {
      t,
      courseTitle: course.title,
      ui: uiAttr(lang),
      startHref,
      answersHref,
      modules: course.modules.filter((m) => m.lessons.length).map((m, i) => ({
        number: i + 1,
        title: m.title,
        lessons: m.lessons.map((l) => ({ title: l.title, href: lessonDocPath(l.id), ...(l.language !== lang ? { lang: l.language } : {}) })),
      })),
    }),
  }), 'nav.xhtml', { lessonIds, media, narrated: [] }).xhtml);
  if (answersHref) {
    docs.set(answersPath, finishDocument(page({
      lang,
      title: `${t.answerKey} — ${course.title}`,
      root: '',
      bodyClass: 'hocso hocso-answers',
      bodyType: 'backmatter',
      body: eta.render('./answers', { t, ui: uiAttr(lang), lessons: withQuizzes.map((l) => answerView(l, lang, t)) }),
    }), answersPath, { lessonIds, media, narrated: [] }).xhtml);
  }

  // Fonts for the scripts phones lack, subset to the characters of the whole book (src/fonts), linked from every page.
  const fontFiles = await bookFonts(course, docs, media, options.fontProblems);
  if (fontFiles.size) for (const [docPath, xhtml] of docs) docs.set(docPath, linkFontsCss(xhtml, docPath));

  // Everything the book holds, under EPUB/.
  const content = new Map<string, string | Uint8Array>();
  for (const [docPath, xhtml] of docs) content.set(docPath, xhtml);
  content.set('assets/hocso-epub.css', readFileSync(path.join(TEMPLATES_DIR, 'epub', 'assets', 'hocso-epub.css')));
  if (scripted.size) content.set('assets/hocso-quiz.js', readFileSync(path.join(TEMPLATES_DIR, 'epub', 'assets', 'hocso-quiz.js')));
  for (const [file, bytes] of fontFiles) content.set(file, bytes);
  for (const [lessonId, overlay] of overlays) content.set(overlayPath(lessonId), overlay.smil);
  for (const [coursePath, bytes] of media.shipped) content.set(bookFilePath(coursePath), bytes);

  // The package document: manifest in a fixed order (documents in reading order, then every other file by path).
  const ids = new Map<string, string>();
  const manifest: ManifestItem[] = [];
  const addItem = (file: string, id: string, extra: Partial<ManifestItem> = {}): void => {
    ids.set(file, id);
    manifest.push({ id, href: encodePath(file), mediaType: mediaTypeOf(file) ?? 'application/octet-stream', ...extra });
  };
  addItem('title.xhtml', 'title-page');
  addItem('nav.xhtml', 'nav', { properties: ['nav'] });
  lessons.forEach((lesson, i) => {
    const file = lessonDocPath(lesson.id);
    const properties = [...(scripted.has(file) ? ['scripted'] : []), ...(/<svg[\s>]/.test(docs.get(file)!) ? ['svg'] : [])];
    addItem(file, `lesson-${i + 1}`, { ...(properties.length ? { properties } : {}), ...(overlays.has(lesson.id) ? { mediaOverlay: `overlay-${i + 1}` } : {}) });
  });
  if (answersHref) addItem(answersPath, 'answers');
  lessons.forEach((lesson, i) => {
    if (overlays.has(lesson.id)) addItem(overlayPath(lesson.id), `overlay-${i + 1}`);
  });
  const rest = [...content.keys()].filter((f) => !ids.has(f)).sort();
  rest.forEach((file, i) => addItem(file, `res-${i + 1}`));
  const spine = ['title-page', 'nav', ...lessons.map((_, i) => `lesson-${i + 1}`), ...(answersHref ? ['answers'] : [])].map((idref) => ({ idref }));

  // Pictures as the book shows them (figures and pictures inside the text): described when every one has alt text.
  const images = [...docs.values()].flatMap((x) => [...x.matchAll(/<img\b[^>]*>/g)].map((m) => m[0]));
  const hasImages = images.length > 0;
  const imagesDescribed = images.every((img) => /\salt="[^"]*\S[^"]*"/.test(img));
  const hasAudio = [...media.audio.values()].some((mp3) => media.shipped.has(mp3));
  const hasVideo = [...media.video.values()].some((v) => media.shipped.has(v.path));
  const synced = overlays.size > 0;
  const opf = packageDocument({
    identifier: options.identifier ?? epubIdentifier(course, lang),
    title: course.title,
    language: lang,
    ...(course.description ? { description: course.description } : {}),
    publisher: EPUB_PUBLISHER,
    subjects: competencySubjects(course, frameworks, t),
    modified: options.modified ?? epubModified(course),
    accessibility: accessibility({ lang, hasImages, hasAudio, hasVideo, synced, quizzes: withQuizzes.length > 0, narrated: lessons.some((l) => narrationOf(l)), allSynced: lessons.every((l) => overlays.has(l.id)), imagesDescribed }),
    ...(synced ? { overlays: { durations: lessons.flatMap((l, i) => (overlays.has(l.id) ? [{ id: `overlay-${i + 1}`, milliseconds: overlays.get(l.id)!.milliseconds }] : [])), activeClass: MEDIA_ACTIVE_CLASS } } : {}),
  }, manifest, spine, smilClock);

  const files: FileTree = new Map();
  files.set('mimetype', EPUB_MIMETYPE);
  files.set('META-INF/container.xml', CONTAINER_XML);
  files.set(`${EPUB_ROOT}/package.opf`, opf);
  for (const file of [...content.keys()].sort()) files.set(`${EPUB_ROOT}/${file}`, content.get(file)!);
  return files;
}

/** The .epub: `mimetype` first and stored (as the OCF spec requires), the rest sorted and compressed, reproducibly. */
export async function zipEpub(files: FileTree): Promise<Uint8Array> {
  return zipFiles(files, { first: ['mimetype'], stored: ['mimetype'] });
}

// ── paths ────────────────────────────────────────────────────────────────────────────────────────────────────────────

function lessonDocPath(lessonId: string): string {
  return `lessons/${lessonId}.xhtml`;
}

function overlayPath(lessonId: string): string {
  return `overlays/${lessonId}.smil`;
}

function encodePath(file: string): string {
  return file.split('/').map((part) => (part === '..' ? part : encodeURIComponent(part))).join('/');
}

/** From one EPUB file to another (both relative to EPUB/), URL-encoded. */
function relativeHref(from: string, to: string): string {
  return encodePath(path.posix.relative(path.posix.dirname(from), to) || path.posix.basename(to));
}

/**
 * From an EPUB file to a course file, as the compiler links them (files/ + the course-relative path): what templates
 * write; finishDocument turns it into the file's name in the book (bookFilePath).
 */
function fileHref(from: string, coursePath: string): string {
  return relativeHref(from, `${FILES_DIR}/${coursePath}`);
}

/**
 * Where a course file is in the book (relative to EPUB/): files/ + its path, each part ASCII letters, digits, `.`, `_`
 * and `-` only (EPUB checkers warn about spaces, and some reading apps mishandle other names): a part that has other
 * characters is spelled without diacritics and gets a short hash of its real name, so two names never collide.
 */
export function bookFilePath(coursePath: string): string {
  return `${FILES_DIR}/${coursePath.split('/').map(safeFileName).join('/')}`;
}

function safeFileName(name: string): string {
  if (/^[A-Za-z0-9._-]+$/.test(name) && !name.startsWith('.')) return name;
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 6);
  const ascii = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^A-Za-z0-9._-]+/g, '-');
  const dot = ascii.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [ascii.slice(0, dot), ascii.slice(dot)] : [ascii, ''];
  const cleanStem = stem.replace(/^[-.]+|[-.]+$/g, '');
  return `${cleanStem ? `${cleanStem}-` : ''}${hash}${/^\.[A-Za-z0-9]+$/.test(extension) ? extension : ''}`;
}

// ── words ────────────────────────────────────────────────────────────────────────────────────────────────────────────

let epubTable: Record<string, Record<string, string>> | undefined;
let webLanguages: Set<string> | undefined;

/** The web bundle's words (templates/web/strings.yaml) and the EPUB's own, with the same fallbacks (lang, vi, en). */
export function epubStrings(lang: string): UiStrings {
  epubTable ??= parseYaml(readFileSync(path.join(TEMPLATES_DIR, 'epub', 'strings.yaml'), 'utf8')) as Record<string, Record<string, string>>;
  const primary = lang.toLowerCase().split('-')[0]!;
  const merged: Record<string, string> = {};
  for (const key of [lang, primary, 'vi', 'en'].reverse()) Object.assign(merged, epubTable[key] ?? {});
  return { ...merged, ...uiStrings(lang) };
}

/** The language the interface words are in for a book language (they fall back to Vietnamese where none are written). */
function uiLanguage(lang: string): string {
  webLanguages ??= new Set(Object.keys(parseYaml(readFileSync(path.join(TEMPLATES_DIR, 'web', 'strings.yaml'), 'utf8')) as object));
  const primary = lang.toLowerCase().split('-')[0]!;
  return webLanguages.has(lang) ? lang : webLanguages.has(primary) ? primary : 'vi';
}

function durationText(lesson: Lesson, t: UiStrings): string | undefined {
  const minutes = durationMinutes(lesson.duration);
  return minutes === undefined ? undefined : fill(t.duration!, { minutes });
}

function competencyTitle(frameworks: ReadonlyMap<string, Framework>, framework: string, code: string, t: UiStrings): string {
  const found = frameworks.get(framework);
  const competence = found ? competencesOf(found).find((c) => c.code === code) : undefined;
  if (!competence) return '';
  return t.lang.toLowerCase().startsWith('en') ? competence.title.en : competence.title.vi;
}

function competencyView(lesson: Lesson, frameworks: ReadonlyMap<string, Framework>, t: UiStrings): { code: string; title: string; levelText?: string }[] {
  return lesson.competencies.map((ref) => ({
    code: `${ref.framework}:${ref.code}`,
    title: competencyTitle(frameworks, ref.framework, ref.code, t),
    ...(ref.level !== undefined ? { levelText: fill(t.level!, { level: ref.level }) } : {}),
  }));
}

/** dc:subject: each competency the course teaches, once, in course order: "tt02:4.2 Bảo vệ dữ liệu cá nhân …". */
function competencySubjects(course: Course, frameworks: ReadonlyMap<string, Framework>, t: UiStrings): string[] {
  const seen = new Set<string>();
  const subjects: string[] = [];
  for (const lesson of lessonsOf(course)) {
    for (const ref of lesson.competencies) {
      const code = `${ref.framework}:${ref.code}`;
      if (seen.has(code)) continue;
      seen.add(code);
      const title = competencyTitle(frameworks, ref.framework, ref.code, t);
      subjects.push(title ? `${code} ${title}` : code);
    }
  }
  return subjects;
}

// ── media ────────────────────────────────────────────────────────────────────────────────────────────────────────────

interface BookImage {
  /** Course-relative path of the file shipped (a JPEG/PNG variant, or the sanitized SVG). */
  path: string;
  width?: number;
  height?: number;
}

interface BookMedia {
  /** Every image the lessons show, by course-relative source path. */
  images: Map<string, BookImage>;
  /** Audio clips: the MP3 shipped; videos: the smallest rendition and the poster. */
  audio: Map<string, string>;
  video: Map<string, { path: string; width: number; height: number; poster?: string }>;
  /** Captions files, cleaned, by course-relative path. */
  captions: Map<string, Uint8Array>;
  /** Course-relative path → bytes of every file under files/ (filled as documents use them). */
  shipped: Map<string, Uint8Array>;
  /** Files under files/ a page may point to (the shipped ones plus those documents will ship when they use them). */
  available: Map<string, Uint8Array>;
}

/**
 * The media of the lessons shown, from the build's media step (already encoded, or in the media cache): images as
 * their largest JPEG/PNG variant (WebP and AVIF are not EPUB core media types) or their sanitized SVG; audio clips as
 * MP3; videos as the smallest MP4 rendition and the poster; captions as clean UTF-8.
 */
async function prepareBookMedia(course: Course, lessons: readonly Lesson[]): Promise<BookMedia> {
  const media: BookMedia = { images: new Map(), audio: new Map(), video: new Map(), captions: new Map(), shipped: new Map(), available: new Map() };
  const offer = (coursePath: string, bytes: Uint8Array): void => {
    media.available.set(coursePath, bytes);
  };
  const image = async (coursePath: string): Promise<void> => {
    if (media.images.has(coursePath) || !(isRasterImage(coursePath) || isSvgImage(coursePath))) return;
    let processed: ProcessedImage;
    try {
      processed = await processImage(course.root, coursePath);
    } catch {
      return; // reported by the build before rendering
    }
    if (processed.kind === 'svg') {
      offer(coursePath, processed.files.get(coursePath)!);
      media.images.set(coursePath, { path: coursePath, ...(processed.width && processed.height ? { width: processed.width, height: processed.height } : {}) });
      return;
    }
    const variant = processed.variants.filter((v) => v.format === processed.fallback).at(-1)!;
    const bytes = processed.files.get(variant.path)!;
    offer(variant.path, bytes);
    media.images.set(coursePath, { path: variant.path, width: variant.width, height: variant.height });
  };
  const captions = (coursePath: string): void => {
    if (media.captions.has(coursePath)) return;
    const file = findSourceFile(path.join(course.root, ...coursePath.split('/')));
    if (!file) return;
    const bytes = readFileSync(file);
    const decoded = decodeWebVtt(bytes);
    const clean = 'text' in decoded ? Buffer.from(normalizeWebVtt(decoded.text), 'utf8') : bytes;
    media.captions.set(coursePath, clean);
    offer(coursePath, clean);
  };
  for (const lesson of lessons) {
    for (const file of lesson.files) await image(file);
    for (const block of allBlocks(lesson.blocks)) {
      if (block.kind === 'audio' && !media.audio.has(block.src.path)) {
        const audio = await processAudio(course.root, block.src.path).catch(() => undefined);
        const mp3 = audio?.variants.find((v) => v.type === 'audio/mpeg');
        if (audio && mp3) {
          media.audio.set(block.src.path, mp3.path);
          offer(mp3.path, audio.files.get(mp3.path)!);
        }
      }
      if (block.kind === 'video' && !media.video.has(block.src.path)) {
        const video = await processVideo(course.root, block.src.path).catch(() => undefined);
        const rendition = video?.renditions[0];
        if (video && rendition) {
          offer(rendition.path, video.files.get(rendition.path)!);
          let poster: string | undefined = video.poster.path;
          if (block.poster) {
            await image(block.poster.path);
            poster = media.images.get(block.poster.path)?.path;
          } else offer(poster, video.files.get(poster)!);
          media.video.set(block.src.path, { path: rendition.path, width: video.width, height: video.height, ...(poster ? { poster } : {}) });
        }
      }
      if ((block.kind === 'audio' || block.kind === 'video') && block.captions) captions(block.captions.path);
    }
  }
  return media;
}

function allBlocks(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((b): Block[] => (b.kind === 'callout' ? [b, ...allBlocks(b.blocks)] : b.kind === 'steps' ? [b, ...b.steps.flatMap(allBlocks)] : [b]));
}

// ── narration sync ───────────────────────────────────────────────────────────────────────────────────────────────────

interface NarrationSync {
  /** Sentence by sentence: its timing and the key of its element. */
  timings: SentenceTiming[];
  /** Every key used, in order. */
  keys: string[];
  /** Prose blocks (by block-path key) → the element paths inside them to mark. */
  marks: Map<string, number[][]>;
}

/**
 * What the overlay of a lesson needs: only synthesized narration has sentence timings (a recording has none: it gets
 * the <audio> player only), and the timings must be of this very script (they are: both come from narrationScript).
 */
function narrationSync(lesson: Lesson, narration: PreparedNarration): NarrationSync | undefined {
  if (!narration.cues.length) return undefined;
  const { script, targets } = narrationTargets(lesson);
  const sentences = script.chapters.flatMap((c) => c.sentences);
  const flat = targets.flat();
  if (sentences.length !== narration.cues.length || narration.cues.some((cue, i) => cue.text !== sentences[i])) return undefined;
  const marks = new Map<string, number[][]>();
  const keys: string[] = [];
  const timings = narration.cues.map((cue, i): SentenceTiming => {
    const target = flat[i]!;
    const key = targetKey(target);
    if (!keys.includes(key)) keys.push(key);
    if (target.kind === 'element') {
      const list = marks.get(target.block.join('.')) ?? [];
      if (!list.some((p) => p.join('.') === target.element.join('.'))) list.push(target.element);
      marks.set(target.block.join('.'), list);
    }
    return { start: cue.start, end: cue.end, chapter: cue.chapter, target: key };
  });
  return { timings, keys, marks };
}

/** A target as the `data-narr` marker the templates put on its element. */
function targetKey(target: NarrationTarget): string {
  switch (target.kind) {
    case 'title':
    case 'objectives':
      return target.kind;
    case 'objective':
      return `objective:${target.index}`;
    case 'element':
      return `element:${target.block.join('.')}:${target.element.join('.')}`;
    case 'callout-title':
      return `callout:${target.block.join('.')}`;
    case 'figure':
    case 'caption':
    case 'question':
      return `${target.kind}:${target.block.join('.')}`;
    case 'choice':
      return `choice:${target.block.join('.')}:${target.choice}`;
  }
}

/** A prose block's HTML with `data-narr` on the elements its sentences are read from (as the narration parsed it). */
function markedProse(html: string, blockPath: number[], paths: readonly number[][]): string {
  const tree: HastRoot = parseNarrationHtml(html);
  let wrap = false;
  for (const elementPath of paths) {
    if (!elementPath.length) {
      wrap = true;
      continue;
    }
    let node: HastRoot | HastElement | undefined = tree;
    for (const index of elementPath) {
      const child: unknown = node?.children[index];
      node = child && (child as HastElement).type === 'element' ? (child as HastElement) : undefined;
    }
    if (node && node.type === 'element') node.properties = { ...node.properties, dataNarr: targetKey({ kind: 'element', block: blockPath, element: elementPath }) };
  }
  const out = toHtml(tree);
  return wrap ? `<div class="narrated" data-narr="${targetKey({ kind: 'element', block: blockPath, element: [] })}">${out}</div>` : out;
}

// ── lesson blocks ────────────────────────────────────────────────────────────────────────────────────────────────────

interface BlockContext {
  lesson: Lesson;
  t: UiStrings;
  media: BookMedia;
  quizNumbers: Map<string, number>;
  marks: Map<string, number[][]>;
  answersHref: string;
}

function blockView(block: Block, blockPath: number[], depth: number, context: BlockContext): unknown {
  const from = lessonDocPath(context.lesson.id);
  const { media } = context;
  switch (block.kind) {
    case 'prose': {
      const marks = context.marks.get(blockPath.join('.'));
      return { ...block, html: marks ? markedProse(block.html, blockPath, marks) : block.html };
    }
    case 'callout':
      return { ...block, narr: targetKey({ kind: 'callout-title', block: blockPath }), blocks: block.blocks.map((b, i) => blockView(b, [...blockPath, i], depth + 1, context)) };
    case 'steps':
      return { ...block, steps: block.steps.map((step, s) => step.map((b, i) => blockView(b, [...blockPath, s, i], depth + 1, context))) };
    case 'figure': {
      const image = media.images.get(block.src.path);
      return {
        ...block,
        narr: targetKey({ kind: 'figure', block: blockPath }),
        captionNarr: targetKey({ kind: 'caption', block: blockPath }),
        ...(image ? { image: { href: fileHref(from, image.path), width: image.width, height: image.height } } : {}),
      };
    }
    case 'audio': {
      const mp3 = media.audio.get(block.src.path);
      return { ...block, ...(mp3 ? { href: fileHref(from, mp3) } : {}), ...captionsView(block.captions?.path, from, context) };
    }
    case 'video': {
      const video = media.video.get(block.src.path);
      return {
        ...block,
        ...(video ? { href: fileHref(from, video.path), width: video.width, height: video.height, ...(video.poster ? { posterHref: fileHref(from, video.poster) } : {}) } : {}),
        ...captionsView(block.captions?.path, from, context),
      };
    }
    case 'quiz': {
      const quiz = block.quiz;
      return {
        quiz,
        title: fill(context.t.question!, { n: context.quizNumbers.get(quiz.id) ?? 1 }),
        narr: targetKey({ kind: 'question', block: blockPath }),
        choiceNarr: quiz.choices.map((_, i) => targetKey({ kind: 'choice', block: blockPath, choice: i })),
        answerHref: `${context.answersHref}#${answerId(context.lesson, quiz)}`,
        kind: 'quiz',
      };
    }
  }
}

function captionsView(coursePath: string | undefined, from: string, context: BlockContext): Record<string, string> {
  if (!coursePath || !context.media.captions.has(coursePath)) return {};
  return { captionsHref: fileHref(from, coursePath), captionsLang: context.lesson.language };
}

function answerId(lesson: Lesson, quiz: Quiz): string {
  return `answer-${lesson.id}-${quiz.id}`;
}

/** What the quiz script needs: which choices are right, the accepted answers, the feedback (as XHTML), the words. */
function quizData(quizzes: readonly Quiz[], t: UiStrings): unknown {
  const strings = Object.fromEntries(['check', 'answerLabel', 'correct', 'incorrect', 'chooseOne', 'typeAnswer'].map((k) => [k, t[k] ?? k]));
  return {
    strings,
    quizzes: quizzes.map((quiz) => ({
      id: quiz.id,
      type: quiz.type,
      choices: quiz.choices.map((c) => ({
        id: c.id,
        correct: c.correct,
        ...(quiz.type === 'fill' ? { text: c.text } : {}),
        ...(c.feedbackHtml ? { feedback: fragmentToXhtml(c.feedbackHtml), feedbackText: htmlToText(c.feedbackHtml) } : {}),
      })),
    })),
  };
}

function htmlToText(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

/** The answer key section of one lesson: each question, its right answers, each choice with its feedback. */
function answerView(lesson: Lesson, lang: string, t: UiStrings): unknown {
  const quizzes = quizzesOf(lesson.blocks);
  const from = 'answers.xhtml';
  return {
    sectionId: `answers-${lesson.id}`,
    title: lesson.title,
    href: relativeHref(from, lessonDocPath(lesson.id)),
    ...(lesson.language !== lang ? { lang: lesson.language } : {}),
    quizzes: quizzes.map((quiz, n) => {
      const right = quiz.choices.map((c, i) => ({ c, letter: letterOf(i) })).filter(({ c }) => c.correct);
      const rightHtml = quiz.type === 'fill'
        ? right.map(({ c }) => `<span class="accepted">${escapeHtml(c.text)}</span>`).join(' / ')
        : right.map(({ c, letter }) => `${letter}. ${c.html}`).join('; ');
      return {
        type: quiz.type,
        title: fill(t.question!, { n: n + 1 }),
        answerId: answerId(lesson, quiz),
        questionHtml: quiz.questionHtml,
        rightHtml,
        choices: quiz.choices.map((c) => ({ html: quiz.type === 'fill' ? escapeHtml(c.text) : c.html, correct: c.correct, ...(c.feedbackHtml ? { feedbackHtml: c.feedbackHtml } : {}) })),
        backHref: `${relativeHref(from, lessonDocPath(lesson.id))}#quiz-${quiz.id}`,
      };
    }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

// ── HTML5 → XHTML content documents ──────────────────────────────────────────────────────────────────────────────────

interface FinishContext {
  lessonIds: ReadonlySet<string>;
  media: BookMedia;
  /** Narration keys (data-narr markers) whose elements need an id, in order. */
  narrated: readonly string[];
}

const LINK_SCHEMES = /^(https?|mailto|tel):/i;

/**
 * The rendered HTML5 page as an EPUB content document: links between lessons point at their .xhtml, links to course
 * files that are not content documents keep their text only (EPUB allows hyperlinks to content documents alone),
 * images point at the file the book ships, and every element the narration reads from gets an id.
 */
function finishDocument(html: string, docPath: string, context: FinishContext): { xhtml: string; ids: Map<string, string> } {
  const doc = parseHtmlDocument(html);
  const all = elementsOf(doc);
  const taken = new Set(all.map((e) => getAttribute(e, 'id')).filter((id): id is string => id !== undefined));
  const marked = new Map<string, HtmlElement>();
  const filesPrefix = relativeHref(docPath, `${FILES_DIR}/x`).slice(0, -1);
  const coursePathOf = (url: string): string | undefined => {
    if (!url.startsWith(filesPrefix)) return undefined;
    try {
      return decodeURIComponent(url.slice(filesPrefix.length).split(/[?#]/)[0]!);
    } catch {
      return undefined;
    }
  };
  const ship = (coursePath: string): boolean => {
    const bytes = context.media.available.get(coursePath);
    if (!bytes) return false;
    context.media.shipped.set(coursePath, bytes);
    return true;
  };
  for (const element of all) {
    const key = getAttribute(element, 'data-narr');
    if (key !== undefined) {
      if (!marked.has(key)) marked.set(key, element);
      removeAttribute(element, 'data-narr');
    }
    const tag = element.tagName;
    if (tag === 'a') {
      const href = getAttribute(element, 'href');
      if (href === undefined) continue;
      if (href.startsWith('#') && href.length > 1) continue;
      if (LINK_SCHEMES.test(href)) continue;
      const lessonLink = /^([^/?#]+)\.html(#.*)?$/.exec(href);
      const lessonId = lessonLink ? safeDecode(lessonLink[1]!) : undefined;
      if (lessonLink && lessonId !== undefined && context.lessonIds.has(lessonId)) {
        setAttribute(element, 'href', `${relativeHref(docPath, lessonDocPath(lessonId))}${lessonLink[2] ?? ''}`);
        continue;
      }
      if (/\.xhtml(#.*)?$/.test(href) && !href.includes('://')) continue; // the book's own documents (templates)
      unwrapElement(element);
    } else if (tag === 'img') {
      const src = getAttribute(element, 'src') ?? '';
      const coursePath = coursePathOf(src);
      removeAttribute(element, 'srcset');
      removeAttribute(element, 'sizes');
      removeAttribute(element, 'loading');
      removeAttribute(element, 'decoding');
      const image = coursePath !== undefined ? context.media.images.get(coursePath) : undefined;
      if (image && ship(image.path)) {
        setAttribute(element, 'src', relativeHref(docPath, bookFilePath(image.path)));
        if (image.width && image.height && getAttribute(element, 'width') === undefined) {
          setAttribute(element, 'width', String(image.width));
          setAttribute(element, 'height', String(image.height));
        }
      } else if (coursePath !== undefined && ship(coursePath)) {
        setAttribute(element, 'src', relativeHref(docPath, bookFilePath(coursePath)));
      } else {
        replaceWithText(element, getAttribute(element, 'alt') ?? '');
      }
    } else if (['audio', 'video', 'source', 'track'].includes(tag)) {
      for (const attribute of ['src', 'poster']) {
        const url = getAttribute(element, attribute);
        if (url === undefined) continue;
        const coursePath = coursePathOf(url);
        if (coursePath !== undefined && ship(coursePath)) setAttribute(element, attribute, relativeHref(docPath, bookFilePath(coursePath)));
        else removeAttribute(element, attribute);
      }
    } else if (['iframe', 'embed', 'object'].includes(tag)) {
      unwrapElement(element);
    }
  }
  // Ids for the elements the narration reads from: theirs, else a new one.
  const ids = new Map<string, string>();
  let n = 0;
  for (const key of context.narrated) {
    const element = marked.get(key);
    if (!element) continue;
    let id = getAttribute(element, 'id');
    if (id === undefined) {
      do id = `narr-${++n}`;
      while (taken.has(id));
      taken.add(id);
      setAttribute(element, 'id', id);
    }
    ids.set(key, id);
  }
  return { xhtml: serializeXhtml(doc), ids };
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

// ── fonts ────────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The subset WOFF2 fonts and fonts.css the book needs (src/fonts: by the characters of every page and caption file),
 * paths relative to EPUB/. Missing glyphs are reported against the lesson's Markdown file, like the web bundle's.
 */
async function bookFonts(course: Course, docs: ReadonlyMap<string, string>, media: BookMedia, problems: FontProblem[] | undefined): Promise<Map<string, Uint8Array>> {
  // embedFonts reads .html pages: the documents are given to it under the web bundle's page names.
  const pages: FileTree = new Map();
  const byPage = new Map<string, Lesson>();
  for (const lesson of lessonsOf(course)) byPage.set(lessonPagePath(lesson.id), lesson);
  for (const [docPath, xhtml] of docs) {
    const lessonId = /^lessons\/(.+)\.xhtml$/.exec(docPath)?.[1];
    pages.set(lessonId !== undefined ? lessonPagePath(lessonId) : docPath.replace(/\.xhtml$/, '.html'), xhtml);
  }
  for (const [coursePath, bytes] of media.captions) if (media.shipped.has(coursePath)) pages.set(`${FILES_DIR}/${coursePath}`, bytes);
  const courseFile = course.at.file;
  const result = await embedFonts(pages, {
    sourceOf: (page) => {
      const lesson = byPage.get(page);
      if (lesson) return { file: lesson.at.file, text: readSourceText(path.join(course.root, lesson.path)) };
      if (/^(title|nav|answers)\.html$/.test(page)) return { file: courseFile, text: readSourceText(path.join(course.root, 'course.yaml')) };
      return undefined;
    },
  });
  problems?.push(...result.problems);
  const files = new Map<string, Uint8Array>();
  const css = pages.get(FONTS_CSS);
  if (css === undefined) return files;
  files.set(FONTS_CSS, typeof css === 'string' ? Buffer.from(css, 'utf8') : css);
  for (const font of result.fonts) files.set(font.path, pages.get(font.path) as Uint8Array);
  return files;
}

function linkFontsCss(xhtml: string, docPath: string): string {
  const link = `<link rel="stylesheet" type="text/css" href="${relativeHref(docPath, FONTS_CSS)}"/>\n`;
  const head = xhtml.indexOf('</head>');
  return head < 0 ? xhtml : xhtml.slice(0, head) + link + xhtml.slice(head);
}

// ── accessibility metadata ───────────────────────────────────────────────────────────────────────────────────────────

interface AccessibilityFacts {
  lang: string;
  hasImages: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  synced: boolean;
  quizzes: boolean;
  narrated: boolean;
  /** Every lesson has a media overlay. */
  allSynced: boolean;
  imagesDescribed: boolean;
}

/**
 * schema.org accessibility metadata (EPUB Accessibility 1.1, §"Discovery metadata"), from what the book contains.
 * No dcterms:conformsTo: a WCAG 2.1 AA claim needs an evaluation hocso cannot make (authors' alt text and raw HTML,
 * videos without audio description, contrast in reading apps), see README "EPUB".
 */
function accessibility(facts: AccessibilityFacts): { accessModes: string[]; accessModesSufficient: string[]; features: string[]; hazards: string[]; summary: { text: string; lang: string } } {
  const modes = ['textual', ...(facts.hasImages || facts.hasVideo ? ['visual'] : []), ...(facts.hasAudio || facts.narrated ? ['auditory'] : [])];
  // Text alone suffices when every picture has a text alternative and no audio or video carries content of its own.
  const textual = (!facts.hasImages || facts.imagesDescribed) && !facts.hasVideo && !facts.hasAudio;
  const sufficient = [...(textual ? ['textual'] : []), modes.join(',')].filter((v, i, all) => all.indexOf(v) === i);
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    'displayTransformability',
    ...(facts.hasImages && facts.imagesDescribed ? ['alternativeText'] : []),
    ...(facts.synced ? ['synchronizedAudioText'] : []),
  ];
  // Videos are the authors': hocso cannot tell whether they flash.
  const hazards = facts.hasVideo ? ['unknown'] : ['none'];
  const summaryLang = facts.lang.toLowerCase().startsWith('vi') ? 'vi' : 'en';
  const s = epubStrings(summaryLang);
  const parts = [
    s.a11yBase,
    ...(facts.hasImages && facts.imagesDescribed ? [s.a11yImages] : []),
    ...(facts.synced ? [facts.allSynced ? s.a11yNarration : s.a11yNarrationSome] : facts.narrated ? [s.a11yAudio] : []),
    ...(facts.hasVideo || (facts.hasAudio && !facts.narrated) ? [s.a11yMedia] : []),
    ...(facts.quizzes ? [s.a11yQuizzes] : []),
  ];
  return { accessModes: modes, accessModesSufficient: sufficient, features, hazards, summary: { text: parts.join(' '), lang: summaryLang } };
}
