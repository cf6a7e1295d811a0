// Slides + narration → one MP4: each slide (a PNG) shows from its start to its end time, under the narration's audio,
// with the captions as a soft subtitle track (mov_text, with its language). Made with ffmpeg:
//   - the slides go through the concat demuxer (one `file`/`duration` pair each), sampled at a low constant frame rate
//     (5 fps: a still picture costs almost nothing per frame in H.264, and a slide change is at most 0.2 s late), with
//     a keyframe forced at each slide change so players seek straight to it;
//   - H.264 Main profile, yuv420p, BT.709 (tagged), x264's still-image tuning; AAC-LC mono 64 kb/s; moov atom first
//     (+faststart) so players start before the download ends;
//   - bitexact flags, no creation time, a fixed x264 thread count: the same input gives the same bytes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseBcp47 } from 'bcp-47';
import sharp from 'sharp';
import { requireTool, runTool } from './tools.js';

export interface TimedSlide {
  png: Uint8Array;
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
}

export interface SlideVideoInput {
  slides: TimedSlide[];
  /** The narration, as a WAV file (PCM); the video lasts as long as it. */
  audioWav: Uint8Array;
  /** WebVTT captions of the narration, stored as a mov_text subtitle track. */
  captionsVtt?: string;
  /** The video's title (container metadata). */
  title?: string;
  /** BCP 47 tag of the narration's language: the audio and subtitle tracks' language (as ISO 639-2). */
  language?: string;
}

export interface SlideVideoOptions {
  /** Frames per second of the video. Default 5. */
  fps?: number;
  /** x264 constant rate factor. Default 20. */
  crf?: number;
}

export class SlideVideoError extends Error {}

/** ISO 639-1 → ISO 639-2/T for the languages hocso's courses and their neighbours are in; 3-letter tags pass as they are. */
const ISO639_2: Record<string, string> = {
  vi: 'vie', en: 'eng', km: 'khm', lo: 'lao', th: 'tha', zh: 'zho', fr: 'fra', de: 'deu', es: 'spa', ru: 'rus', ja: 'jpn', ko: 'kor', my: 'mya', ms: 'msa', id: 'ind', tl: 'tgl', hi: 'hin',
};

/** The 3-letter language code an MP4 track can carry for a BCP 47 tag ("und" when there is none). */
export function mp4Language(tag: string | undefined): string {
  if (!tag) return 'und';
  const language = parseBcp47(tag).language?.toLowerCase();
  if (!language) return 'und';
  if (/^[a-z]{3}$/.test(language)) return language;
  return ISO639_2[language] ?? 'und';
}

/** Duration of a PCM WAV file, in seconds, from its header (the data chunk's size over the byte rate). */
export function wavDuration(wav: Uint8Array): number {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const tag = (at: number): string => String.fromCharCode(...wav.subarray(at, at + 4));
  if (wav.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new SlideVideoError('the narration is not a WAV file (no RIFF/WAVE header)');
  let byteRate = 0;
  for (let at = 12; at + 8 <= wav.byteLength; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 16 <= wav.byteLength) byteRate = view.getUint32(at + 16, true);
    if (id === 'data') {
      if (!byteRate) throw new SlideVideoError('the WAV file has no fmt chunk before its data');
      // A streamed WAV may say 0 or 0xFFFFFFFF: the data then runs to the end of the file.
      const available = wav.byteLength - (at + 8);
      const bytes = size === 0 || size > available ? available : size;
      return bytes / byteRate;
    }
    at += 8 + size + (size % 2);
  }
  throw new SlideVideoError('the WAV file has no data chunk');
}

/** The slides as consecutive spans covering [0, duration]: sorted, gaps filled by the slide before, nothing empty. */
export function slideSpans(slides: readonly TimedSlide[], duration: number): { png: Uint8Array; start: number; duration: number }[] {
  const sorted = slides
    .map((s, i) => ({ ...s, i }))
    .filter((s) => Number.isFinite(s.start) && s.start < duration)
    .sort((a, b) => a.start - b.start || a.i - b.i);
  const spans: { png: Uint8Array; start: number; duration: number }[] = [];
  sorted.forEach((slide, n) => {
    const start = n === 0 ? 0 : Math.max(0, slide.start);
    const end = n + 1 < sorted.length ? Math.min(duration, Math.max(start, sorted[n + 1]!.start)) : duration;
    if (end > start) spans.push({ png: slide.png, start, duration: end - start });
  });
  return spans;
}

