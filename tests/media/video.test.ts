import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course, Lesson } from '../../src/model/course.js';
import { configureMediaCache } from '../../src/media/cache.js';
import { probeFile, requireTool } from '../../src/media/tools.js';
import { planRenditions, prepareVideos, processVideo, shownCoursePath, VideoError, videoClips, videoStats, type ProcessedVideo } from '../../src/media/video.js';
import { lesson } from '../helpers/model.js';
import { tempDir } from '../helpers/project.js';

// A course folder as the compiler sees it: <project>/content/courses/c, its media in media/.
const project = tempDir('hocso-video-');
const root = path.join(project, 'content', 'courses', 'c');
const media = path.join(root, 'media');
const cacheDir = path.join(project, '.hocso-cache');

/** Makes a source clip with ffmpeg's test pattern (and a tone unless `silent`): 3 s, fast to make and to encode. */
function makeSource(name: string, size: string, options: { silent?: boolean; faststart?: boolean } = {}): string {
  const file = path.join(media, name);
  const args = ['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=3`];
  if (!options.silent) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=3');
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '20', '-pix_fmt', 'yuv420p', ...(options.silent ? [] : ['-c:a', 'aac', '-b:a', '128k']), ...(options.faststart ? ['-movflags', '+faststart'] : []), file);
  const result = spawnSync(requireTool('ffmpeg').path, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return `media/${name}`;
}

/** The top-level boxes of an MP4, in order. */
function topLevelBoxes(bytes: Uint8Array): string[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: string[] = [];
  let at = 0;
  while (at + 8 <= view.length) {
    let size = view.readUInt32BE(at);
    const type = view.toString('latin1', at + 4, at + 8);
    if (size === 1) size = Number(view.readBigUInt64BE(at + 8));
    else if (size === 0) size = view.length - at;
    boxes.push(type);
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

async function probeBytes(bytes: Uint8Array, name: string) {
  const file = path.join(project, name);
  writeFileSync(file, bytes);
  return probeFile(file);
}

const rejection = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
};

let hd: string;
let sd: string;
let small: string;
let silent: string;

beforeAll(() => {
  mkdirSync(media, { recursive: true });
  hd = makeSource('hd.mp4', '1280x720'); // no faststart: its moov is at the end (for the truncation test)
  sd = makeSource('sd.mp4', '640x360');
  small = makeSource('small.mp4', '426x240');
  silent = makeSource('silent.mp4', '640x360', { silent: true });
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('planRenditions', () => {
  it('uses the rungs the source fills (by height, or by width for very wide clips), never up, even sizes, at least one', () => {
    const sizes = (w: number, h: number) => planRenditions(w, h).map((p) => `${p.name} ${p.width}x${p.height}`);
    expect(sizes(1920, 1080)).toEqual(['360p 640x360', '720p 1280x720']);
    expect(sizes(1280, 720)).toEqual(['360p 640x360', '720p 1280x720']);
    expect(sizes(854, 480)).toEqual(['360p 640x360']);
    expect(sizes(640, 480)).toEqual(['360p 480x360']);
    expect(sizes(426, 240)).toEqual(['240p 426x240']);
    expect(sizes(427, 241)).toEqual(['240p 426x240']);
    expect(sizes(1280, 536)).toEqual(['360p 640x268', '720p 1280x536']);
    // A phone held upright: the rungs are the short side (360×640, 720×1280).
    expect(sizes(1080, 1920)).toEqual(['360p 360x640', '720p 720x1280']);
  });
});

describe('processVideo', () => {
  let first: ProcessedVideo;

  it('transcodes a 720p clip to 360p and 720p H.264 Main / AAC MP4s with faststart, and a JPEG poster', async () => {
    configureMediaCache(cacheDir);
    const before = { ...videoStats };
    first = await processVideo(root, hd);
    expect(videoStats.encoded).toBe(before.encoded + 1);
    expect(first.source).toBe(hd);
    expect([first.width, first.height]).toEqual([1280, 720]);
    expect(first.duration).toBeCloseTo(3, 1);
    expect(first.renditions.map((r) => [r.width, r.height])).toEqual([[640, 360], [1280, 720]]);
    const tag = /^media\/hd-360p\.([0-9a-f]{8})\.mp4$/.exec(first.renditions[0]!.path)?.[1];
    expect(tag).toBeDefined();
    expect(first.renditions[1]!.path).toBe(`media/hd-720p.${tag}.mp4`);
    expect(first.poster).toEqual({ path: `media/hd-poster.${tag}.jpg`, width: 1280, height: 720 });
    expect([...first.files.keys()].sort()).toEqual([first.poster.path, ...first.renditions.map((r) => r.path)].sort());

    for (const rendition of first.renditions) {
      const bytes = first.files.get(rendition.path)!;
      expect(rendition.bytes).toBe(bytes.length);
      // faststart: the index comes before the media data, so playback starts before the download ends.
      // x264's output depends on its thread count: it is fixed, whatever the machine's cores.
      expect(Buffer.from(bytes).includes(' threads=4 ')).toBe(true);
      const boxes = topLevelBoxes(bytes);
      expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
      expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
      const probe = await probeBytes(bytes, `probe-${rendition.height}.mp4`);
      const video = probe.streams.find((s) => s.codec_type === 'video')!;
      const audio = probe.streams.find((s) => s.codec_type === 'audio')!;
      expect(video).toMatchObject({ codec_name: 'h264', profile: 'Main', pix_fmt: 'yuv420p', width: rendition.width, height: rendition.height });
      expect(audio).toMatchObject({ codec_name: 'aac', channels: 1 });
      expect(Number(probe.format.duration)).toBeCloseTo(3, 1);
      // No dates, encoder names or other tags.
      expect(probe.format.tags?.creation_time).toBeUndefined();
      expect(probe.format.tags?.encoder).toBeUndefined();
    }
    // Small enough for weak 3G: the caps hold even for this busy test pattern.
    expect(first.renditions[0]!.bytes).toBeLessThan(3 * 700_000 / 8 + 60_000);

    const poster = first.files.get(first.poster.path)!;
    const meta = await sharp(poster).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1280, height: 720 });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
  });

  it('gives byte-identical files when the same clip is encoded again without the cache', async () => {
    configureMediaCache(undefined);
    copyFileSync(path.join(root, hd), path.join(media, 'hd-again.mp4'));
    const before = videoStats.encoded;
    const again = await processVideo(root, 'media/hd-again.mp4');
    expect(videoStats.encoded).toBe(before + 1);
    expect(again.renditions.map((r) => r.path.replace('hd-again', 'hd'))).toEqual(first.renditions.map((r) => r.path));
    for (const [i, rendition] of again.renditions.entries()) {
      expect(Buffer.compare(again.files.get(rendition.path)!, first.files.get(first.renditions[i]!.path)!)).toBe(0);
    }
    expect(Buffer.compare(again.files.get(again.poster.path)!, first.files.get(first.poster.path)!)).toBe(0);
  });

  it('serves the same clip from the cache without encoding, and from memory for the same file', async () => {
    configureMediaCache(cacheDir);
    expect(await processVideo(root, hd)).toBe(first);
    copyFileSync(path.join(root, hd), path.join(media, 'hd-copy.mp4'));
    const before = { ...videoStats };
    const cached = await processVideo(root, 'media/hd-copy.mp4');
    expect(videoStats.encoded).toBe(before.encoded);
    expect(videoStats.cacheHits).toBe(before.cacheHits + 1);
    expect(cached.renditions.map((r) => r.bytes)).toEqual(first.renditions.map((r) => r.bytes));
    expect(Buffer.compare(cached.files.get(cached.renditions[1]!.path)!, first.files.get(first.renditions[1]!.path)!)).toBe(0);
  });

  it('never upscales: a 360p clip gives one 360p rendition, a 240p clip one 240p rendition', async () => {
    const a = await processVideo(root, sd);
    expect(a.renditions.map((r) => [r.width, r.height])).toEqual([[640, 360]]);
    expect(a.renditions[0]!.path).toMatch(/^media\/sd-360p\.[0-9a-f]{8}\.mp4$/);
    expect(a.poster).toMatchObject({ width: 640, height: 360 });
    const b = await processVideo(root, small);
    expect(b.renditions.map((r) => [r.width, r.height])).toEqual([[426, 240]]);
    expect(b.renditions[0]!.path).toMatch(/^media\/small-240p\.[0-9a-f]{8}\.mp4$/);
    const probe = await probeBytes(b.files.get(b.renditions[0]!.path)!, 'probe-240.mp4');
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 426, height: 240 });
    expect(Number(probe.format.duration)).toBeCloseTo(3, 1);
  });

  it('writes no audio track for a clip without sound', async () => {
    const v = await processVideo(root, silent);
    const probe = await probeBytes(v.files.get(v.renditions[0]!.path)!, 'probe-silent.mp4');
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video']);
  });

  it('shows a phone clip recorded with a rotation upright', async () => {
    // As a phone stores it: landscape pixels and a display matrix turning them (ffmpeg 4.1 writes the matrix when
    // copying streams, not when encoding).
    const unrotated = makeSource('portrait-raw.mp4', '640x360');
    const rotated = 'media/portrait.mp4';
    spawnSync(requireTool('ffmpeg').path, ['-v', 'error', '-y', '-i', path.join(root, unrotated), '-map', '0', '-c', 'copy', '-metadata:s:v:0', 'rotate=90', path.join(root, rotated)]);
    const v = await processVideo(root, rotated);
    expect(v.renditions.map((r) => [r.width, r.height])).toEqual([[360, 640]]);
    const probe = await probeBytes(v.files.get(v.renditions[0]!.path)!, 'probe-portrait.mp4');
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 360, height: 640 });
    expect(await sharp(v.files.get(v.poster.path)!).metadata()).toMatchObject({ width: 360, height: 640 });
  });

  it('rejects what is not a usable video with a VideoError that says why', async () => {
    const bytes = readFileSync(path.join(root, hd));
    writeFileSync(path.join(media, 'cut.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.3)));
    writeFileSync(path.join(media, 'notes.mp4'), 'Bài 1: xem video này trước buổi học.\n');
    writeFileSync(path.join(media, 'picture.mp4'), await sharp({ create: { width: 32, height: 32, channels: 3, background: '#336699' } }).png().toBuffer());
    writeFileSync(path.join(media, 'empty.mp4'), '');
    writeFileSync(path.join(media, 'noise.mp4'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    spawnSync(requireTool('ffmpeg').path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:a', 'aac', path.join(media, 'sound.mp4')]);
    const cases: [string, RegExp][] = [
      ['media/cut.mp4', /incomplete: its index \(the `moov` box\) is missing/],
      ['media/notes.mp4', /text, not a video/],
      ['media/picture.mp4', /PNG image, not a video/],
      ['media/empty.mp4', /empty/],
      ['media/noise.mp4', /not a video: its content matches no format/],
      ['media/sound.mp4', /sound but no pictures/],
      ['media/none.mp4', /cannot be read \(ENOENT\)/],
    ];
    for (const [file, message] of cases) {
      const error = await rejection(processVideo(root, file));
      expect(error, file).toBeInstanceOf(VideoError);
      expect(error.message, file).toMatch(message);
      expect(error.message, file).not.toContain(project);
    }
  });

  it('finds a clip cut short after its index (faststart source)', async () => {
    const whole = makeSource('front.mp4', '640x360', { faststart: true });
    const bytes = readFileSync(path.join(root, whole));
    writeFileSync(path.join(media, 'front-cut.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.5)));
    const error = await rejection(processVideo(root, 'media/front-cut.mp4'));
    expect(error).toBeInstanceOf(VideoError);
    expect(error.message).toMatch(/truncated/);
  });
});

describe('prepareVideos', () => {
  it('reports an unusable video at the lesson line and caption problems at their line of the VTT file', async () => {
    const at = (line: number) => ({ file: 'content/courses/c/lessons/l1.md', line, column: 1 });
    const vat = (line: number) => ({ file: 'content/courses/c/lessons/l1.en.md', line, column: 1 });
    writeFileSync(path.join(media, 'sd.vi.vtt'), 'WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào\n\n00:01.000 --> 00:05.000\nQuá dài\n');
    writeFileSync(path.join(media, 'sd.en.vtt'), 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n\n00:01.000 -> 00:02.000\nBad arrow\n');
    const variant: Lesson = lesson('l1', [], {
      path: 'lessons/l1.en.md',
      at: vat(1),
      language: 'en',
      blocks: [{ kind: 'video', src: { path: sd, at: vat(9) }, captions: { path: 'media/sd.en.vtt', at: vat(9) } }],
    });
    const l1: Lesson = lesson('l1', [], {
      path: 'lessons/l1.md',
      at: at(1),
      blocks: [
        { kind: 'prose', html: '<p>x</p>' },
        { kind: 'callout', variant: 'tip', blocks: [{ kind: 'video', src: { path: 'media/notes.mp4', at: at(12) }, title: 'Ghi chú' }] },
        { kind: 'steps', steps: [[{ kind: 'video', src: { path: sd, at: at(20) }, captions: { path: 'media/sd.vi.vtt', at: at(20) }, poster: { path: 'media/p.png', at: at(20) } }]] },
        { kind: 'video', src: { path: 'media/gone.mp4', at: at(30) } },
      ],
      variants: { en: variant },
    });
    const course: Course = {
      id: 'c', title: 'C', description: '', language: 'vi', frameworks: [], keywords: [],
      modules: [{ id: 'm', title: 'M', lessons: [l1] }],
      translations: {}, prerequisites: {}, root, at: { file: 'content/courses/c/course.yaml', line: 1, column: 1 },
    };
    expect(videoClips(course).map((c) => [c.path, c.at.line, c.captions?.path, c.poster?.path, c.lesson.language])).toEqual([
      ['media/notes.mp4', 12, undefined, undefined, 'vi'],
      [sd, 20, 'media/sd.vi.vtt', 'media/p.png', 'vi'],
      ['media/gone.mp4', 30, undefined, undefined, 'vi'],
      [sd, 9, 'media/sd.en.vtt', undefined, 'en'],
    ]);
    expect(shownCoursePath(course, 'media/sd.vi.vtt')).toBe('content/courses/c/media/sd.vi.vtt');

    const diagnostics = await prepareVideos([course], 2);
    expect(diagnostics.map((d) => [d.ruleId, d.severity, `${d.file}:${d.line}`])).toEqual([
      ['media/unreadable-video', 'error', 'content/courses/c/lessons/l1.md:12'],
      ['media/captions-past-end', 'warning', 'content/courses/c/media/sd.vi.vtt:6'],
      ['media/bad-captions', 'error', 'content/courses/c/media/sd.en.vtt:6'],
    ]);
    expect(diagnostics[0]!.message).toMatch(/^`media\/notes\.mp4` is not a usable video: the file is text/);
    expect(diagnostics[1]!.message).toMatch(/ends at 0:05\.000, after the video ends \(0:03\.000\)/);
    expect(diagnostics[2]!.message).toMatch(/bad timing line/);
  });
});
