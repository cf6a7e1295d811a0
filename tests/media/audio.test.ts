// The audio step with the real ffmpeg/ffprobe: loudness, format, tags, chapters, determinism, the cache, bad files.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioError, audioClips, audioStats, encodeSpeech, measureLoudness, prepareAudio, processAudio, type EncodedAudio } from '../../src/media/audio.js';
import { configureMediaCache } from '../../src/media/cache.js';
import { probeFile, requireTool, runTool } from '../../src/media/tools.js';
import type { Block, Course, Lesson } from '../../src/model/course.js';
import { lesson } from '../helpers/model.js';
import { tempDir } from '../helpers/project.js';

let work: string;

/** A stereo 44.1 kHz WAV made by ffmpeg from a lavfi source graph. */
async function lavfi(name: string, graph: string, extra: string[] = ['-c:a', 'pcm_s16le']): Promise<string> {
  const file = path.join(work, name);
  await runTool(requireTool('ffmpeg'), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', graph, '-ac', '2', '-ar', '44100', ...extra, file]);
  return file;
}

/** Runs `body` with os.tmpdir() pointing at a fresh folder, and returns what is left in it afterwards. */
async function leftoversOf(body: () => Promise<unknown>): Promise<string[]> {
  const dir = tempDir('hocso-audio-tmp-');
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    await body().catch(() => undefined);
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
  const left = readdirSync(dir);
  rmSync(dir, { recursive: true, force: true });
  return left;
}

function save(name: string, bytes: Uint8Array): string {
  const file = path.join(work, name);
  writeFileSync(file, bytes);
  return file;
}

const TAGS = { title: 'Bài 3: Mật khẩu', album: 'Kỹ năng số', artist: 'Hocso', track: '3/12', language: 'vie', genre: 'Speech', comment: 'a=b; #c' };
const CHAPTERS = [
  { start: 0, end: 1.5, title: 'Mở đầu' },
  { start: 1.5, end: 4, title: 'Phần chính' },
];

beforeAll(() => {
  work = tempDir('hocso-audio-test-');
  configureMediaCache(undefined);
});

afterAll(() => {
  configureMediaCache(undefined);
  rmSync(work, { recursive: true, force: true });
});

describe('encodeSpeech', () => {
  it('normalizes quiet, loud and speech-like stereo clips to -16 LUFS mono Opus and MP3 with tags and chapters', async () => {
    const inputs = {
      quiet: await lavfi('quiet.wav', 'sine=frequency=440:duration=4:sample_rate=44100,volume=-30dB'),
      loud: await lavfi('loud.wav', 'sine=frequency=440:duration=4:sample_rate=44100,volume=17dB'),
      // Pink noise in a voice band, pulsed at a syllable rate: about -25 LUFS with peaks 15 dB higher, like speech, so
      // the gain to -16 LUFS would push its peaks over the ceiling and loudnorm must limit them (its dynamic mode).
      speech: await lavfi('speech.wav', 'anoisesrc=color=pink:duration=4:sample_rate=44100:amplitude=0.9:seed=7,bandpass=f=800:width_type=o:w=3,tremolo=f=4:d=0.95'),
    };
    for (const [name, file] of Object.entries(inputs)) {
      const before = await measureLoudness(file);
      // The inputs really are off target, so the checks below test the normalization.
      expect(Math.abs(before.integrated + 16), `${name} input at ${before.integrated} LUFS`).toBeGreaterThan(5);

      const encoded = await encodeSpeech({ file }, { tags: TAGS, chapters: CHAPTERS });
      expect(encoded.duration).toBeCloseTo(4, 1);
      const opus = save(`${name}.opus`, encoded.opus);
      const mp3 = save(`${name}.mp3`, encoded.mp3);

      const o = await probeFile(opus);
      expect(o.format.format_name).toBe('ogg');
      expect(o.streams.map((s) => [s.codec_type, s.codec_name, s.channels, s.sample_rate])).toEqual([['audio', 'opus', 1, '48000']]);
      expect(Number(o.format.duration)).toBeCloseTo(4, 1);
      // Ogg has no container tags: they are the stream's Vorbis comments.
      expect(o.streams[0]!.tags).toMatchObject({ title: TAGS.title, album: TAGS.album, artist: TAGS.artist, track: '3/12', language: 'vie', genre: 'Speech', comment: TAGS.comment });
      expect(o.chapters.map((c) => [Number(c.start_time), c.tags?.title])).toEqual([[0, 'Mở đầu'], [1.5, 'Phần chính']]);
      // Nothing leaks that would make two builds differ: no version numbers or dates.
      expect(JSON.stringify(o)).not.toMatch(/Lavf\d|Lavc\d|creation_time|date/i);
      for (const bytes of [encoded.opus, encoded.mp3]) expect(Buffer.from(bytes).toString('latin1')).not.toMatch(/Lav[fc]\d/);

      const m = await probeFile(mp3);
      expect(m.format.format_name).toBe('mp3');
      expect(m.streams.map((s) => [s.codec_type, s.codec_name, s.channels, s.sample_rate])).toEqual([['audio', 'mp3', 1, '22050']]);
      expect(Number(m.format.duration)).toBeGreaterThan(3.9);
      expect(Number(m.format.duration)).toBeLessThan(4.15);
      expect(m.format.tags).toMatchObject({ title: TAGS.title, album: TAGS.album, artist: TAGS.artist, track: '3/12', genre: 'Speech', comment: TAGS.comment });
      expect(m.chapters.map((c) => [Number(c.start_time), Number(c.end_time), c.tags?.title])).toEqual([[0, 1.5, 'Mở đầu'], [1.5, 4, 'Phần chính']]);
      expect(readFileSync(mp3).subarray(0, 4).toString('latin1')).toBe('ID3\x03');

      // Small: ~24 kb/s and ~32 kb/s for 4 s (the MP3 is CBR, the Opus constrained VBR), container overhead included.
      expect(encoded.opus.length).toBeLessThan(4 * 3_000 * 1.15);
      expect(encoded.mp3.length).toBeGreaterThan(14_500);
      expect(encoded.mp3.length).toBeLessThan(20_000);

      // Measured on the decoded files, codec included: Opus at 24 kb/s reads ~1.3 LU low on the noise signal (it does not
      // keep all of the energy of noise at this rate), tones and the MP3 stay within 0.5 LU.
      for (const file of [opus, mp3]) {
        const after = await measureLoudness(file);
        expect(after.integrated, `${name} ${path.extname(file)}: ${after.integrated} LUFS`).toBeGreaterThanOrEqual(-17.5);
        expect(after.integrated, `${name} ${path.extname(file)}: ${after.integrated} LUFS`).toBeLessThanOrEqual(-14.5);
        expect(after.truePeak, `${name} ${path.extname(file)}: ${after.truePeak} dBTP`).toBeLessThanOrEqual(-1);
      }
    }
  });

  it('normalizes a clip shorter than loudnorm\'s 3 s window, and a mono input', async () => {
    const file = await lavfi('short.wav', 'sine=frequency=300:duration=2:sample_rate=44100,volume=-20dB,tremolo=f=3:d=0.6');
    const encoded = await encodeSpeech({ file });
    expect(encoded.duration).toBeCloseTo(2, 1);
    const after = await measureLoudness(save('short.opus', encoded.opus));
    expect(Math.abs(after.integrated + 16)).toBeLessThanOrEqual(1.5);
    expect(after.truePeak).toBeLessThanOrEqual(-1);
    const mono = path.join(work, 'mono.flac');
    await runTool(requireTool('ffmpeg'), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=500:duration=3,volume=-10dB', '-ac', '1', mono]);
    const monoOut = await encodeSpeech({ file: mono });
    expect((await probeFile(save('mono.mp3', monoOut.mp3))).streams[0]!.channels).toBe(1);
    expect(Math.abs((await measureLoudness(path.join(work, 'mono.mp3'))).integrated + 16)).toBeLessThanOrEqual(1.5);
  });

  it('encodes the speech synthesizer\'s format: a 22.05 kHz mono WAV with no channel layout, given as bytes', async () => {
    const wav = path.join(work, 'synth.wav');
    await runTool(requireTool('ffmpeg'), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=3:sample_rate=22050,tremolo=f=4:d=0.8', '-ac', '1', '-c:a', 'pcm_s16le', wav]);
    const encoded = await encodeSpeech({ bytes: readFileSync(wav) }, { chapters: [{ start: 0, end: 1.5, title: 'Một' }, { start: 1.5, end: 3, title: 'Hai' }] });
    expect(encoded.duration).toBeCloseTo(3, 1);
    const probed = await probeFile(save('synth.mp3', encoded.mp3));
    expect(probed.streams[0]!.channels).toBe(1);
    expect(probed.chapters.map((c) => c.tags?.title)).toEqual(['Một', 'Hai']);
    expect(Math.abs((await measureLoudness(path.join(work, 'synth.mp3'))).integrated + 16)).toBeLessThanOrEqual(1.5);
  });

  it('leaves a silent clip silent instead of amplifying it into noise', async () => {
    const file = await lavfi('silence.wav', 'anullsrc=sample_rate=44100:channel_layout=stereo,atrim=duration=2');
    const encoded = await encodeSpeech({ file });
    expect(encoded.duration).toBeCloseTo(2, 1);
    const after = await measureLoudness(save('silence.mp3', encoded.mp3));
    expect(after.integrated).toBeLessThanOrEqual(-70);
    expect(after.truePeak).toBeLessThan(-60);
  });

  it('gives byte-identical files for the same input, from a file or from bytes, and leaves no temporary files', async () => {
    configureMediaCache(undefined);
    const file = await lavfi('same.wav', 'anoisesrc=color=pink:duration=3:sample_rate=44100:amplitude=0.5:seed=11,tremolo=f=5:d=0.9');
    const encodedBefore = audioStats.encoded;
    let first: EncodedAudio | undefined;
    let second: EncodedAudio | undefined;
    expect(await leftoversOf(async () => (first = await encodeSpeech({ file }, { tags: TAGS, chapters: CHAPTERS })))).toEqual([]);
    expect(await leftoversOf(async () => (second = await encodeSpeech({ bytes: readFileSync(file) }, { tags: TAGS, chapters: CHAPTERS })))).toEqual([]);
    expect(audioStats.encoded).toBe(encodedBefore + 2);
    expect(Buffer.from(second!.opus).equals(Buffer.from(first!.opus))).toBe(true);
    expect(Buffer.from(second!.mp3).equals(Buffer.from(first!.mp3))).toBe(true);
    expect(second!.duration).toBe(first!.duration);
    // Different tags are different files (so the comparison above is not trivially true).
    const retitled = await encodeSpeech({ file }, { tags: { ...TAGS, title: 'Another' }, chapters: CHAPTERS });
    expect(Buffer.from(retitled.mp3).equals(Buffer.from(first!.mp3))).toBe(false);
    // An error leaves nothing behind either.
    expect(await leftoversOf(() => encodeSpeech({ bytes: Buffer.from('not audio at all\n') }))).toEqual([]);
  });

  it('takes a second encode of the same clip and parameters from the media cache', async () => {
    const cacheDir = tempDir('hocso-audio-cache-');
    try {
      configureMediaCache(cacheDir);
      const file = await lavfi('cached.wav', 'sine=frequency=660:duration=3:sample_rate=44100,volume=-12dB');
      const stats = { ...audioStats };
      const first = await encodeSpeech({ file }, { tags: TAGS });
      expect(audioStats.encoded).toBe(stats.encoded + 1);
      expect(audioStats.cacheHits).toBe(stats.cacheHits);
      expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
      const second = await encodeSpeech({ bytes: readFileSync(file) }, { tags: TAGS });
      expect(audioStats.encoded).toBe(stats.encoded + 1);
      expect(audioStats.cacheHits).toBe(stats.cacheHits + 1);
      expect(audioStats.clips).toBe(stats.clips + 2);
      expect(Buffer.from(second.opus).equals(Buffer.from(first.opus))).toBe(true);
      expect(Buffer.from(second.mp3).equals(Buffer.from(first.mp3))).toBe(true);
      expect(second.duration).toBe(first.duration);
      // Other tags are another key: encoded again.
      await encodeSpeech({ file }, { tags: { ...TAGS, track: '4/12' } });
      expect(audioStats.encoded).toBe(stats.encoded + 2);
    } finally {
      configureMediaCache(undefined);
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('bad media', () => {
  it('rejects with an AudioError that says what is wrong', async () => {
    const good = await lavfi('good.mp3', 'sine=frequency=440:duration=4:sample_rate=44100', ['-c:a', 'libmp3lame', '-b:a', '128k']);
    const wav = await lavfi('good.wav', 'sine=frequency=440:duration=4:sample_rate=44100');
    const png = path.join(work, 'picture.png');
    await runTool(requireTool('ffmpeg'), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=16x16', '-frames:v', '1', png]);
    const cases: [string, Uint8Array, RegExp][] = [
      ['text.mp3', Buffer.from('Xin chào, this is a text file renamed .mp3\n'), /^not an audio file \(ffprobe: Invalid data found when processing input\)$/],
      ['cut.mp3', readFileSync(good).subarray(0, 200), /^the file starts like an MP3 file but cannot be read: it is truncated or damaged \(ffprobe: [^[/]+\)$/],
      ['cut.wav', readFileSync(wav).subarray(0, 200), /^the WAV file is truncated: its header announces 705,\d{3} bytes, the file has 200$/],
      ['half.mp3', readFileSync(good).subarray(0, 30_000), /^the file is truncated: it announces 4\.0 s but only 1\.\d s can be decoded$/],
      ['empty.mp3', new Uint8Array(0), /^the file is empty$/],
      ['picture.mp3', readFileSync(png), /^the file has no audio stream \(ffprobe sees png_pipe with video only\)$/],
    ];
    for (const [name, bytes, message] of cases) {
      const file = save(name, bytes);
      const error = await encodeSpeech({ file }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(AudioError);
      expect((error as Error).message, name).toMatch(message);
    }
    // The whole files are fine (so the failures above come from the damage).
    await expect(encodeSpeech({ file: good })).resolves.toMatchObject({ duration: expect.closeTo(4, 1) });
    await expect(encodeSpeech({ file: path.join(work, 'no-such.mp3') })).rejects.toThrow(/^the file cannot be read \(ENOENT\)$/);
  });
});

describe('course clips', () => {
  const at = (line: number, file = 'content/courses/c/lessons/a.md') => ({ file, line, column: 1 });

  function course(root: string, blocks: Block[], variantBlocks: Block[]): Course {
    const variant: Lesson = lesson('a', [], { path: 'lessons/a.en.md', language: 'en', blocks: variantBlocks });
    const main: Lesson = lesson('a', [], { blocks, variants: { en: variant } });
    return {
      id: 'c', title: 'C', description: '', language: 'vi', frameworks: [], keywords: [],
      modules: [{ id: 'm', title: 'M', lessons: [main] }],
      translations: {}, prerequisites: {}, root, at: at(1, 'content/courses/c/course.yaml'),
    };
  }

  it('processAudio names the variants by content next to the source, and is memoized per file', async () => {
    const root = tempDir('hocso-audio-course-');
    try {
      mkdirSync(path.join(root, 'media'));
      await runTool(requireTool('ffmpeg'), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3,volume=-25dB', path.join(root, 'media', 'lời chào.wav')]);
      const clip = await processAudio(root, 'media/lời chào.wav');
      expect(clip.source).toBe('media/lời chào.wav');
      expect(clip.duration).toBeCloseTo(3, 1);
      expect(clip.variants.map((v) => [v.path.replace(/\.[0-9a-f]{8}\./, '.HASH.'), v.type])).toEqual([
        ['media/lời chào.HASH.opus', 'audio/ogg; codecs=opus'],
        ['media/lời chào.HASH.mp3', 'audio/mpeg'],
      ]);
      expect(new Set(clip.variants.map((v) => v.path.split('.').at(-2))).size).toBe(1);
      expect([...clip.files.keys()]).toEqual(clip.variants.map((v) => v.path));
      expect((await probeFile(save('processed.opus', clip.files.get(clip.variants[0]!.path)!))).streams[0]!.codec_name).toBe('opus');
      expect((await probeFile(save('processed.mp3', clip.files.get(clip.variants[1]!.path)!))).streams[0]!.codec_name).toBe('mp3');
      const encoded = audioStats.encoded;
      expect(await processAudio(root, 'media/lời chào.wav')).toBe(clip);
      expect(audioStats.encoded).toBe(encoded);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('prepareAudio reports an unreadable clip at the line of each lesson that plays it, and skips missing files', async () => {
    const root = tempDir('hocso-audio-course-');
    try {
      mkdirSync(path.join(root, 'media'));
      writeFileSync(path.join(root, 'media', 'broken.mp3'), 'this is not audio\n');
      await runTool(requireTool('ffmpeg'), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2,volume=-25dB', path.join(root, 'media', 'ok.mp3')]);
      const audio = (p: string, line: number, file?: string): Block => ({ kind: 'audio', src: { path: p, at: at(line, file) } });
      const c = course(
        root,
        [audio('media/ok.mp3', 5), { kind: 'callout', variant: 'tip', blocks: [audio('media/broken.mp3', 12)] }, audio('media/missing.mp3', 20)],
        [{ kind: 'steps', steps: [[audio('media/broken.mp3', 7, 'content/courses/c/lessons/a.en.md')]] }],
      );
      expect(audioClips(c).map((u) => [u.path, u.at.line, u.lesson.language])).toEqual([
        ['media/ok.mp3', 5, 'vi'],
        ['media/broken.mp3', 12, 'vi'],
        ['media/missing.mp3', 20, 'vi'],
        ['media/broken.mp3', 7, 'en'],
      ]);
      const diagnostics = await prepareAudio([c], 2);
      expect(diagnostics.map((d) => [d.ruleId, d.severity, `${d.file}:${d.line}`])).toEqual([
        ['media/unreadable-audio', 'error', 'content/courses/c/lessons/a.md:12'],
        ['media/unreadable-audio', 'error', 'content/courses/c/lessons/a.en.md:7'],
      ]);
      expect(diagnostics[0]!.message).toBe('`media/broken.mp3` is not a readable audio file: not an audio file (ffprobe: Invalid data found when processing input)');
      expect(diagnostics[0]!.hint).toMatch(/export it again/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
