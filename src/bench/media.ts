// Media benchmark (`npm run bench -- --media`): what the media pipeline costs and what its cache saves.
//
//   1. images/s: a cold `hocso build --target web` of a project showing M photo-like JPEGs (2000×1500, generated with
//      sharp from gradients, shapes and noise so they compress like photos; deterministic for a seed), against a plain
//      sharp loop in a child process that makes the same outputs the naive way: for each image and each width
//      (960, 480), `sharp(file).resize(w).avif()`, `.webp()`, `.jpeg()` one after another (libvips' default
//      threading). Same encoder settings as src/media/images.ts, so only the pipeline differs.
//   2. cold vs warm rebuild of a course with media (photos, an audio clip, a video, narration: true), targets web +
//      video: the warm run (same HOCSO_CACHE_DIR, unchanged sources) must encode nothing; the HOCSO_TIMING lines
//      prove it, and the bench fails when they do not.
//   3. text-to-speech: seconds of audio per second of wall time, from the `speech:` line of a cold build of the
//      sample course (`--target web --lang vi`), and in this process per language (vi, en) through synthesize().
//
// Every build is a new Node process with an empty (fresh) HOCSO_CACHE_DIR unless it is the warm run; medians are
// reported. Results go into the bench's JSON under "media".

import { runChild, type ChildResult } from './child.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { openProject } from '../cli/context.js';
import { compileProject } from '../compile/compile-project.js';
import { narrationScript } from '../media/narration-script.js';
import { closeSpeechWorkers, synthesize, voiceFor } from '../media/speech.js';
import { requireTool, runTool } from '../media/tools.js';
import { lessonsOf, type Lesson } from '../model/course.js';

const HERE = path.dirname(fileURLToPath(import.meta.url)); // <root>/dist/bench
const PACKAGE_ROOT = path.resolve(HERE, '..', '..');
const HOCSO_BIN = path.join(PACKAGE_ROOT, 'bin', 'hocso.js');
const INIT_TEMPLATE = path.join(PACKAGE_ROOT, 'templates', 'project');
const COURSE_DIR = path.join('content', 'courses', 'khoa-hoc-dau-tien');
const TEMPLATE_LESSON_LINE = '      - lessons/bai-dau-tien.md';

/**
 * Sized for the ~4 min budget on a 2-core machine: M = 12 photos (not 24: one cold build + one plain loop of 24 take
 * ≈ 70 s there, × 3 runs), 3 runs, one cold/warm pair; the sample's TTS build alone takes ≈ 85 s (mostly encoding its
 * 24 minutes of narration). `--media-images=24` for the full size.
 */
export const MEDIA_DEFAULTS = { images: 12, runs: 3, rebuildRuns: 1 } as const;
/** The generated photos. */
const PHOTO = { width: 2000, height: 1500 } as const;
/** Photos shown by the rebuild project (a subset of the generated ones). */
const REBUILD_IMAGES = 4;
/** The widths and encoder settings of src/media/images.ts (RESPONSIVE_WIDTHS, PARAMETERS): the plain loop makes the same files. */
const WIDTHS = [960, 480] as const;
const ENCODERS = {
  avif: { quality: 50, effort: 4 },
  webp: { quality: 72, effort: 4 },
  jpeg: { quality: 78, mozjpeg: true },
};

export interface MediaOptions {
  /** M: photos in the images/s project. */
  images: number;
  /** Cold builds (and plain loops) for the images/s median. */
  runs: number;
  /** Cold + warm pairs for the rebuild median. */
  rebuildRuns: number;
  seed: number;
  keep: boolean;
}

/** The counters printed by `HOCSO_TIMING=1 hocso build` (src/commands/build.ts). */
export interface TimingCounts {
  images: number;
  imagesEncoded: number;
  imagesFromCache: number;
  imageEncodeMs: number;
  clips: number;
  clipsEncoded: number;
  clipsFromCache: number;
  videos: number;
  videosEncoded: number;
  videosFromCache: number;
  slideVideosRendered: number;
  slideVideosFromCache: number;
  speechLessons: number;
  sentencesSynthesized: number;
  speechFromCache: number;
  audioSeconds: number;
  synthMs: number;
}

export interface ImagesResult {
  images: number;
  width: number;
  height: number;
  sourceBytes: number;
  runs: number;
  /** Outputs per image: hocso makes 2 widths × AVIF/WebP/JPEG plus the source path re-encoded (7); the loop 6. */
  hocsoEncodesPerImage: number;
  loopEncodesPerImage: number;
  hocso: { wallMs: number[]; medianMs: number | null; imagesPerSec: number | null; encodeMs: number[]; encodeMsMedian: number | null; imagesPerEncodeSec: number | null };
  plainLoop: { wallMs: number[]; medianMs: number | null; imagesPerSec: number | null };
  /** hocso images/s ÷ plain-loop images/s (> 1: hocso is faster). */
  ratio: number | null;
}

