// The video step of every HTML target: each clip a lesson shows is probed (a picture, a text file or a cut-off
// download renamed .mp4 is named as such), then transcoded into a small ladder of H.264 Main / AAC MP4 files that
// old phones play and weak 3G can stream (faststart: playback starts before the whole file is in), plus a JPEG
// poster. Renditions are never larger than the source. The same input always gives the same bytes (fixed encoder
// threads, bit-exact flags, no dates or tool names in the files), and results are content-addressed in the media
// cache, so a rebuild with unchanged videos runs no ffmpeg at all.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { courseBlocks, type Course, type Lesson, type MediaFile, type SourceLocation } from '../model/course.js';
import { findSourceFile } from '../source/text-file.js';
import { cacheKey, mediaCache, perSourceVersion } from './cache.js';
import { MediaToolError, probeFile, requireTool, runTool, ToolRunError, type Probe, type ProbedStream } from './tools.js';
import { checkCaptions } from './webvtt.js';

/**
 * The ladder: each rung is a box, landscape or portrait (360p fits 640×360 or 360×640, 720p 1280×720 or 720×1280).
 * CRF sets the quality; maxrate/bufsize cap the peaks so that a busy scene does not stall a slow connection. Levels
 * 3.0 and 3.1 of the Main profile are what Android 4-era phones decode in hardware.
 */
export const VIDEO_RUNGS = [
  { height: 360, crf: 29, maxrate: '600k', bufsize: '1200k', level: '3.0' },
  { height: 720, crf: 27, maxrate: '1500k', bufsize: '3000k', level: '3.1' },
] as const;
export type VideoRung = (typeof VIDEO_RUNGS)[number];

/** Bump when the pipeline's output changes for the same parameters: old cache entries are then ignored. */
const PIPELINE_VERSION = 1;
export const VIDEO_PARAMETERS = {
  pipeline: PIPELINE_VERSION,
  rungs: VIDEO_RUNGS,
  // Measured on 10 s 720p clips (2 cores): medium at CRF 29/27 gives about the bytes of veryfast at 28/26 (-11 % to
  // +15 % at 360p, -9 % to equal at 720p) with a higher SSIM in every case, and +0.004 SSIM at equal bitrate, for
  // about twice the CPU time (0.3–0.85 s per second of video for both rungs): paid once, as results are cached, while
  // every learner downloads the bytes.
  // x264's output depends on its thread count: a fixed count makes the bytes the same on every machine.
  x264: { preset: 'medium', profile: 'main', pixFmt: 'yuv420p', threads: 4, keyframeSeconds: 4, maxFps: 30 },
  // bitexact: swscale's C and SIMD paths give the same pixels.
  scaleFlags: 'bicubic+accurate_rnd+bitexact',
  aac: { mono: '64k', stereo: '96k', sampleRates: [44100, 48000], defaultRate: 44100 },
  poster: { atSeconds: 1, atFraction: 0.1, jpeg: { quality: 78, mozjpeg: true } },
};

export interface VideoRendition {
  /** Course-relative path of the MP4 (goes to files/). */
  path: string;
  width: number;
  height: number;
  bytes: number;
}

export interface ProcessedVideo {
  /** Course-relative path of the source clip. */
  source: string;
  /** Size of the largest rendition (the page's <video width height>: the clip's shape as shown). */
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  /** Smallest first. */
  renditions: VideoRendition[];
  /** A frame at min(1 s, 10 % of the clip), the size of the largest rendition. */
  poster: { path: string; width: number; height: number };
  /** Course-relative path → bytes of every file to ship (renditions and poster; the source itself is not included). */
  files: Map<string, Uint8Array>;
}

/** A clip that cannot be used; the message says why in words ("the file is empty", "a PNG image, not a video"). */
export class VideoError extends Error {}

