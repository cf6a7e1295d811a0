// The audio step: every recorded clip (`::audio` blocks, lesson narrations) is checked with ffprobe, brought to one
// loudness (EBU R128, about -16 LUFS, true peak at most -1 dBTP: a learner never reaches for the volume between two
// clips) and encoded small and mono: Opus in Ogg (~24 kb/s) for current browsers, and an MP3 (~48 kb/s) for old phones.
// Tags and chapters go into both files. The same input always gives the same bytes, and results are content-addressed
// in the media cache, so a rebuild runs no ffmpeg at all.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { courseBlocks, type Course, type Lesson, type SourceLocation } from '../model/course.js';
import { findSourceFile } from '../source/text-file.js';
import { cacheKey, mediaCache, perSourceVersion } from './cache.js';
import { MediaToolError, probeFile, requireTool, runTool, ToolRunError, type Probe } from './tools.js';

/** Loudness targets of the two-pass loudnorm: -16 LUFS integrated (speech on phones), -1.5 dBTP leaves 0.5 dB for the codecs. */
export const LOUDNESS_TARGET = { integrated: -16, truePeak: -1.5, range: 11 } as const;
/** Bump when the pipeline's output changes for the same parameters: old cache entries are then ignored. */
const PIPELINE_VERSION = 4;
const PARAMETERS = {
  pipeline: PIPELINE_VERSION,
  loudness: LOUDNESS_TARGET,
  // Speech needs no more: Opus in VoIP mode at 24 kb/s is clear, and 48 kHz is the only rate Opus really runs at.
  // Constrained VBR: free VBR spends ~30% more on steady tones (music beds, test tones), and bundles have budgets.
  opus: { bitrate: '24k', sampleRate: 48000, application: 'voip', vbr: 'constrained' },
  // MPEG-2 layer III at 22.05 kHz: every phone since the 2000s plays it; 32 kb/s CBR mono keeps speech intelligible
  // (a 4-minute lesson is 0.9 MB, Opus 0.7 MB) — the fallback is downloaded only where Opus does not play.
  mp3: { bitrate: '32k', sampleRate: 22050, id3: 3 },
};

export interface SpeechTags {
  title?: string;
  album?: string;
  artist?: string;
  /** "3/12": the clip's place in its course. */
  track?: string;
  /** Written as given (ID3 TLAN asks for ISO 639-2, most players show anything). */
  language?: string;
  genre?: string;
  /** ffmpeg 4.1 writes it to the MP3 as a TXXX "comment" frame, not COMM (ffprobe reads it back; some players do not show it). */
  comment?: string;
}

export interface SpeechChapter {
  /** Seconds from the start. */
  start: number;
  end: number;
  title: string;
}

export interface EncodeOptions {
  tags?: SpeechTags;
  chapters?: SpeechChapter[];
}

export interface EncodedAudio {
  /** Opus in Ogg, mono, 48 kHz. */
  opus: Uint8Array;
  /** MP3, mono, 22.05 kHz, with ID3v2.3 tags and CHAP frames. */
  mp3: Uint8Array;
  /** Seconds of audio (as decoded from the input). */
  duration: number;
}

export type AudioType = 'audio/ogg; codecs=opus' | 'audio/mpeg';

export interface ProcessedAudio {
  /** Course-relative path of the recorded clip. */
  source: string;
  duration: number;
  /** Opus first: a <source> list is tried in order. */
  variants: { path: string; type: AudioType }[];
  /** Course-relative path → bytes of every file to ship (the variants; the source itself is not included). */
  files: Map<string, Uint8Array>;
}

/** A clip that cannot be used; the message says why in words ("the file is empty", "not an audio file (…)"). */
export class AudioError extends Error {}

/** Observable work counters (tests and HOCSO_TIMING): a cache hit encodes nothing. */
export const audioStats = { clips: 0, encoded: 0, cacheHits: 0, encodeMs: 0 };


/**
 * Normalizes and encodes one clip of speech. Rejects with AudioError when the input is not usable audio, with
 * MediaToolError when there is no ffmpeg/ffprobe.
 */