function seconds(n: number): string {
  return n.toFixed(6);
}

/**
 * Makes the MP4. Rejects with SlideVideoError for input it cannot use, with ToolRunError when ffmpeg fails, with
 * MediaToolError when there is no ffmpeg.
 */
export async function renderSlideVideo(input: SlideVideoInput, options: SlideVideoOptions = {}): Promise<Uint8Array> {
  if (!input.slides.length) throw new SlideVideoError('no slides to show');
  const duration = wavDuration(input.audioWav);
  if (!(duration > 0)) throw new SlideVideoError('the narration is empty');
  const spans = slideSpans(input.slides, duration);
  if (!spans.length) throw new SlideVideoError('no slide starts before the narration ends');
  const fps = options.fps ?? 5;
  const ffmpeg = requireTool('ffmpeg');

  // Every slide is fitted into the first one's size (even numbers: 4:2:0 chroma needs them).
  const meta = await sharp(spans[0]!.png).metadata();
  if (!meta.width || !meta.height) throw new SlideVideoError('the first slide is not a picture sharp can read');
  const width = meta.width - (meta.width % 2);
  const height = meta.height - (meta.height % 2);

  const dir = await mkdtemp(path.join(tmpdir(), 'hocso-slides-'));
  try {
    const list = ['ffconcat version 1.0'];
    for (const [i, span] of spans.entries()) {
      const name = `slide-${String(i).padStart(4, '0')}.png`;
      await writeFile(path.join(dir, name), span.png);
      list.push(`file '${name}'`, `duration ${seconds(span.duration)}`);
    }
    // The concat demuxer ignores the last file's duration unless the file is listed once more.
    list.push(`file 'slide-${String(spans.length - 1).padStart(4, '0')}.png'`);
    await writeFile(path.join(dir, 'slides.ffconcat'), `${list.join('\n')}\n`);
    await writeFile(path.join(dir, 'narration.wav'), input.audioWav);
    const captions = input.captionsVtt !== undefined && input.captionsVtt.trim() !== '';
    if (captions) await writeFile(path.join(dir, 'captions.vtt'), input.captionsVtt!);
    const language = mp4Language(input.language);
    const out = path.join(dir, 'video.mp4');

    const filter = [
      `scale=${width}:${height}:force_original_aspect_ratio=decrease:flags=bicubic+accurate_rnd+full_chroma_int+bitexact:out_color_matrix=bt709:out_range=tv`,
      `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=white`,
      `fps=${fps}`,
      'format=yuv420p',
    ].join(',');
    const keyframes = spans.slice(1).map((s) => seconds(s.start));
    const args = [
      '-nostdin', '-y', '-v', 'error',
      '-f', 'concat', '-i', path.join(dir, 'slides.ffconcat'),
      '-i', path.join(dir, 'narration.wav'),
      ...(captions ? ['-f', 'webvtt', '-i', path.join(dir, 'captions.vtt')] : []),
      '-map', '0:v:0', '-map', '1:a:0', ...(captions ? ['-map', '2:s:0'] : []),
      '-map_metadata', '-1', '-map_chapters', '-1',
      '-vf', filter, '-r', String(fps),
      '-c:v', 'libx264', '-profile:v', 'main', '-preset', 'medium', '-tune', 'stillimage', '-crf', String(options.crf ?? 20),
      '-g', String(fps * 10), ...(keyframes.length ? ['-force_key_frames', keyframes.join(',')] : []),
      '-threads:v', '2',
      '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
      '-c:a', 'aac', '-b:a', '64k', '-ac', '1', '-ar', '44100',
      ...(captions ? ['-c:s', 'mov_text', `-metadata:s:s:0`, `language=${language}`] : []),
      '-metadata:s:v:0', `language=${language}`, '-metadata:s:a:0', `language=${language}`,
      ...(input.title ? ['-metadata', `title=${input.title}`] : []),
      '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
      '-movflags', '+faststart',
      '-t', seconds(duration),
      out,
    ];
    await runTool(ffmpeg, args);
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
