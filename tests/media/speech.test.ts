import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NarrationScript } from '../../src/media/narration-script.js';
import { cuesToVtt, espeakVoices, missingVoices, SpeechError, speechStats, synthesize, voiceFor, type Narration, type Voice } from '../../src/media/speech.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hocso-speech-test-'));

const vietnamese: NarrationScript = {
  language: 'vi',
  chapters: [
    { title: 'Mật khẩu an toàn', sentences: ['Mật khẩu an toàn', 'Mật khẩu mạnh có ít nhất mười hai ký tự.'] },
    { title: 'Tin nhắn lạ', sentences: ['Đừng bấm vào đường link trong tin nhắn lạ.'] },
  ],
};

/** The fields of a canonical 44-byte-header WAV. */
function header(wav: Uint8Array) {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const ascii = (at: number) => Buffer.from(wav.subarray(at, at + 4)).toString('latin1');
  return {
    riff: ascii(0),
    riffSize: view.getUint32(4, true),
    wave: ascii(8),
    fmt: ascii(12),
    format: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    sampleRate: view.getUint32(24, true),
    byteRate: view.getUint32(28, true),
    bits: view.getUint16(34, true),
    data: ascii(36),
    dataSize: view.getUint32(40, true),
  };
}

/** What every narration must satisfy: a valid WAV, exact duration, ordered cues inside chapters that tile the audio. */
function expectWellFormed(narration: Narration, script: NarrationScript): void {
  const h = header(narration.wav);
  expect(h).toMatchObject({ riff: 'RIFF', wave: 'WAVE', fmt: 'fmt ', format: 1, channels: 1, sampleRate: 22050, byteRate: 44100, bits: 16, data: 'data' });
  expect(h.dataSize).toBe(narration.wav.length - 44);
  expect(h.riffSize).toBe(narration.wav.length - 8);
  expect(narration.sampleRate).toBe(22050);
  expect(narration.duration).toBe(h.dataSize / 2 / 22050);
  const texts = script.chapters.flatMap((c) => c.sentences);
  expect(narration.cues.map((c) => c.text)).toEqual(texts);
  expect(narration.cues.map((c) => c.chapter)).toEqual(script.chapters.flatMap((c, i) => c.sentences.map(() => i)));
  let previousEnd = 0;
  for (const cue of narration.cues) {
    expect(cue.start).toBeGreaterThanOrEqual(previousEnd);
    expect(cue.end).toBeGreaterThan(cue.start);
    expect(cue.end).toBeLessThanOrEqual(narration.duration);
    previousEnd = cue.end;
  }
  for (let i = 1; i < narration.cues.length; i++) expect(narration.cues[i]!.start).toBeGreaterThan(narration.cues[i - 1]!.start);
  expect(narration.chapters.map((c) => c.title)).toEqual(script.chapters.map((c) => c.title));
  expect(narration.chapters[0]!.start).toBe(0);
  expect(narration.chapters.at(-1)!.end).toBe(narration.duration);
  narration.chapters.forEach((chapter, i) => {
    if (i > 0) expect(chapter.start).toBe(narration.chapters[i - 1]!.end);
    for (const cue of narration.cues.filter((c) => c.chapter === i)) {
      expect(cue.start).toBeGreaterThanOrEqual(chapter.start);
      expect(cue.end).toBeLessThanOrEqual(chapter.end);
    }
  });
}

/** The samples of the narration between two times: loud where speech is, quiet in the pauses. */
function peak(narration: Narration, from: number, to: number): number {
  const view = new DataView(narration.wav.buffer, narration.wav.byteOffset + 44);
  let max = 0;
  for (let i = Math.round(from * 22050); i < Math.round(to * 22050); i++) max = Math.max(max, Math.abs(view.getInt16(2 * i, true)));
  return max;
}

describe('voices', () => {
  it('lists the eSpeak NG voices and matches language tags to them', async () => {
    const voices = await espeakVoices();
    expect(voices).toEqual(expect.arrayContaining(['vi', 'vi-vn-x-central', 'vi-vn-x-south', 'en-us', 'en-gb', 'th']));
    expect(await voiceFor('vi')).toEqual({ engine: 'espeak-ng', name: 'vi' });
    expect(await voiceFor('vi-VN')).toEqual({ engine: 'espeak-ng', name: 'vi' });
    expect(await voiceFor('en')).toEqual({ engine: 'espeak-ng', name: 'en-us' });
    expect(await voiceFor('en-GB')).toEqual({ engine: 'espeak-ng', name: 'en-gb' });
  });

  it('has no voice for Hmong, Tày or Khmer unless configured; a configured `none` silences a language', async () => {
    for (const tag of ['hmn', 'tyz', 'km', 'hnj', 'mww', 'nut', 'blt', 'cjm']) expect(await voiceFor(tag)).toBeUndefined();
    expect(await voiceFor('hmn', { hmn: 'vi' })).toEqual({ engine: 'espeak-ng', name: 'vi' });
    expect(await voiceFor('hmn-Latn', { HMN: 'vi-vn-x-south' })).toEqual({ engine: 'espeak-ng', name: 'vi-vn-x-south' });
    expect(await voiceFor('vi', { vi: 'none' })).toBeUndefined();
    expect(await voiceFor('vi', { en: 'none' })).toEqual({ engine: 'espeak-ng', name: 'vi' });
    expect(await missingVoices(['vi', 'hmn', 'tyz', 'km', 'en', 'hmn'])).toEqual(['hmn', 'tyz', 'km']);
    expect(await missingVoices(['vi', 'hmn', 'tyz'], { hmn: 'vi', vi: 'none' })).toEqual(['vi', 'tyz']);
  });
});