/** Observable work counters (tests and HOCSO_TIMING): a cache hit encodes nothing. */
export const videoStats = { videos: 0, encoded: 0, cacheHits: 0, encodeMs: 0 };


export interface PlannedRendition {
  /** "360p", "720p"; a source smaller than the first rung gives one rendition named after its own size ("240p"). */
  name: string;
  width: number;
  height: number;
  rung: VideoRung;
}

/**
 * The renditions of a source shown at `width`×`height` (after rotation and pixel aspect): every rung the source fills
 * in at least one direction, scaled to fit the rung's box (never up), even sizes, aspect kept; at least one.
 */
export function planRenditions(width: number, height: number): PlannedRendition[] {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const even = (x: number, limit: number): number => Math.min(Math.max(2, Math.round(x / 2) * 2), Math.max(2, Math.floor(limit / 2) * 2));
  const sized = (scale: number): { width: number; height: number } => ({ width: even(width * scale, width), height: even(height * scale, height) });
  const boxLong = (rung: VideoRung): number => Math.round((rung.height * 16) / 9);
  const planned: PlannedRendition[] = [];
  for (const rung of VIDEO_RUNGS) {
    if (short < rung.height && long < boxLong(rung)) continue;
    const scale = Math.min(1, rung.height / short, boxLong(rung) / long);
    planned.push({ name: `${rung.height}p`, ...sized(scale), rung });
  }
  if (!planned.length) {
    const rung = VIDEO_RUNGS[0];
    const size = sized(Math.min(1, rung.height / short, boxLong(rung) / long));
    planned.push({ name: `${Math.min(size.width, size.height)}p`, ...size, rung });
  }
  // Two rungs the same size (a tiny wide source) are one rendition.
  return planned.filter((p, i) => !planned.slice(0, i).some((q) => q.width === p.width && q.height === p.height));
}

// One result per source file and version of it, shared by every target and language of the build.
const memo = new Map<string, Promise<ProcessedVideo>>();

/** The transcoded clip for a course file (course-relative path); rejects with VideoError for a file that is not a usable video. */
export function processVideo(courseRoot: string, coursePath: string): Promise<ProcessedVideo> {
  return perSourceVersion(memo, courseRoot, coursePath, (why) => new VideoError(why), ({ absolute, size }) => run(absolute, coursePath, size));
}

interface CachedInfo {
  duration: number;
  renditions: { name: string; width: number; height: number }[];
  poster: { width: number; height: number };
}

async function run(absolute: string, coursePath: string, size: number): Promise<ProcessedVideo> {
  videoStats.videos++;
  if (size === 0) throw new VideoError('the file is empty');
  const ffmpeg = requireTool('ffmpeg');
  // Videos can be large: the key hashes the file's SHA-256 (streamed) rather than holding its bytes.
  const digest = await fileDigest(absolute);
  // The version is part of the key: another ffmpeg (or its x264) encodes differently, and must not be served old bytes.
  const key = cacheKey(digest, 'video', VIDEO_PARAMETERS, ffmpeg.version);
  const hit = mediaCache()?.get(key);
  if (hit && isCachedInfo(hit.info) && hit.info.renditions.every((r) => hit.outputs.has(r.name)) && hit.outputs.has('poster')) {
    videoStats.cacheHits++;
    return fromEntry(coursePath, hit.info, hit.outputs, key);
  }
  const started = performance.now();
  const { info, outputs } = await encode(absolute);
  videoStats.encoded++;
  videoStats.encodeMs += performance.now() - started;
  mediaCache()?.set(key, { info, outputs });
  return fromEntry(coursePath, info, outputs, key);
}

function isCachedInfo(info: unknown): info is CachedInfo {
  const i = info as CachedInfo | undefined;
  return typeof i?.duration === 'number' && Array.isArray(i.renditions) && i.renditions.length > 0 && typeof i.poster?.width === 'number';
}