export interface RebuildResult {
  lessons: number;
  images: number;
  audioClips: number;
  videos: number;
  targets: string[];
  runs: number;
  coldMs: number[];
  warmMs: number[];
  coldMedianMs: number | null;
  warmMedianMs: number | null;
  /** warm ÷ cold wall time. */
  ratio: number | null;
  cold: TimingCounts[];
  warm: TimingCounts[];
  /** True when every warm run encoded, synthesized and rendered nothing. */
  warmEncodedNothing: boolean;
  warmProblems: string[];
}

export interface SpeechLanguageResult {
  language: string;
  voice: string;
  lessons: number;
  sentences: number;
  audioSeconds: number;
  wallMs: number;
  /** Seconds of audio per second of wall time. */
  ratio: number;
}

export interface SpeechResult {
  build: {
    lessons: number;
    sentences: number;
    audioSeconds: number;
    /** The `speech:` line's time: summed over lessons synthesized at the same time (media jobs run one per core). */
    synthMs: number;
    /** audioSeconds ÷ synthMs. */
    ratio: number;
    wallMs: number;
    /** The same build with `narration: true` removed from course.yaml (no speech, no narration encoding). */
    withoutNarrationWallMs: number | null;
    /** audioSeconds ÷ (wallMs − withoutNarrationWallMs): speech plus encoding the narration (Opus + MP3). */
    ratioNarrationWall: number | null;
    /** audioSeconds ÷ the whole build's wall time. */
    ratioBuildWall: number;
    /** Clips the build encoded: the lessons' narration (loudness-normalized Opus + MP3). */
    clipsEncoded: number;
  } | null;
  inProcess: SpeechLanguageResult[];
}

export interface MediaResult {
  options: MediaOptions;
  /** Wall time of the whole media section. */
  totalMs: number;
  images: ImagesResult | null;
  rebuild: RebuildResult | null;
  speech: SpeechResult | null;
  notes: string[];
  errors: string[];
}

// ── processes ─────────────────────────────────────────────────────────────────────────────────────────────────────

function failure(what: string, r: ChildResult): string {
  const status = r.error ? `could not start: ${r.error.message}` : r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
  const text = (r.stderr.trim() || r.stdout.trim()).slice(-3000);
  return `${what} failed (${status})${text ? `\n${text}` : ''}`;
}

class BenchError extends Error {}

/** `hocso build` in a new process, with HOCSO_TIMING=1 and the given cache dir; throws on a failed build. */
async function hocsoBuild(project: string, args: string[], cacheDir: string, what: string): Promise<{ ms: number; stderr: string; timing: TimingCounts }> {
  const out = path.join(project, 'out');
  rm(out);
  const env = { ...process.env, HOCSO_TIMING: '1', HOCSO_CACHE_DIR: cacheDir, CI: '1', NO_COLOR: '1' };
  // --no-cache: this section measures the media cache, not the build cache in front of it.
  const r = await runChild([HOCSO_BIN, 'build', '--no-cache', '--out', out, ...args], project, env);
  if (r.code !== 0) throw new BenchError(failure(what, r));
  return { ms: r.ms, stderr: r.stderr, timing: parseTiming(r.stderr, what) };
}

/** Reads the three HOCSO_TIMING lines; a missing one is an error (the proof of a warm rebuild depends on them). */
export function parseTiming(stderr: string, what = 'build'): TimingCounts {
  const media = /^media: (\d+) images, (\d+) encoded, (\d+) from cache, (\d+) ms encoding$/m.exec(stderr);
  const av = /^audio: (\d+) clips, (\d+) encoded, (\d+) from cache; video: (\d+) videos, (\d+) encoded, (\d+) from cache; slide videos: (\d+) rendered, (\d+) from cache$/m.exec(stderr);
  const speech = /^speech: (\d+) lessons, (\d+) synthesized, (\d+) from cache, (\d+) s of audio in (\d+) ms$/m.exec(stderr);
  const missing = [!media && 'media:', !av && 'audio:', !speech && 'speech:'].filter(Boolean);
  if (!media || !av || !speech) throw new BenchError(`${what}: HOCSO_TIMING=1 printed no ${missing.join(', ')} line in the expected format (src/commands/build.ts changed?)\n${stderr.slice(-2000)}`);
  const n = (m: RegExpExecArray, i: number): number => Number(m[i]);
  return {
    images: n(media, 1), imagesEncoded: n(media, 2), imagesFromCache: n(media, 3), imageEncodeMs: n(media, 4),
    clips: n(av, 1), clipsEncoded: n(av, 2), clipsFromCache: n(av, 3),
    videos: n(av, 4), videosEncoded: n(av, 5), videosFromCache: n(av, 6),
    slideVideosRendered: n(av, 7), slideVideosFromCache: n(av, 8),
    speechLessons: n(speech, 1), sentencesSynthesized: n(speech, 2), speechFromCache: n(speech, 3), audioSeconds: n(speech, 4), synthMs: n(speech, 5),
  };
}

// ── small helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