describe('synthesis with eSpeak NG', () => {
  it('speaks Vietnamese sentence by sentence into one WAV with exact cues and chapters', async () => {
    const voice = (await voiceFor('vi'))!;
    const narration = await synthesize(vietnamese, voice);
    expectWellFormed(narration, vietnamese);
    expect(narration.duration).toBeGreaterThan(1);
    // Speech inside the cues, silence in the pauses between them.
    const [a, b, c] = narration.cues;
    expect(peak(narration, b!.start, b!.end)).toBeGreaterThan(3000);
    expect(peak(narration, a!.end + 0.001, b!.start - 0.001)).toBe(0);
    expect(c!.start - b!.end).toBeCloseTo(0.8, 3); // the pause between chapters
    expect(b!.start - a!.end).toBeCloseTo(0.3, 3); // and between sentences
    // The same input gives the same bytes.
    const again = await synthesize(vietnamese, voice);
    expect(Buffer.from(again.wav).equals(Buffer.from(narration.wav))).toBe(true);
    expect(again.cues).toEqual(narration.cues);
  });

  it('speaks English with the voice found for `en`', async () => {
    const script: NarrationScript = { language: 'en', chapters: [{ title: 'Passwords', sentences: ['Passwords', 'A strong password has at least twelve characters.'] }] };
    const narration = await synthesize(script, (await voiceFor('en'))!);
    expectWellFormed(narration, script);
    expect(narration.duration).toBeGreaterThan(1.5);
  });

  it('caches whole narrations: a second build synthesizes nothing', async () => {
    const cacheDir = path.join(tmp, 'cache');
    const script: NarrationScript = { language: 'vi', chapters: [{ title: 'Bộ nhớ đệm', sentences: ['Câu này chỉ được đọc một lần.'] }] };
    const voice = (await voiceFor('vi'))!;
    const before = { ...speechStats };
    const first = await synthesize(script, voice, { cacheDir });
    expect(speechStats.synthesized - before.synthesized).toBe(1);
    expect(speechStats.cacheHits - before.cacheHits).toBe(0);
    expect(speechStats.audioSeconds - before.audioSeconds).toBeCloseTo(first.duration, 6);
    const middle = { ...speechStats };
    const second = await synthesize(script, voice, { cacheDir });
    expect(speechStats.synthesized).toBe(middle.synthesized);
    expect(speechStats.cacheHits - middle.cacheHits).toBe(1);
    expect(speechStats.lessons - before.lessons).toBe(2);
    expect(Buffer.from(second.wav).equals(Buffer.from(first.wav))).toBe(true);
    expect(second).toMatchObject({ duration: first.duration, chapters: first.chapters, cues: first.cues, sampleRate: 22050 });
    // Another voice is another entry.
    await synthesize(script, { engine: 'espeak-ng', name: 'vi-vn-x-south' }, { cacheDir });
    expect(speechStats.synthesized).toBe(middle.synthesized + 1);
  });

  it('reports an unknown eSpeak voice as a SpeechError', async () => {
    await expect(synthesize(vietnamese, { engine: 'espeak-ng', name: 'xx-nope' })).rejects.toBeInstanceOf(SpeechError);
  });
});