export async function encodeSpeech(input: { file: string } | { bytes: Uint8Array }, options: EncodeOptions = {}): Promise<EncodedAudio> {
  return (await encodeKeyed('file' in input ? readInput(input.file) : input.bytes, options)).audio;
}

function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AudioError(`the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

interface CachedInfo {
  duration: number;
}

async function encodeKeyed(bytes: Uint8Array, options: EncodeOptions): Promise<{ audio: EncodedAudio; key: string }> {
  audioStats.clips++;
  if (bytes.length === 0) throw new AudioError('the file is empty');
  const tags = cleanTags(options.tags);
  const chapters = checkChapters(options.chapters ?? []);
  // The version is part of the key: another ffmpeg may encode differently, and must not be served old bytes.
  const key = cacheKey(bytes, 'speech', { ...PARAMETERS, tags, chapters }, requireTool('ffmpeg').version);
  const hit = mediaCache()?.get(key);
  const opusHit = hit?.outputs.get('opus');
  const mp3Hit = hit?.outputs.get('mp3');
  if (hit && opusHit && mp3Hit && typeof (hit.info as CachedInfo | undefined)?.duration === 'number') {
    audioStats.cacheHits++;
    return { audio: { opus: opusHit, mp3: mp3Hit, duration: (hit.info as CachedInfo).duration }, key };
  }
  const started = performance.now();
  const audio = await encode(bytes, tags, chapters);
  audioStats.encoded++;
  audioStats.encodeMs += performance.now() - started;
  mediaCache()?.set(key, { info: { duration: audio.duration } satisfies CachedInfo, outputs: new Map([['opus', audio.opus], ['mp3', audio.mp3]]) });
  return { audio, key };
}

/** Tags in a fixed order with empty ones dropped: the cache key and the files then do not depend on how they were written. */
function cleanTags(tags: SpeechTags | undefined): [string, string][] {
  const order: (keyof SpeechTags)[] = ['title', 'album', 'artist', 'track', 'language', 'genre', 'comment'];
  return order.filter((name) => typeof tags?.[name] === 'string' && tags[name]!.trim() !== '').map((name) => [name, tags![name]!.trim()]);
}

function checkChapters(chapters: readonly SpeechChapter[]): SpeechChapter[] {
  const checked = chapters.map((c, i) => {
    if (!Number.isFinite(c.start) || !Number.isFinite(c.end) || c.start < 0 || c.end <= c.start) throw new RangeError(`chapter ${i + 1} ("${c.title}") must have 0 <= start < end, got ${c.start}..${c.end}`);
    return { start: c.start, end: c.end, title: c.title };
  });
  return checked.sort((a, b) => a.start - b.start || a.end - b.end);
}

async function encode(bytes: Uint8Array, tags: [string, string][], chapters: SpeechChapter[]): Promise<EncodedAudio> {
  const ffmpeg = requireTool('ffmpeg');
  // A private folder: ffmpeg reads and writes only files there (no path of the author's reaches its command line,
  // so a name like "-x.mp3" or "pipe:1" means nothing to it), and it is gone afterwards whatever happens.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hocso-audio-'));
  try {
    // No extension: ffmpeg recognizes the format by content alone, so {file} and {bytes} inputs behave the same.
    const input = path.join(dir, 'input');
    writeFileSync(input, bytes);
    const declared = await inspect(input, bytes, dir);

    // Pass 1 measures the downmixed clip (mono before measuring: a stereo clip is 3 LU louder than its mono mix) with
    // the EBU R128 meter: the same figures loudnorm's own first pass gives, five times faster (no 192 kHz resampling).
    const measure = 'aformat=channel_layouts=mono,ebur128=peak=true:framelog=verbose';
    let first;
    try {
      first = await runTool(ffmpeg, ['-nostdin', '-nostats', '-v', 'info', '-i', input, '-map', '0:a:0', '-af', measure, '-f', 'null', '-progress', 'pipe:1', '-']);
    } catch (error) {
      throw new AudioError(`the audio cannot be decoded (ffmpeg: ${toolReason(error, dir)})`);
    }
    const duration = decodedSeconds(first.stdout.toString('utf8'));
    checkComplete(declared, duration);
    const normalize = loudnormPass2(first.stderr);

    const mp3Meta = path.join(dir, 'mp3.ffmeta');
    const oggMeta = path.join(dir, 'ogg.ffmeta');
    writeFileSync(mp3Meta, ffmetadata(tags, chapters, 'chapter-sections'));
    writeFileSync(oggMeta, ffmetadata(tags, chapters, 'vorbis-comments'));
    const opusFile = path.join(dir, 'out.opus');
    const mp3File = path.join(dir, 'out.mp3');
    // Bit-exact: no version strings or dates in the files, and the Ogg stream serial is its index, not random.
    const exact = ['-fflags', '+bitexact', '-flags:a', '+bitexact'];
    // Pass 2: one decode, normalized once, split to the two encoders.
    // Each branch ends in an explicit mono format: from a 22.05 kHz mono input (the speech synthesizer's) ffmpeg 4.1
    // otherwise fails to pick a channel layout for the encoders ("Cannot select channel layout").
    const graph = `[0:a:0]aformat=channel_layouts=mono,${normalize},asplit=2[o][m];[o]aresample=${PARAMETERS.opus.sampleRate},aformat=channel_layouts=mono[opus];[m]aresample=${PARAMETERS.mp3.sampleRate},aformat=channel_layouts=mono[mp3]`;
    try {
      await runTool(ffmpeg, [
        '-nostdin', '-nostats', '-v', 'error',
        '-i', input, '-f', 'ffmetadata', '-i', mp3Meta, '-f', 'ffmetadata', '-i', oggMeta,
        '-filter_complex', graph,
        // Ogg has no global tags: ours become the stream's Vorbis comments, nothing of the input's (-map_metadata -1).
        // ffmpeg 4.1's Ogg muxer writes chapters for Vorbis only, never for Opus, so they are written here as
        // CHAPTER001=00:00:01.500 / CHAPTER001NAME=… comments (the Vorbis chapter extension, which ffprobe and
        // players read) and the muxer's own chapters are turned off, so a newer ffmpeg does not write them twice.
        '-map', '[opus]', '-map_metadata', '-1', '-map_metadata:s:a:0', '2:g', '-map_chapters', '-1',
        '-c:a', 'libopus', '-b:a', PARAMETERS.opus.bitrate, '-application', PARAMETERS.opus.application, '-vbr', PARAMETERS.opus.vbr, ...exact, '-f', 'ogg', opusFile,
        // MP3: ID3v2.3 (what old phones read) with TIT2/TALB/… and one CHAP frame per chapter.
        '-map', '[mp3]', '-map_metadata', '1', '-map_chapters', '1',
        '-c:a', 'libmp3lame', '-b:a', PARAMETERS.mp3.bitrate, '-id3v2_version', String(PARAMETERS.mp3.id3), ...exact, '-f', 'mp3', mp3File,
      ]);
    } catch (error) {
      throw new AudioError(`the audio cannot be encoded (ffmpeg: ${toolReason(error, dir)})`);
    }
    return { opus: readFileSync(opusFile), mp3: readFileSync(mp3File), duration };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const AUDIO_MAGIC: [string, (b: Uint8Array) => boolean][] = [
  ['an MP3', (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0)],
  ['a WAV', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE'],
  ['an Ogg', (b) => ascii(b, 0, 4) === 'OggS'],
  ['a FLAC', (b) => ascii(b, 0, 4) === 'fLaC'],
  ['an MP4/M4A', (b) => ascii(b, 4, 4) === 'ftyp'],
  ['a WebM/Matroska', (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3],
];

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return Buffer.from(bytes.subarray(at, at + length)).toString('latin1');
}

/**
 * Probes the input before any decoding, so that a text file renamed .mp3, a picture or a cut-off download is named
 * as such. Returns the duration the container announces, when it can be trusted to be exact.
 */
async function inspect(file: string, bytes: Uint8Array, dir: string): Promise<number | undefined> {
  const looksLike = AUDIO_MAGIC.find(([, test]) => test(bytes))?.[0];
  // A WAV announces its size in its header: fewer bytes than that is a download that stopped early (ffprobe
  // silently plays what is there). 0 and 0xFFFFFFFF mean "unknown" (a WAV written to a pipe).
  if (looksLike === 'a WAV' && bytes.length >= 8) {
    const announced = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32LE(4) + 8;
    if (announced !== 8 && announced !== 0xffffffff + 8 && announced > bytes.length) {
      throw new AudioError(`the WAV file is truncated: its header announces ${announced.toLocaleString('en')} bytes, the file has ${bytes.length.toLocaleString('en')}`);
    }
  }
  let probe: Probe;
  try {
    probe = await probeFile(file);
  } catch (error) {
    if (error instanceof MediaToolError) throw error;
    const why = toolReason(error, dir);
    throw new AudioError(looksLike ? `the file starts like ${looksLike} file but cannot be read: it is truncated or damaged (ffprobe: ${why})` : `not an audio file (ffprobe: ${why})`);
  }
  const audio = probe.streams.filter((s) => s.codec_type === 'audio');
  if (!audio.length) {
    const others = [...new Set(probe.streams.map((s) => s.codec_type))];
    throw new AudioError(`the file has no audio stream (ffprobe sees ${probe.format.format_name}${others.length ? ` with ${others.join(' and ')} only` : ', empty'})`);
  }
  const announced = Number(probe.format.duration ?? audio[0]!.duration);
  return Number.isFinite(announced) && trustsDuration(probe.format.format_name, bytes) ? announced : undefined;
}

/**
 * Whether the container states its length exactly (a frame count, a sample count, an index), so that a shorter decode
 * means missing data. A plain MP3 without a Xing/Info/VBRI header or an ADTS stream only has an estimate from its first
 * bitrate, which can be far off for VBR: those are never called truncated.
 */
function trustsDuration(formatName: string, bytes: Uint8Array): boolean {
  const formats = formatName.split(',');
  if (formats.includes('mp3')) return hasVbrHeader(bytes);
  return formats.some((f) => ['flac', 'mov', 'mp4', 'm4a', 'matroska', 'webm'].includes(f));
}

function hasVbrHeader(bytes: Uint8Array): boolean {
  let at = 0;
  if (ascii(bytes, 0, 3) === 'ID3' && bytes.length >= 10) {
    const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    at = 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
  }
  while (at + 1 < bytes.length && !(bytes[at] === 0xff && (bytes[at + 1]! & 0xe0) === 0xe0)) at++;
  // The tag sits right after the side information of the first frame (offset 13 to 36 depending on version and mode).
  const head = ascii(bytes, at, 64);
  return head.includes('Xing') || head.includes('Info') || head.includes('VBRI');
}

/** The decode must reach (nearly) the length the container announces: otherwise the end of the file is missing. */
function checkComplete(announced: number | undefined, decoded: number): void {
  if (decoded < 0.05) throw new AudioError(`the file holds no audio to speak of (${decoded.toFixed(3)} s): it is truncated or empty`);
  if (announced !== undefined && decoded < announced * 0.95 - 0.25) {
    throw new AudioError(`the file is truncated: it announces ${announced.toFixed(1)} s but only ${decoded.toFixed(1)} s can be decoded`);
  }
}

/** The last out_time of `-progress` (microseconds in out_time_us, but 4.1 lacks it: parse HH:MM:SS.micro). */
function decodedSeconds(progress: string): number {
  const times = [...progress.matchAll(/^out_time=(\d+):(\d+):(\d+(?:\.\d+)?)$/gm)];
  const last = times[times.length - 1];
  if (!last) return 0;
  return Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]);
}

/**
 * The second loudnorm, fed pass 1's measurements: with them (and a loudness range within the target) it applies one
 * linear gain, which keeps speech natural. It falls back to its dynamic mode (a gentle compressor and a true-peak
 * limiter) when the gain would push peaks over the ceiling, and for clips under 3 s. A silent clip has no loudness
 * (-inf) and is passed through unchanged rather than amplified into noise.
 */
function loudnormPass2(stderr: string): string {
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const figure = (pattern: RegExp): number => {
    const text = pattern.exec(summary)?.[1];
    return text === undefined ? Number.NaN : text === '-inf' ? -Infinity : Number(text);
  };
  const i = figure(/Integrated loudness:\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/);
  const thresh = figure(/Integrated loudness:[\s\S]*?Threshold:\s*(-?[\d.]+|-inf)\s*LUFS/);
  const measuredLra = figure(/Loudness range:\s*LRA:\s*(-?[\d.]+)\s*LU/);
  const tp = figure(/True peak:\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS/);
  if (Number.isNaN(i) || Number.isNaN(tp)) throw new AudioError('the loudness of the audio could not be measured (ffmpeg printed no EBU R128 summary)');
  if (![i, tp, thresh].every(Number.isFinite) || i < -69.9) return 'anull';
  const clamp = (value: number, low: number, high: number): string => Math.min(high, Math.max(low, value)).toFixed(2);
  // ffmpeg 4.1 takes a measured LRA of exactly 0 as "not given" and then refuses linear mode: a steady clip (a tone,
  // a synthesized voice) has LRA 0.00, so it is raised to 0.01, which changes nothing else.
  const lra = Math.max(measuredLra || 0, 0.01);
  const offset = 0;
  const { integrated, truePeak, range } = LOUDNESS_TARGET;
  // Where loudnorm would apply one linear gain anyway (peaks stay under the ceiling, the range is within the target),
  // a plain volume filter does the same without loudnorm's 192 kHz resampling: a third of the time on a long lesson.
  const gain = integrated - i;
  if (tp + gain <= truePeak && lra <= range) return `volume=${gain.toFixed(2)}dB`;
  return `loudnorm=I=${integrated}:TP=${truePeak}:LRA=${range}:measured_I=${clamp(i, -99, 0)}:measured_TP=${clamp(tp, -99, 99)}:measured_LRA=${clamp(lra, 0, 99)}:measured_thresh=${clamp(thresh, -99, 0)}:offset=${clamp(offset, -99, 99)}:linear=true`;
}

/** FFMETADATA1 text: tags, then either [CHAPTER] sections (MP3: CHAP frames) or Vorbis-style CHAPTERnnn tags (Ogg). */
function ffmetadata(tags: [string, string][], chapters: readonly SpeechChapter[], style: 'chapter-sections' | 'vorbis-comments'): string {
  // Special characters of the format are escaped with a backslash (newlines included).
  const escape = (text: string): string => text.replace(/[=;#\\\n]/g, (c) => `\\${c}`);
  const lines = [';FFMETADATA1', ...tags.map(([k, v]) => `${k}=${escape(v)}`)];
  const ms = (seconds: number): number => Math.round(seconds * 1000);
  if (style === 'vorbis-comments') {
    chapters.forEach((c, n) => {
      const number = String(n + 1).padStart(3, '0');
      lines.push(`CHAPTER${number}=${clock(ms(c.start))}`, `CHAPTER${number}NAME=${escape(c.title)}`);
    });
  } else {
    for (const c of chapters) lines.push('', '[CHAPTER]', 'TIMEBASE=1/1000', `START=${ms(c.start)}`, `END=${ms(c.end)}`, `title=${escape(c.title)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** HH:MM:SS.mmm, as the Vorbis chapter extension writes times. */
function clock(ms: number): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

/** The cause ffmpeg/ffprobe gave, without our temporary paths. */
function toolReason(error: unknown, dir: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split(`${dir}${path.sep}`)
      .join('')
      .replace(/\[[\w -]+ @ 0x[0-9a-f]+\] /g, '') // "[mp3 @ 0x123be200] ": which ffmpeg component spoke
      .replace(/(^|; )(input|out\.opus|out\.mp3|mp3\.ffmeta|ogg\.ffmeta): /g, '$1')
      .trim() || 'no reason given'
  );
}

// One result per source file and version of it, shared by every target and language of the build.
const memo = new Map<string, Promise<ProcessedAudio>>();

/** The encoded clip for a course file (course-relative path); rejects with AudioError for a file that is not usable audio. */
export function processAudio(courseRoot: string, coursePath: string): Promise<ProcessedAudio> {
  return perSourceVersion(memo, courseRoot, coursePath, (why) => new AudioError(why), async ({ absolute }) => {
    const { audio, key } = await encodeKeyed(readInput(absolute), {});
    const stem = coursePath.replace(/\.[^./]+$/, '');
    const opus = `${stem}.${key.slice(0, 8)}.opus`;
    const mp3 = `${stem}.${key.slice(0, 8)}.mp3`;
    return {
      source: coursePath,
      duration: audio.duration,
      variants: [
        { path: opus, type: 'audio/ogg; codecs=opus' },
        { path: mp3, type: 'audio/mpeg' },
      ],
      files: new Map([[opus, audio.opus], [mp3, audio.mp3]]),
    };
  });
}

/** Every audio clip of a course (its lessons and their translated variants), with where it is used. */
export function audioClips(course: Course): { path: string; at: SourceLocation; lesson: Lesson }[] {
  return courseBlocks(course).flatMap(({ block: b, lesson }) => (b.kind === 'audio' ? [{ path: b.src.path, at: b.src.at, lesson }] : []));
}

/**
 * Encodes every audio clip of the courses before anything is rendered, a few at a time; an unusable clip becomes an
 * error at the line of the lesson that plays it (never a stack trace). A clip whose file is missing is reported by
 * the compiler (media/missing) and skipped here.
 */
export async function prepareAudio(courses: readonly Course[], concurrency = 2): Promise<Diagnostic[]> {
  const uses = courses.flatMap((course) => audioClips(course).map((use) => ({ ...use, root: course.root }))).filter((u) => findSourceFile(path.join(u.root, ...u.path.split('/'))) !== undefined);
  const unique = [...new Map(uses.map((u) => [path.join(u.root, u.path), u])).values()];
  let next = 0;
  const outcome = new Map<string, { error?: string; hint?: string }>();
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const use = unique[next++]!;
      const id = path.join(use.root, use.path);
      try {
        await processAudio(use.root, use.path);
        outcome.set(id, {});
      } catch (error) {
        // No ffmpeg is not the clip's fault: say so, with the tool's own hint on how to get one.
        if (error instanceof MediaToolError) outcome.set(id, { error: `cannot be encoded: ${error.message}`, hint: error.hint });
        else outcome.set(id, { error: `is not a readable audio file: ${error instanceof AudioError ? error.message : (error as Error).message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const use of uses) {
    const result = outcome.get(path.join(use.root, use.path));
    const where = `${use.at.file}:${use.at.line}:${use.at.column}:${use.path}`;
    if (!result?.error || seen.has(where)) continue;
    seen.add(where);
    diagnostics.push(diagnose('media/unreadable-audio', use.at, `\`${use.path}\` ${result.error}`, result.hint ? { hint: result.hint } : {}));
  }
  return diagnostics;
}

/** Integrated loudness (LUFS) and true peak (dBTP) of a file's first audio stream, by ffmpeg's EBU R128 meter. */
export async function measureLoudness(file: string): Promise<{ integrated: number; truePeak: number }> {
  // framelog=verbose: the per-100-ms lines go to the verbose level, so only the summary is printed at info.
  const { stderr } = await runTool(requireTool('ffmpeg'), ['-nostdin', '-nostats', '-v', 'info', '-i', path.resolve(file), '-map', '0:a:0', '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-']);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = /Integrated loudness:\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(summary)?.[1];
  const truePeak = /True peak:\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS/.exec(summary)?.[1];
  if (integrated === undefined || truePeak === undefined) throw new AudioError('ffmpeg printed no EBU R128 summary');
  const value = (text: string): number => (text === '-inf' ? -Infinity : Number(text));
  return { integrated: value(integrated), truePeak: value(truePeak) };
}