function fileDigest(file: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (error: NodeJS.ErrnoException) => reject(new VideoError(`the file cannot be read (${error.code ?? error.message})`)))
      .on('end', () => resolve(hash.digest()));
  });
}

function fromEntry(coursePath: string, info: CachedInfo, outputs: Map<string, Uint8Array>, key: string): ProcessedVideo {
  const stem = coursePath.replace(/\.[^./]+$/, '');
  const tag = key.slice(0, 8);
  const files = new Map<string, Uint8Array>();
  const renditions = info.renditions
    .map((r): VideoRendition => {
      const file = `${stem}-${r.name}.${tag}.mp4`;
      const bytes = outputs.get(r.name)!;
      files.set(file, bytes);
      return { path: file, width: r.width, height: r.height, bytes: bytes.length };
    })
    .sort((a, b) => a.width * a.height - b.width * b.height);
  const posterPath = `${stem}-poster.${tag}.jpg`;
  files.set(posterPath, outputs.get('poster')!);
  const largest = renditions[renditions.length - 1]!;
  return { source: coursePath, width: largest.width, height: largest.height, duration: info.duration, renditions, poster: { path: posterPath, ...info.poster }, files };
}

/** What ffprobe says of a stream beyond tools.ts's ProbedStream. */
interface VideoStream extends ProbedStream {
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  disposition?: Record<string, number>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

interface Source {
  video: VideoStream;
  audio?: ProbedStream;
  /** Shown size: rotation and pixel aspect applied (what ffmpeg's autorotate and our setsar=1 produce). */
  width: number;
  height: number;
  duration: number;
  /** Frame rate as num/den, when known. */
  fps?: [number, number];
}

/** Codecs of still pictures (and text art): ffmpeg reads them as one-frame "videos". */
const STILL_CODECS = new Set(['png', 'apng', 'mjpeg', 'jpegls', 'bmp', 'gif', 'webp', 'tiff', 'jpeg2000', 'ansi', 'pam', 'ppm', 'pgm', 'pbm', 'svg', 'psd', 'xbm', 'xpm', 'tga', 'sgi', 'pcx', 'qdraw', 'pictor', 'dds', 'exr', 'hdr', 'ico']);

async function encode(absolute: string): Promise<{ info: CachedInfo; outputs: Map<string, Uint8Array> }> {
  const source = await inspect(absolute);
  const ffmpeg = requireTool('ffmpeg');
  const planned = planRenditions(source.width, source.height);
  // A private folder for what ffmpeg writes, gone afterwards whatever happens. The source is read in place through
  // the file: protocol, so no name of the author's ("-x.mp4", "pipe:1.mp4") can mean anything else to ffmpeg.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hocso-video-'));
  const input = `file:${absolute}`;
  const why = (error: unknown): string => toolReason(error, [dir, absolute]);
  try {
    const { x264, scaleFlags } = VIDEO_PARAMETERS;
    const vIndex = source.video.index;
    let fps = source.fps;
    let head = `[0:${vIndex}]`;
    if (fps && fps[0] / fps[1] > x264.maxFps + 0.5) {
      // 50 and 60 fps phone clips: every other frame (25, 30), which halves the bits and stays within the levels.
      fps = fps[0] / (2 * fps[1]) <= x264.maxFps + 0.5 ? [fps[0], fps[1] * 2] : [x264.maxFps, 1];
      head += `fps=fps=${fps[0]}/${fps[1]},`;
    }
    const keyint = Math.max(1, Math.round((fps ? fps[0] / fps[1] : 25) * x264.keyframeSeconds));
    const labels = planned.map((_, i) => `v${i}`);
    const graph = [
      `${head}${planned.length > 1 ? `split=${planned.length}${labels.map((l) => `[s${l}]`).join('')}` : 'null[sv0]'}`,
      ...planned.map((p, i) => `[sv${i}]scale=${p.width}:${p.height}:flags=${scaleFlags},setsar=1,format=${x264.pixFmt}[v${i}]`),
    ].join(';');
    const audio = source.audio;
    const audioArgs = audio
      ? [
          '-map', `0:${audio.index}`, '-c:a', 'aac',
          '-ac', (audio.channels ?? 2) >= 2 ? '2' : '1',
          '-b:a', (audio.channels ?? 2) >= 2 ? VIDEO_PARAMETERS.aac.stereo : VIDEO_PARAMETERS.aac.mono,
          '-ar', String(VIDEO_PARAMETERS.aac.sampleRates.includes(Number(audio.sample_rate)) ? Number(audio.sample_rate) : VIDEO_PARAMETERS.aac.defaultRate),
        ]
      : ['-an'];
    const files = planned.map((p) => path.join(dir, `${p.name}.mp4`));
    const args = ['-nostdin', '-nostats', '-v', 'error', '-y', '-i', input, '-filter_complex', graph];
    planned.forEach((p, i) => {
      args.push(
        '-map', `[${labels[i]}]`, ...audioArgs, '-sn', '-dn',
        '-c:v', 'libx264', '-preset', x264.preset, '-profile:v', x264.profile, '-level:v', p.rung.level, '-pix_fmt', x264.pixFmt,
        '-crf', String(p.rung.crf), '-maxrate', p.rung.maxrate, '-bufsize', p.rung.bufsize, '-g', String(keyint), '-threads', String(x264.threads),
        // No tags, chapters, dates or tool names: the bytes depend on the pictures and sound only.
        '-map_metadata', '-1', '-map_chapters', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
        '-movflags', '+faststart', '-max_muxing_queue_size', '4096', '-f', 'mp4', files[i]!,
      );
    });
    let run;
    try {
      // Long clips take long: 10 minutes plus 5 s per second of video before a hung encode is stopped.
      run = await runTool(ffmpeg, args, { timeoutMs: 600_000 + source.duration * 5_000 });
    } catch (error) {
      if (error instanceof MediaToolError) throw error;
      throw new VideoError(`the video cannot be decoded (ffmpeg: ${why(error)})`);
    }
    // A file cut short after its index still probes with its full length; ffmpeg then stops at the cut.
    if (/partial file/i.test(run.stderr)) throw new VideoError(`the file is truncated: it stops before the end its header announces (${source.duration.toFixed(1)} s), as in a download or copy that stopped early`);
    const outputs = new Map<string, Uint8Array>();
    planned.forEach((p, i) => outputs.set(p.name, readFileSync(files[i]!)));
    const decoded = Number((await probeFile(files[0]!)).format.duration);
    if (Number.isFinite(decoded) && decoded < source.duration * 0.9 - 0.5) {
      throw new VideoError(`the file is truncated: it announces ${source.duration.toFixed(1)} s but only ${decoded.toFixed(1)} s can be decoded`);
    }

    const top = planned.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    const poster = await posterFrame(input, source, top, why);
    outputs.set('poster', poster);
    const info: CachedInfo = {
      duration: Math.round(source.duration * 1000) / 1000,
      renditions: planned.map((p) => ({ name: p.name, width: p.width, height: p.height })),
      poster: { width: top.width, height: top.height },
    };
    return { info, outputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The poster: one frame, scaled like the largest rendition, as a JPEG without any metadata. */
async function posterFrame(input: string, source: Source, size: { width: number; height: number }, why: (error: unknown) => string): Promise<Uint8Array> {
  const { poster, scaleFlags } = VIDEO_PARAMETERS;
  const at = Math.min(poster.atSeconds, poster.atFraction * source.duration);
  const grab = async (seconds: number): Promise<Buffer> => {
    const { stdout } = await runTool(requireTool('ffmpeg'), [
      '-nostdin', '-nostats', '-v', 'error', '-ss', seconds.toFixed(3), '-i', input,
      '-map', `0:${source.video.index}`, '-frames:v', '1', '-vf', `scale=${size.width}:${size.height}:flags=${scaleFlags},setsar=1`,
      '-fflags', '+bitexact', '-flags:v', '+bitexact', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1',
    ]);
    return stdout;
  };
  let png: Buffer;
  try {
    png = await grab(at);
    // A clip whose pictures end before its sound: the first frame will do.
    if (png.length === 0 && at > 0) png = await grab(0);
  } catch (error) {
    if (error instanceof MediaToolError) throw error;
    throw new VideoError(`no frame for the poster can be decoded (ffmpeg: ${why(error)})`);
  }
  if (png.length === 0) throw new VideoError('the video has no frame that can be decoded');
  return sharp(png).jpeg(poster.jpeg).toBuffer();
}

const VIDEO_MAGIC: [string, (b: Buffer) => boolean][] = [
  ['an MP4/MOV', (b) => ['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip'].includes(ascii(b, 4, 4))],
  ['a WebM/Matroska', (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3],
  ['an AVI', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'AVI '],
  ['an FLV', (b) => ascii(b, 0, 3) === 'FLV'],
  ['an MPEG', (b) => b[0] === 0 && b[1] === 0 && b[2] === 1 && (b[3] === 0xba || b[3] === 0xb3)],
  ['an MPEG-TS', (b) => b[0] === 0x47 && (b.length < 189 || b[188] === 0x47)],
  ['a WMV/ASF', (b) => b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75],
  ['an Ogg', (b) => ascii(b, 0, 4) === 'OggS'],
];

/** Files that are plainly something else, named in words; the hint of each says what to do. */
const OTHER_MAGIC: [string, (b: Buffer) => boolean][] = [
  ['a PNG image, not a video (show pictures with ![description](file))', (b) => b[0] === 0x89 && ascii(b, 1, 3) === 'PNG'],
  ['a JPEG image, not a video (show pictures with ![description](file))', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['a GIF image, not a video (show pictures with ![description](file))', (b) => ascii(b, 0, 4) === 'GIF8'],
  ['a WebP image, not a video (show pictures with ![description](file))', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP'],
  ['a PDF document, not a video', (b) => ascii(b, 0, 5) === '%PDF-'],
  ['a ZIP archive, not a video', (b) => ascii(b, 0, 4) === 'PK\x03\x04'],
  ['an MP3 audio file, not a video (play sound with ::audio)', (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0)],
  ['a WAV audio file, not a video (play sound with ::audio)', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE'],
  ['a web page (HTML), not a video: the download saved a page instead of the file', (b) => /^\s*<(!doctype html|html|head|body)\b/i.test(ascii(b, 0, 200).replace(/^\uFEFF|^\xef\xbb\xbf/, ''))],
];

function ascii(bytes: Buffer, at: number, length: number): string {
  return bytes.subarray(at, at + length).toString('latin1');
}

function isText(head: Buffer): boolean {
  if (!head.length) return false;
  try {
    // The last bytes may cut a character in two: decode without them.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(head.length >= 512 ? head.subarray(0, head.length - 4) : head);
    return !/[\x00-\x08\x0e-\x1f\x7f]/.test(text);
  } catch {
    return false;
  }
}

function readHead(file: string, length = 512): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } catch (error) {
    throw new VideoError(`the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Probes the file before any decoding, so that a picture, a text file or a cut-off download renamed .mp4 is named as
 * such, and finds the streams to use and the size the clip is shown at.
 */
async function inspect(file: string): Promise<Source> {
  const head = readHead(file);
  const looksLike = VIDEO_MAGIC.find(([, test]) => test(head))?.[0];
  if (!looksLike) {
    const other = OTHER_MAGIC.find(([, test]) => test(head))?.[0];
    if (other) throw new VideoError(`the file is ${other}`);
    if (isText(head)) throw new VideoError('the file is text, not a video (was another file renamed .mp4?)');
  }
  let probe: Probe;
  try {
    probe = await probeFile(file);
  } catch (error) {
    if (error instanceof MediaToolError) throw error;
    const stderr = error instanceof ToolRunError ? `${error.stderr}\n${error.message}` : String(error);
    if (looksLike === 'an MP4/MOV' && /moov atom not found/i.test(stderr)) {
      throw new VideoError('the MP4 file is incomplete: its index (the `moov` box) is missing, as in a download or copy that stopped early');
    }
    if (!looksLike) throw new VideoError('the file is not a video: its content matches no format ffmpeg knows (was another file renamed?)');
    throw new VideoError(`the file starts like ${looksLike} video but cannot be read: it is truncated or damaged (ffprobe: ${toolReason(error, [file])})`);
  }
  const streams = probe.streams as VideoStream[];
  const moving = streams.filter((s) => s.codec_type === 'video' && !s.disposition?.attached_pic && !STILL_CODECS.has(s.codec_name ?? ''));
  const audio = streams.find((s) => s.codec_type === 'audio');
  const video = moving[0];
  if (!video) {
    if (streams.some((s) => s.codec_type === 'video')) throw new VideoError(`the file holds a still picture (${streams.find((s) => s.codec_type === 'video')!.codec_name}), not a video`);
    if (audio) throw new VideoError('the file has sound but no pictures (no video stream): play it with ::audio instead');
    throw new VideoError(`the file holds no video stream (ffprobe sees ${probe.format.format_name}${streams.length ? ` with ${[...new Set(streams.map((s) => s.codec_type))].join(' and ')} only` : ', empty'})`);
  }
  if (!video.width || !video.height) throw new VideoError(`the video stream (${video.codec_name ?? 'unknown codec'}) has no picture size: the file is damaged or its codec is unknown to ffmpeg`);
  const duration = [probe.format.duration, video.duration].map(Number).find((d) => Number.isFinite(d) && d > 0);
  if (duration === undefined) throw new VideoError('the video has no duration: the file is damaged, or holds a single picture');

  // Shown size: a phone's portrait clip is stored landscape with a rotation; anamorphic video has non-square pixels.
  const rotation = Math.abs(Math.round(Number(video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? video.tags?.rotate ?? 0))) % 180;
  const [sarN, sarD] = (video.sample_aspect_ratio ?? '1:1').split(':').map(Number);
  const sar = sarN && sarD ? sarN / sarD : 1;
  let width = video.width * (sar > 0 && Number.isFinite(sar) ? sar : 1);
  let height = video.height;
  if (rotation === 90) [width, height] = [height, width];
  const fps = [video.avg_frame_rate, video.r_frame_rate]
    .map((r) => (r ?? '').split('/').map(Number) as [number, number])
    .find(([n, d]) => n > 0 && d > 0);
  return { video, ...(audio ? { audio } : {}), width: Math.round(width), height: Math.round(height), duration, ...(fps ? { fps } : {}) };
}

/** The cause ffmpeg/ffprobe gave, without our paths. */
function toolReason(error: unknown, paths: string[]): string {
  let message = error instanceof Error ? error.message : String(error);
  for (const p of paths) message = message.split(`file:${p}`).join('the file').split(`${p}${path.sep}`).join('').split(p).join('the file');
  return message.replace(/(^|; )the file: /g, '$1').replace(/\[[\w,]+ @ 0x[0-9a-f]+\] /g, '').trim() || 'no reason given';
}

/** One video block of a lesson (or of a translated variant), with its captions and poster as written. */
export interface VideoClip {
  path: string;
  at: SourceLocation;
  captions?: MediaFile;
  poster?: MediaFile;
  title?: string;
  lesson: Lesson;
}

/** Every video of a course (its lessons and their translated variants), with where it is used. */
export function videoClips(course: Course): VideoClip[] {
  return courseBlocks(course).flatMap(({ block: b, lesson }): VideoClip[] =>
    b.kind === 'video' ? [{ path: b.src.path, at: b.src.at, ...(b.captions ? { captions: b.captions } : {}), ...(b.poster ? { poster: b.poster } : {}), ...(b.title !== undefined ? { title: b.title } : {}), lesson }] : [],
  );
}

/** A course file's path as diagnostics show files: relative to the project root, like the course.yaml it sits by. */
export function shownCoursePath(course: Course, coursePath: string): string {
  const dir = path.posix.dirname(course.at.file.split(path.sep).join('/'));
  return dir === '.' ? coursePath : path.posix.join(dir, coursePath);
}

/** How many encodes run at once: each one is already multi-threaded (two x264 encoders of several threads). */
function videoJobs(concurrency: number): number {
  return Math.max(1, Math.min(concurrency, Math.floor(os.availableParallelism() / 2)));
}

/**
 * Transcodes every video of the courses before anything is rendered, a few at a time, and checks their captions.
 * An unusable video is an error at the line of the lesson that shows it (never a stack trace); a caption problem is
 * reported at its line of the VTT file, with a warning when cues run past the end of the video. Files that are missing
 * are reported by the compiler (media/missing) and skipped here.
 */
export async function prepareVideos(courses: readonly Course[], concurrency = 2): Promise<Diagnostic[]> {
  const exists = (root: string, p: string): boolean => findSourceFile(path.join(root, ...p.split('/'))) !== undefined;
  const uses = courses.flatMap((course) => videoClips(course).map((use) => ({ ...use, course, root: course.root })));
  const playable = uses.filter((u) => exists(u.root, u.path));
  const unique = [...new Map(playable.map((u) => [path.join(u.root, u.path), u])).values()];
  let next = 0;
  const outcome = new Map<string, { video?: ProcessedVideo; error?: string; hint?: string }>();
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const use = unique[next++]!;
      const id = path.join(use.root, use.path);
      try {
        outcome.set(id, { video: await processVideo(use.root, use.path) });
      } catch (error) {
        // No ffmpeg is not the clip's fault: say so, with the tool's own hint on how to get one.
        if (error instanceof MediaToolError) outcome.set(id, { error: `cannot be transcoded: ${error.message}`, hint: error.hint });
        else outcome.set(id, { error: `is not a usable video: ${error instanceof VideoError ? error.message : (error as Error).message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(videoJobs(concurrency), Math.max(1, unique.length)) }, worker));

  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const use of uses) {
    const result = outcome.get(path.join(use.root, use.path));
    const where = `${use.at.file}:${use.at.line}:${use.at.column}:${use.path}`;
    if (!result?.error || seen.has(where)) continue;
    seen.add(where);
    diagnostics.push(diagnose('media/unreadable-video', use.at, `\`${use.path}\` ${result.error}`, result.hint ? { hint: result.hint } : {}));
  }

  // Captions: each file once (several videos or languages may share one), checked against the video it goes with.
  const checked = new Set<string>();
  for (const use of uses) {
    if (!use.captions || !exists(use.root, use.captions.path)) continue;
    const duration = outcome.get(path.join(use.root, use.path))?.video?.duration;
    const id = `${path.join(use.root, use.captions.path)}\0${duration ?? ''}`;
    if (checked.has(id)) continue;
    checked.add(id);
    const file = findSourceFile(path.join(use.root, ...use.captions.path.split('/')))!;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      diagnostics.push(diagnose('media/bad-captions', use.captions.at, `\`${use.captions.path}\` cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`));
      continue;
    }
    diagnostics.push(...checkCaptions(bytes, shownCoursePath(use.course, use.captions.path), duration));
  }
  // The same caption file checked against two lengths repeats its own problems: keep each once.
  const unique2 = new Map(diagnostics.map((d) => [`${d.ruleId}\0${d.file}\0${d.line}\0${d.column}\0${d.message}`, d]));
  return [...unique2.values()];
}