describe('an external engine', () => {
  const dir = path.join(tmp, 'engine dir');
  mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'calls.log');
  // Writes a 44.1 kHz stereo sine (0.2 s + 10 ms per character) to {output}, and logs what it was given.
  const fake = path.join(dir, 'fake-engine.mjs');
  writeFileSync(fake, `
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
const [textFile, output, lang] = process.argv.slice(2);
const text = readFileSync(textFile, 'utf8').trim();
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ text, lang }) + '\\n');
const rate = 44100, frames = Math.round(rate * (0.2 + 0.01 * [...text].length));
const wav = Buffer.alloc(44 + frames * 4);
wav.write('RIFF', 0); wav.writeUInt32LE(36 + frames * 4, 4); wav.write('WAVE', 8); wav.write('fmt ', 12);
wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(2, 22); wav.writeUInt32LE(rate, 24);
wav.writeUInt32LE(rate * 4, 28); wav.writeUInt16LE(4, 32); wav.writeUInt16LE(16, 34); wav.write('data', 36); wav.writeUInt32LE(frames * 4, 40);
for (let i = 0; i < frames; i++) { const s = Math.round(12000 * Math.sin(2 * Math.PI * 440 * i / rate)); wav.writeInt16LE(s, 44 + 4 * i); wav.writeInt16LE(s, 46 + 4 * i); }
writeFileSync(output, wav);
`);
  const failing = path.join(dir, 'failing-engine.mjs');
  writeFileSync(failing, `process.stderr.write('loading voice…\\nerror: model hmn.onnx not found\\n'); process.exit(3);\n`);

  it('runs the command per sentence without a shell and converts its WAV to 22050 Hz mono', async () => {
    const script: NarrationScript = {
      language: 'hmn',
      chapters: [
        { title: 'Lo lus zais', sentences: ['Lo lus zais', 'Koj tus password yuav tsum ntev; $HOME `x` "y" & z.'] },
        { title: 'Ob', sentences: ['Tsis txhob qhib link.'] },
      ],
    };
    const voice: Voice = { engine: 'command', command: `${JSON.stringify(process.execPath)} "${fake}" {text} {output} --lang={lang}`, language: 'hmn' };
    const narration = await synthesize(script, voice);
    expectWellFormed(narration, script);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; lang: string });
    // Sentences run in parallel (in any order); each got its own text file, in UTF-8, with nothing expanded.
    const byText = (a: { text: string }, b: { text: string }) => (a.text < b.text ? -1 : 1);
    expect(calls.sort(byText)).toEqual(script.chapters.flatMap((c) => c.sentences).map((text) => ({ text, lang: '--lang=hmn' })).sort(byText));
    // Each cue lasts what the engine wrote (resampled), give or take the trimmed edges.
    narration.cues.forEach((cue) => expect(cue.end - cue.start).toBeCloseTo(0.2 + 0.01 * [...cue.text].length, 1));
    expect(peak(narration, narration.cues[1]!.start, narration.cues[1]!.end)).toBeGreaterThan(10000);
  });

  it('fails with a SpeechError carrying the end of the command’s error output', async () => {
    const script: NarrationScript = { language: 'hmn', chapters: [{ title: 'A', sentences: ['Nyob zoo.'] }] };
    const error = await synthesize(script, { engine: 'command', command: `${process.execPath} '${failing}' {text} {output}`, language: 'hmn' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechError);
    expect((error as SpeechError).message).toContain('exited with 3');
    expect((error as SpeechError).message).toContain('model hmn.onnx not found');
    expect((error as SpeechError).stderr).toContain('model hmn.onnx not found');
    await expect(synthesize(script, { engine: 'command', command: '/no/such/engine {text} {output}', language: 'hmn' })).rejects.toThrow(/could not start/);
    await expect(synthesize(script, { engine: 'command', command: `${process.execPath} -e "" {text}`, language: 'hmn' })).rejects.toThrow(/\{output\}/);
    await expect(synthesize(script, { engine: 'command', command: `${process.execPath} -e "" {text} {output}`, language: 'hmn' })).rejects.toThrow(/without writing/);
  });
});

describe('WebVTT captions', () => {
  it('writes cues that parse back with their times, order and escaped text', () => {
    const cues = [
      { start: 0, end: 1.2344, text: 'Mật khẩu <mạnh> & an toàn', chapter: 0 },
      { start: 1.5344, end: 62.0005, text: 'Dòng hai --> vẫn là chữ', chapter: 0 },
      { start: 3725.25, end: 3726.5, text: 'Cuối', chapter: 1 },
    ];
    const vtt = cuesToVtt(cues);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const blocks = vtt.slice('WEBVTT\n\n'.length).trim().split(/\n\n/);
    const parsed = blocks.map((block) => {
      const [id, timing, ...text] = block.split('\n');
      const match = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(timing!);
      expect(match).not.toBeNull();
      const seconds = (h: string, m: string, s: string, ms: string) => Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
      return { id, start: seconds(...(match!.slice(1, 5) as [string, string, string, string])), end: seconds(...(match!.slice(5, 9) as [string, string, string, string])), text: text.join('\n') };
    });
    expect(parsed.map((p) => p.id)).toEqual(['1', '2', '3']);
    parsed.forEach((p, i) => {
      expect(p.start).toBeCloseTo(cues[i]!.start, 3);
      expect(p.end).toBeCloseTo(cues[i]!.end, 3);
      expect(p.end).toBeGreaterThan(p.start);
      if (i > 0) expect(p.start).toBeGreaterThanOrEqual(parsed[i - 1]!.end);
    });
    expect(parsed.map((p) => p.text)).toEqual(['Mật khẩu &lt;mạnh&gt; &amp; an toàn', 'Dòng hai --&gt; vẫn là chữ', 'Cuối']);
    expect(blocks[2]!.split('\n')[1]).toBe('01:02:05.250 --> 01:02:06.500');
  });
});