function rm(target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function perSecond(count: number, ms: number | null): number | null {
  return ms ? count / (ms / 1000) : null;
}

function freshDir(root: string, name: string): string {
  const dir = path.join(root, name);
  rm(dir);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ── inputs ────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A photo-like JPEG: a smooth colour field with a few soft waves (sky, light falloff) and soft-edged shapes, drawn at a
 * quarter of the size and scaled up (smooth, like out-of-focus areas), then per-pixel sensor-like noise at full size
 * and a light blur; ≈ 0.7 MB at quality 90, like a phone photo scaled down.
 */
async function makePhoto(file: string, seed: number): Promise<void> {
  const rand = prng(seed * 7919 + 17);
  const { width, height } = PHOTO;
  const w = Math.round(width / 4);
  const h = Math.round(height / 4);
  const corners = Array.from({ length: 4 }, () => [rand() * 255, rand() * 255, rand() * 255] as const);
  const waves = Array.from({ length: 5 }, () => ({ fx: (rand() * 4 - 2) / w, fy: (rand() * 4 - 2) / h, phase: rand() * 6.28, amp: rand() * 30 + 5, ch: Math.floor(rand() * 3) }));
  const field = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    const v = y / (h - 1);
    for (let x = 0; x < w; x++) {
      const u = x / (w - 1);
      for (let c = 0; c < 3; c++) {
        let value = (1 - u) * (1 - v) * corners[0]![c]! + u * (1 - v) * corners[1]![c]! + (1 - u) * v * corners[2]![c]! + u * v * corners[3]![c]!;
        for (const wave of waves) if (wave.ch === c) value += wave.amp * Math.sin(6.28 * (wave.fx * x + wave.fy * y) + wave.phase);
        field[(y * w + x) * 3 + c] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
    }
  }
  const shapes: string[] = [];
  for (let s = 0; s < 24; s++) {
    const color = `rgb(${Math.floor(rand() * 256)},${Math.floor(rand() * 256)},${Math.floor(rand() * 256)})`;
    const opacity = (0.35 + rand() * 0.5).toFixed(2);
    if (rand() < 0.6) {
      shapes.push(`<ellipse cx="${(rand() * w).toFixed(0)}" cy="${(rand() * h).toFixed(0)}" rx="${(10 + rand() * 100).toFixed(0)}" ry="${(10 + rand() * 75).toFixed(0)}" fill="${color}" fill-opacity="${opacity}"/>`);
    } else {
      const points = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => `${(rand() * w).toFixed(0)},${(rand() * h).toFixed(0)}`).join(' ');
      shapes.push(`<polygon points="${points}" fill="${color}" fill-opacity="${opacity}"/>`);
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${shapes.join('')}</svg>`;
  // Two pipelines: sharp composites after resizing within one.
  const small = await sharp(field, { raw: { width: w, height: h, channels: 3 } }).composite([{ input: Buffer.from(svg) }]).removeAlpha().raw().toBuffer();
  const data = await sharp(small, { raw: { width: w, height: h, channels: 3 } }).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
  if (data.length !== width * height * 3) throw new BenchError(`photo generation: ${data.length} bytes of pixels, expected ${width * height * 3}`);
  let noise = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    noise ^= noise << 13;
    noise ^= noise >>> 17;
    noise ^= noise << 5;
    const value = data[i]! + ((noise >>> 0) % 25) - 12;
    data[i] = value < 0 ? 0 : value > 255 ? 255 : value;
  }
  await sharp(data, { raw: { width, height, channels: 3 } }).blur(0.6).jpeg({ quality: 90 }).toFile(file);
}

export async function makePhotos(dir: string, count: number, seed: number): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 1; i <= count; i++) {
    const file = path.join(dir, photoName(i));
    await makePhoto(file, seed * 1000 + i);
    files.push(file);
  }
  return files;
}

function photoName(i: number): string {
  return `anh-${String(i).padStart(2, '0')}.jpg`;
}

/** A lesson in the author's format (front matter as in the `hocso init` template), with a quiz. */
function lessonMarkdown(id: string, title: string, body: string): string {
  return `---
id: ${id}
title: ${title}
competencies:
  - tt02:1.1@1
objectives:
  - Xem ảnh và trả lời câu hỏi
duration: PT5M
audience: [citizens]
masteryScore: 0.8
keywords: [ảnh]
---

Bài này có ảnh minh họa. Hãy xem kỹ từng ảnh trước khi trả lời câu hỏi.

${body}

## Câu hỏi

::::quiz{#kiem-tra-${id} type=single}
Bạn đã xem hết các ảnh chưa?

- [x] Rồi
  > Đúng.
- [ ] Chưa
  > Hãy xem lại.
::::
`;
}

/** A fresh copy of the `hocso init` template with extra lessons (listed after the template's own) and files. */
function templateProject(dir: string, lessons: { id: string; markdown: string }[], files: { from: string; to: string }[], narration: boolean): void {
  rm(dir);
  fs.cpSync(INIT_TEMPLATE, dir, { recursive: true });
  const course = path.join(dir, COURSE_DIR, 'course.yaml');
  let yaml = fs.readFileSync(course, 'utf8');
  if (!yaml.includes(TEMPLATE_LESSON_LINE)) throw new BenchError(`templates/project changed: ${course} has no "${TEMPLATE_LESSON_LINE.trim()}" line`);
  yaml = yaml.replace(TEMPLATE_LESSON_LINE, [TEMPLATE_LESSON_LINE, ...lessons.map((l) => `      - lessons/${l.id}.md`)].join('\n'));
  if (narration) yaml = yaml.replace(/^language: (.*)$/m, 'language: $1\nnarration: true');
  fs.writeFileSync(course, yaml);
  for (const lesson of lessons) fs.writeFileSync(path.join(dir, COURSE_DIR, 'lessons', `${lesson.id}.md`), lesson.markdown);
  for (const file of files) {
    const to = path.join(dir, COURSE_DIR, file.to);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(file.from, to);
  }
}

// ── 1. images/s ───────────────────────────────────────────────────────────────────────────────────────────────────

const PLAIN_LOOP = `// What a naive tool does: every output from the file, one after another (libvips' default threading).
const [sharpUrl, outDir, widthsJson, encodersJson, ...files] = process.argv.slice(2);
const { default: sharp } = await import(sharpUrl);
const widths = JSON.parse(widthsJson);
const encoders = JSON.parse(encodersJson);
const { basename, join } = await import('node:path');
for (const file of files) {
  const stem = join(outDir, basename(file).replace(/\\.[^.]+$/, ''));
  for (const width of widths) {
    await sharp(file).resize(width).avif(encoders.avif).toFile(\`\${stem}-\${width}.avif\`);
    await sharp(file).resize(width).webp(encoders.webp).toFile(\`\${stem}-\${width}.webp\`);
    await sharp(file).resize(width).jpeg(encoders.jpeg).toFile(\`\${stem}-\${width}.jpg\`);
  }
}
`;

async function benchImages(root: string, photos: string[], opts: MediaOptions, log: (line: string) => void): Promise<ImagesResult> {
  const perLesson = 4;
  const lessons: { id: string; markdown: string }[] = [];
  for (let i = 0; i < photos.length; i += perLesson) {
    const n = lessons.length + 1;
    const body = photos.slice(i, i + perLesson).map((file, k) => `![Ảnh ${i + k + 1}: phong cảnh](../media/${path.basename(file)})`).join('\n\n');
    lessons.push({ id: `anh-${n}`, markdown: lessonMarkdown(`anh-${n}`, `Ảnh minh họa ${n}`, body) });
  }
  const project = path.join(root, 'images-project');
  templateProject(project, lessons, photos.map((from) => ({ from, to: `media/${path.basename(from)}` })), false);
  const script = path.join(root, 'plain-sharp-loop.mjs');
  fs.writeFileSync(script, PLAIN_LOOP);
  const sharpUrl = import.meta.resolve('sharp');

  const result: ImagesResult = {
    images: photos.length,
    width: PHOTO.width,
    height: PHOTO.height,
    sourceBytes: photos.reduce((sum, f) => sum + fs.statSync(f).size, 0),
    runs: opts.runs,
    hocsoEncodesPerImage: WIDTHS.length * 3 + 1,
    loopEncodesPerImage: WIDTHS.length * 3,
    hocso: { wallMs: [], medianMs: null, imagesPerSec: null, encodeMs: [], encodeMsMedian: null, imagesPerEncodeSec: null },
    plainLoop: { wallMs: [], medianMs: null, imagesPerSec: null },
    ratio: null,
  };
  for (let r = 0; r < opts.runs; r++) {
    // Alternate which goes first, so neither always runs on a machine just warmed (or loaded) by the other.
    const order = r % 2 === 0 ? ['hocso', 'loop'] : ['loop', 'hocso'];
    for (const which of order) {
      if (which === 'hocso') {
        const cache = freshDir(root, 'cache-images');
        const built = await hocsoBuild(project, ['--target', 'web'], cache, `hocso build --target web (images, run ${r + 1})`);
        if (built.timing.imagesEncoded !== photos.length) throw new BenchError(`hocso build (images, run ${r + 1}) encoded ${built.timing.imagesEncoded} images, expected ${photos.length} (a cold cache encodes every one)`);
        result.hocso.wallMs.push(built.ms);
        result.hocso.encodeMs.push(built.timing.imageEncodeMs);
        rm(cache);
      } else {
        const out = freshDir(root, 'plain-loop-out');
        const loop = await runChild([script, sharpUrl, out, JSON.stringify(WIDTHS), JSON.stringify(ENCODERS), ...photos], root, { ...process.env });
        if (loop.code !== 0) throw new BenchError(failure(`plain sharp loop (run ${r + 1})`, loop));
        const made = fs.readdirSync(out).length;
        if (made !== photos.length * result.loopEncodesPerImage) throw new BenchError(`plain sharp loop (run ${r + 1}) wrote ${made} files, expected ${photos.length * result.loopEncodesPerImage}`);
        result.plainLoop.wallMs.push(loop.ms);
        rm(out);
      }
    }
    log(`  images run ${r + 1}: hocso ${result.hocso.wallMs[r]!.toFixed(0)} ms (media encode ${result.hocso.encodeMs[r]} ms), plain sharp loop ${result.plainLoop.wallMs[r]!.toFixed(0)} ms`);
  }
  result.hocso.medianMs = median(result.hocso.wallMs);
  result.hocso.imagesPerSec = perSecond(photos.length, result.hocso.medianMs);
  result.hocso.encodeMsMedian = median(result.hocso.encodeMs);
  result.hocso.imagesPerEncodeSec = perSecond(photos.length, result.hocso.encodeMsMedian);
  result.plainLoop.medianMs = median(result.plainLoop.wallMs);
  result.plainLoop.imagesPerSec = perSecond(photos.length, result.plainLoop.medianMs);
  result.ratio = result.hocso.imagesPerSec && result.plainLoop.imagesPerSec ? result.hocso.imagesPerSec / result.plainLoop.imagesPerSec : null;
  if (!opts.keep) rm(project);
  return result;
}

// ── 2. cold vs warm rebuild ───────────────────────────────────────────────────────────────────────────────────────

const CAPTIONS = 'WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào.\n';

async function benchRebuild(root: string, photos: string[], opts: MediaOptions, log: (line: string) => void): Promise<RebuildResult> {
  const media = path.join(root, 'rebuild-media');
  fs.mkdirSync(media, { recursive: true });
  const ffmpeg = requireTool('ffmpeg');
  const clip = path.join(media, 'loi-khuyen.wav');
  const video = path.join(media, 'huong-dan.mp4');
  await runTool(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=5:sample_rate=44100', '-f', 'lavfi', '-i', 'anoisesrc=duration=5:sample_rate=44100:amplitude=0.05:seed=7', '-filter_complex', '[0][1]amix=inputs=2:duration=shortest,volume=-12dB', '-ac', '2', clip]);
  await runTool(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=3', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-shortest', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', video]);
  fs.writeFileSync(path.join(media, 'loi-khuyen.vtt'), CAPTIONS);
  fs.writeFileSync(path.join(media, 'huong-dan.vtt'), CAPTIONS);
  const shown = photos.slice(0, REBUILD_IMAGES);
  const half = Math.ceil(shown.length / 2);
  const figures = (list: string[]): string => list.map((f) => `![Ảnh ${path.basename(f, '.jpg')}](../media/${path.basename(f)})`).join('\n\n');
  const lessons = [
    { id: 'nghe-va-xem', markdown: lessonMarkdown('nghe-va-xem', 'Nghe và xem', `${figures(shown.slice(0, half))}\n\n::audio{src="../media/loi-khuyen.wav" captions="../media/loi-khuyen.vtt" title="Lời khuyên"}\n\n::video{src="../media/huong-dan.mp4" captions="../media/huong-dan.vtt" title="Hướng dẫn"}`) },
    { id: 'xem-anh', markdown: lessonMarkdown('xem-anh', 'Xem ảnh', figures(shown.slice(half))) },
  ];
  const files = [...shown, clip, video, path.join(media, 'loi-khuyen.vtt'), path.join(media, 'huong-dan.vtt')].map((from) => ({ from, to: `media/${path.basename(from)}` }));
  const project = path.join(root, 'rebuild-project');
  templateProject(project, lessons, files, true);
  const targets = ['web', 'video'];
  const args = targets.flatMap((t) => ['--target', t]);

  const result: RebuildResult = {
    lessons: lessons.length + 1,
    images: shown.length,
    audioClips: 1,
    videos: 1,
    targets,
    runs: opts.rebuildRuns,
    coldMs: [],
    warmMs: [],
    coldMedianMs: null,
    warmMedianMs: null,
    ratio: null,
    cold: [],
    warm: [],
    warmEncodedNothing: true,
    warmProblems: [],
  };
  for (let r = 0; r < opts.rebuildRuns; r++) {
    const cache = freshDir(root, 'cache-rebuild');
    const cold = await hocsoBuild(project, args, cache, `cold hocso build ${args.join(' ')} (run ${r + 1})`);
    const warm = await hocsoBuild(project, args, cache, `warm hocso build ${args.join(' ')} (run ${r + 1})`);
    rm(cache);
    result.coldMs.push(cold.ms);
    result.warmMs.push(warm.ms);
    result.cold.push(cold.timing);
    result.warm.push(warm.timing);
    const c = cold.timing;
    const w = warm.timing;
    // The cold run must have done the work (else the warm run proves nothing) …
    const coldMissing = [
      c.imagesEncoded < shown.length && `${c.imagesEncoded} of ${shown.length} images encoded`,
      c.clipsEncoded < 1 && 'no audio clip encoded',
      c.videosEncoded < 1 && 'no video encoded',
      c.sentencesSynthesized < 1 && 'nothing synthesized',
      c.slideVideosRendered < 1 && 'no slide video rendered',
    ].filter((x): x is string => Boolean(x));
    if (coldMissing.length) throw new BenchError(`cold rebuild run ${r + 1} did not do the work it should: ${coldMissing.join(', ')}`);
    // … and the warm one none of it.
    const encoded = [
      w.imagesEncoded && `${w.imagesEncoded} images encoded`,
      w.clipsEncoded && `${w.clipsEncoded} audio clips encoded`,
      w.videosEncoded && `${w.videosEncoded} videos encoded`,
      w.sentencesSynthesized && `${w.sentencesSynthesized} sentences synthesized`,
      w.slideVideosRendered && `${w.slideVideosRendered} slide videos rendered`,
    ].filter((x): x is string => Boolean(x));
    if (encoded.length) {
      result.warmEncodedNothing = false;
      result.warmProblems.push(`run ${r + 1}: ${encoded.join(', ')}`);
    }
    log(`  rebuild run ${r + 1}: cold ${cold.ms.toFixed(0)} ms (${c.imagesEncoded} images, ${c.clipsEncoded} clips, ${c.videosEncoded} videos encoded, ${c.sentencesSynthesized} sentences, ${c.slideVideosRendered} slide videos), warm ${warm.ms.toFixed(0)} ms (${w.imagesEncoded}/${w.clipsEncoded}/${w.videosEncoded}/${w.sentencesSynthesized}/${w.slideVideosRendered}; from cache: ${w.imagesFromCache} images, ${w.clipsFromCache} clips, ${w.videosFromCache} videos, ${w.speechFromCache} narrations, ${w.slideVideosFromCache} slide videos)`);
  }
  result.coldMedianMs = median(result.coldMs);
  result.warmMedianMs = median(result.warmMs);
  result.ratio = result.coldMedianMs && result.warmMedianMs !== null ? result.warmMedianMs / result.coldMedianMs : null;
  if (!opts.keep) rm(project);
  return result;
}

// ── 3. text-to-speech ─────────────────────────────────────────────────────────────────────────────────────────────

function sampleProject(dir: string, narration: boolean): void {
  rm(dir);
  fs.cpSync(path.join(PACKAGE_ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  fs.copyFileSync(path.join(PACKAGE_ROOT, 'hocso.config.yaml'), path.join(dir, 'hocso.config.yaml'));
  if (!narration) {
    const course = path.join(dir, 'content', 'courses', 'ky-nang-so-thiet-yeu', 'course.yaml');
    const yaml = fs.readFileSync(course, 'utf8');
    const without = yaml.replace(/^narration: true.*\n/m, '');
    if (without === yaml) throw new BenchError(`the sample course (${course}) has no "narration: true" line any more`);
    fs.writeFileSync(course, without);
  }
}

async function benchSpeech(root: string, opts: MediaOptions, log: (line: string) => void): Promise<SpeechResult> {
  const result: SpeechResult = { build: null, inProcess: [] };
  const project = path.join(root, 'sample');
  sampleProject(project, true);
  const args = ['--target', 'web', '--lang', 'vi'];
  const cache = freshDir(root, 'cache-speech');
  const built = await hocsoBuild(project, args, cache, `hocso build ${args.join(' ')} (sample course)`);
  rm(cache);
  const t = built.timing;
  if (t.sentencesSynthesized === 0 || t.synthMs === 0) throw new BenchError(`the sample build synthesized nothing:\n${built.stderr.slice(-2000)}`);
  const plain = path.join(root, 'sample-no-narration');
  sampleProject(plain, false);
  const cachePlain = freshDir(root, 'cache-speech-plain');
  let withoutMs: number | null = null;
  try {
    withoutMs = (await hocsoBuild(plain, args, cachePlain, `hocso build ${args.join(' ')} (sample course without narration)`)).ms;
  } finally {
    rm(cachePlain);
    if (!opts.keep) rm(plain);
  }
  const extra = withoutMs !== null ? built.ms - withoutMs : null;
  result.build = {
    lessons: t.speechLessons,
    sentences: t.sentencesSynthesized,
    audioSeconds: t.audioSeconds,
    synthMs: t.synthMs,
    ratio: t.audioSeconds / (t.synthMs / 1000),
    wallMs: built.ms,
    withoutNarrationWallMs: withoutMs,
    ratioNarrationWall: extra && extra > 0 ? t.audioSeconds / (extra / 1000) : null,
    ratioBuildWall: t.audioSeconds / (built.ms / 1000),
    clipsEncoded: t.clipsEncoded,
  };
  log(`  sample build (vi): ${built.ms.toFixed(0)} ms; speech ${t.sentencesSynthesized} sentences, ${t.audioSeconds} s of audio in ${t.synthMs} ms; ${t.clipsEncoded} narration clips encoded; without narration ${withoutMs?.toFixed(0) ?? 'n/a'} ms`);

  // In this process: the sample's lessons (vi) and their English variants through synthesize(), no cache.
  const opened = openProject(project, undefined);
  if (!opened.config) throw new BenchError(`cannot open the sample project copy in ${project}`);
  const compiled = await compileProject(opened.config);
  const course = compiled.courses[0];
  if (!course) throw new BenchError('the sample project has no course');
  const byLanguage: { language: string; lessons: Lesson[] }[] = ['vi', 'en'].map((language) => ({
    language,
    lessons: lessonsOf(course).map((l) => (l.language === language ? l : l.variants?.[language])).filter((l): l is Lesson => Boolean(l)),
  }));
  try {
    // Warm-up: starts the worker pool (≥ 40 sentences) and eSpeak, so neither language pays for it.
    const warmVoice = await voiceFor('vi');
    if (warmVoice) await synthesize({ language: 'vi', chapters: [{ title: 'Khởi động', sentences: Array.from({ length: 40 }, (_, i) => `Câu số ${i + 1}.`) }] }, warmVoice);
    for (const { language, lessons } of byLanguage) {
      const voice = await voiceFor(language);
      if (!voice || voice.engine !== 'espeak-ng' || lessons.length === 0) {
        result.inProcess.push({ language, voice: voice?.engine === 'espeak-ng' ? voice.name : 'none', lessons: lessons.length, sentences: 0, audioSeconds: 0, wallMs: 0, ratio: 0 });
        continue;
      }
      const scripts = lessons.map(narrationScript);
      const started = performance.now();
      let audioSeconds = 0;
      for (const script of scripts) audioSeconds += (await synthesize(script, voice)).duration;
      const wallMs = performance.now() - started;
      const sentences = scripts.reduce((n, s) => n + s.chapters.reduce((m, c) => m + c.sentences.length, 0), 0);
      result.inProcess.push({ language, voice: voice.name, lessons: lessons.length, sentences, audioSeconds, wallMs, ratio: audioSeconds / (wallMs / 1000) });
      log(`  synthesize() ${language} (${voice.name}): ${lessons.length} lessons, ${sentences} sentences, ${audioSeconds.toFixed(0)} s of audio in ${wallMs.toFixed(0)} ms`);
    }
  } finally {
    await closeSpeechWorkers();
  }
  if (!opts.keep) rm(project);
  return result;
}

// ── the section ───────────────────────────────────────────────────────────────────────────────────────────────────

export async function runMediaBench(benchRoot: string, opts: MediaOptions, log: (line: string) => void = (l) => console.log(l)): Promise<MediaResult> {
  const started = performance.now();
  const root = path.join(benchRoot, 'media');
  fs.mkdirSync(root, { recursive: true });
  const result: MediaResult = { options: opts, totalMs: 0, images: null, rebuild: null, speech: null, notes: [], errors: [] };
  if (opts.images !== MEDIA_DEFAULTS.images || opts.runs !== MEDIA_DEFAULTS.runs || opts.rebuildRuns !== MEDIA_DEFAULTS.rebuildRuns) {
    result.notes.push(`non-default sizes: ${opts.images} photos (default ${MEDIA_DEFAULTS.images}), ${opts.runs} image runs (default ${MEDIA_DEFAULTS.runs}), ${opts.rebuildRuns} cold/warm pairs (default ${MEDIA_DEFAULTS.rebuildRuns})`);
  }
  result.notes.push(`reduced to fit ~4 min on ${os.availableParallelism()} cores: M = ${MEDIA_DEFAULTS.images} photos by default (not 24; --media-images=24), ${MEDIA_DEFAULTS.runs} image runs, ${MEDIA_DEFAULTS.rebuildRuns} cold/warm pair, 1 sample TTS build`);

  const t0 = performance.now();
  const photos = await makePhotos(path.join(root, 'photos'), Math.max(opts.images, REBUILD_IMAGES), opts.seed);
  const inputMB = photos.slice(0, opts.images).reduce((s, f) => s + fs.statSync(f).size, 0) / (1024 * 1024);
  log(`\nmedia: ${opts.images} photo-like JPEGs ${PHOTO.width}×${PHOTO.height} (${inputMB.toFixed(1)} MB) generated in ${(performance.now() - t0).toFixed(0)} ms; work dir ${root}`);

  const section = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      const message = error instanceof BenchError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      result.errors.push(`${name}: ${message}`);
      console.error(`  ${name} failed: ${message}`);
      return null;
    }
  };
  result.images = await section('images/s', () => benchImages(root, photos.slice(0, opts.images), opts, log));
  result.rebuild = await section('cold/warm rebuild', () => benchRebuild(root, photos, opts, log));
  result.speech = await section('text-to-speech', () => benchSpeech(root, opts, log));
  if (result.rebuild && !result.rebuild.warmEncodedNothing) {
    result.errors.push(`the warm rebuild encoded media (its cache missed): ${result.rebuild.warmProblems.join('; ')}`);
  }
  if (!opts.keep) rm(path.join(root, 'photos'));
  result.totalMs = performance.now() - started;
  if (!opts.keep) rm(root);
  return result;
}

// ── report ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** A Markdown table: the first column left-aligned (labels), the others right-aligned (numbers). */
function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: string[]): string => '| ' + cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w, c) => (c === 0 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const row of rows) console.log(line(row));
}

const f0 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(0));
const f1 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(1));
const f2 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(2));

export function printMediaReport(m: MediaResult, cores: number): void {
  console.log(`\nmedia pipeline — ${cores} cores; section took ${(m.totalMs / 1000).toFixed(0)} s`);
  const i = m.images;
  if (i) {
    console.log('');
    table(
      ['images: cold build vs plain sharp loop', 'wall ms (median)', 'images/s', 'files/s', 'hocso / loop (images/s)'],
      [
        [`hocso build --target web (${i.images} × ${i.width}×${i.height} JPEG, empty cache; ${i.hocsoEncodesPerImage} files/image)`, f0(i.hocso.medianMs), f2(i.hocso.imagesPerSec), f1(perSecond(i.images * i.hocsoEncodesPerImage, i.hocso.medianMs)), f2(i.ratio)],
        [`plain sharp loop (child node, sequential awaits; ${i.loopEncodesPerImage} files/image)`, f0(i.plainLoop.medianMs), f2(i.plainLoop.imagesPerSec), f1(perSecond(i.images * i.loopEncodesPerImage, i.plainLoop.medianMs)), '1.00'],
        [`hocso \`media:\` encode time (summed over parallel jobs)`, f0(i.hocso.encodeMsMedian), f2(i.hocso.imagesPerEncodeSec), '', ''],
      ],
    );
    console.log(`median of ${i.runs} runs each (runs: hocso ${i.hocso.wallMs.map((v) => v.toFixed(0)).join(', ')} ms; loop ${i.plainLoop.wallMs.map((v) => v.toFixed(0)).join(', ')} ms); both include Node start-up; hocso also compiles and renders the course, and makes ${i.hocsoEncodesPerImage} files per image (the 960 px JPEG under the source name too); same widths (960, 480) and AVIF/WebP/JPEG settings.`);
  }
  const r = m.rebuild;
  if (r) {
    const w = r.warm[r.warm.length - 1];
    const c = r.cold[r.cold.length - 1];
    console.log('');
    table(
      [`rebuild: ${r.lessons} lessons, ${r.images} photos, ${r.audioClips} clip, ${r.videos} video, TTS; --target ${r.targets.join(' --target ')}`, 'wall ms (median)', 'warm / cold', 'images', 'clips + narrations', 'videos', 'sentences', 'slide videos'],
      [
        ['cold (empty cache): encoded', f0(r.coldMedianMs), '1.00', String(c?.imagesEncoded ?? 'n/a'), String(c?.clipsEncoded ?? 'n/a'), String(c?.videosEncoded ?? 'n/a'), String(c?.sentencesSynthesized ?? 'n/a'), String(c?.slideVideosRendered ?? 'n/a')],
        ['warm (same cache, unchanged sources): encoded', f0(r.warmMedianMs), f2(r.ratio), String(w?.imagesEncoded ?? 'n/a'), String(w?.clipsEncoded ?? 'n/a'), String(w?.videosEncoded ?? 'n/a'), String(w?.sentencesSynthesized ?? 'n/a'), String(w?.slideVideosRendered ?? 'n/a')],
      ],
    );
    console.log(r.warmEncodedNothing ? `warm rebuild encoded nothing (HOCSO_TIMING counters, ${r.runs} pair${r.runs === 1 ? '' : 's'}); ${r.coldMedianMs && r.warmMedianMs ? (r.coldMedianMs / r.warmMedianMs).toFixed(1) : 'n/a'}× faster than cold.` : `WARM REBUILD ENCODED MEDIA: ${r.warmProblems.join('; ')}`);
  }
  const s = m.speech;
  if (s) {
    console.log('');
    const rows: string[][] = [];
    const b = s.build;
    if (b) {
      rows.push([`sample build --lang vi, \`speech:\` line (${b.lessons} lessons)`, String(b.sentences), f0(b.audioSeconds), f1(b.synthMs / 1000), f0(b.ratio)]);
      if (b.withoutNarrationWallMs !== null) rows.push([`  same build, wall time added by narration (speech + ${b.clipsEncoded} Opus/MP3 encodes)`, '', f0(b.audioSeconds), f1((b.wallMs - b.withoutNarrationWallMs) / 1000), f0(b.ratioNarrationWall)]);
      rows.push(['  same build, whole wall time', '', f0(b.audioSeconds), f1(b.wallMs / 1000), f0(b.ratioBuildWall)]);
    }
    for (const p of s.inProcess) rows.push([`synthesize() in process, ${p.language} (voice ${p.voice}, ${p.lessons} lessons)`, String(p.sentences), f0(p.audioSeconds), f1(p.wallMs / 1000), f0(p.ratio)]);
    table(['text-to-speech (eSpeak NG wasm)', 'sentences', 'audio s', 'wall s', 'audio s / wall s'], rows);
    console.log('the `speech:` time is summed over lessons synthesized at the same time (one media job per core) while the other core encodes narration, so its ratio understates the engine; "added by narration" = this build minus the same build without `narration: true`; in-process: lessons one after another on the worker pool (after a warm-up that starts it), no cache.');
  }
  for (const note of m.notes) console.log(`note: ${note}`);
  for (const error of m.errors) console.error(`media: ${error.split('\n')[0]}`);
}
