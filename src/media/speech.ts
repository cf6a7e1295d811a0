// Speech for narration: a NarrationScript becomes one WAV (22050 Hz, mono, 16-bit) with exact chapter and sentence
// timings. Every sentence is synthesized on its own and the PCM is joined here, with fixed pauses, so each cue's start
// and end are sample-exact (they drive captions, EPUB media overlays and slide timing).
//
// Engines: eSpeak NG compiled to WebAssembly (the espeak-ng package, see speech-worker.ts) for the languages it has
// a voice for, or an external program (`narration.command` in hocso.config.yaml), run without a shell once per
// sentence: {text} is a UTF-8 file holding the sentence (also given on its standard input), {output} the WAV to write,
// {lang} the language tag. Its WAV is converted with ffmpeg when it is not already 22050 Hz mono 16-bit.
//
// Measured on the 2-core CI machine (Node 20; other builds running, load 2.5–8):
//   - the package's own way, a new emscripten instance per run: ≈ 140–230 ms for the first, 90–130 ms for each one
//     after (the wasm compilation is not what costs: WebAssembly.compile takes 25–40 ms; instantiating and unpacking
//     espeak-ng-data does), so one instance per sentence would be ≈ 10× slower than this engine;
//   - this engine (speech-worker.ts: one instance, memory reset, main() called again): ≈ 150–250 ms to start (compile +
//     instantiate + `--voices`), then ≈ 50–150 ms per sentence for the first few (the JIT warming up) and 10–25 ms once
//     warm: ≈ 250–430 seconds of audio per second of wall time on a 150-sentence Vietnamese script (770 s of audio);
//   - worker threads: see MIN_SENTENCES_FOR_WORKERS.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cacheKey, MediaCache } from './cache.js';
import type { NarrationScript } from './narration-script.js';
import { EspeakEngine, EspeakRunError, espeakPackage, espeakWasm, readWav } from './speech-worker.js';
import { requireTool, runTool } from './tools.js';

export type Voice = { engine: 'espeak-ng'; name: string } | { engine: 'command'; command: string; language: string };

export interface Narration {
  /** One RIFF WAV: 22050 Hz, mono, 16-bit. */
  wav: Uint8Array;
  sampleRate: number;
  /** Seconds: samples / sampleRate. */
  duration: number;
  /** Contiguous, from 0 to duration; a boundary lies in the middle of the pause between two chapters. */
  chapters: { start: number; end: number; title: string }[];
  /** One per sentence, in order, in seconds; chapter is the index into chapters. */
  cues: { start: number; end: number; text: string; chapter: number }[];
}

export type Cue = Narration['cues'][number];

export const SAMPLE_RATE = 22050;
/** Silence between two sentences, and between two chapters (seconds). */
export const SENTENCE_PAUSE = 0.3;
export const CHAPTER_PAUSE = 0.8;
/** Silence kept before and after each sentence once espeak's own (≈ 0.3 s at the end) is trimmed. */
const EDGE_SILENCE = 0.02;
/** |sample| at or below this is silence (−54 dBFS). */
const SILENCE_LEVEL = 64;

export class SpeechError extends Error {
  constructor(
    message: string,
    /** The end of the engine's error output. */
    readonly stderr = '',
  ) {
    super(message);
  }
}

/**
 * Counters for build reports: lessons = scripts asked for (cache hits included), synthesized = sentences spoken,
 * cacheHits = scripts served from the cache; audioSeconds and synthMs count only what was synthesized.
 */
export const speechStats = { lessons: 0, synthesized: 0, cacheHits: 0, audioSeconds: 0, synthMs: 0 };

// ── eSpeak NG in this thread ─────────────────────────────────────────────────────────────────────────────────────────

let mainEngine: Promise<EspeakEngine> | undefined;

function engine(): Promise<EspeakEngine> {
  mainEngine ??= EspeakEngine.create().catch((error: unknown) => {
    mainEngine = undefined;
    throw new SpeechError(`eSpeak NG (WebAssembly) does not load: ${(error as Error).message}`);
  });
  return mainEngine;
}

interface EspeakVoice {
  /** What `-v` takes: the language column of `--voices`, lowercase (vi, vi-vn-x-south, en-us …). */
  name: string;
  /** Other languages it speaks, with espeak's priority (lower is better): en-gb → en 2. */
  also: { tag: string; priority: number }[];
}

let voiceTable: Promise<EspeakVoice[]> | undefined;

function espeakVoiceTable(): Promise<EspeakVoice[]> {
  voiceTable ??= engine()
    .then((e) => parseVoices(e.run(['--voices']).stdout))
    .catch((error: unknown) => {
      voiceTable = undefined;
      throw error;
    });
  return voiceTable;
}

/** `espeak-ng --voices`: "Pty Language Age/Gender VoiceName File Other Languages", one voice a line. */
function parseVoices(lines: readonly string[]): EspeakVoice[] {
  const voices = new Map<string, EspeakVoice>();
  for (const line of lines.slice(1)) {
    const columns = line.trim().split(/\s+/);
    const name = columns[1]?.toLowerCase();
    if (!name || columns.length < 5 || voices.has(name)) continue;
    const also = [...columns.slice(5).join(' ').matchAll(/\(([^\s()]+)\s+(\d+)\)/g)].map((m) => ({ tag: m[1]!.toLowerCase(), priority: Number(m[2]) }));
    voices.set(name, { name, also });
  }
  return [...voices.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every eSpeak NG voice name, sorted (asked once per process). */
export async function espeakVoices(): Promise<string[]> {
  return (await espeakVoiceTable()).map((v) => v.name);
}

/** The voice a bare language gets when espeak has several and none is named by the language alone. */
const PREFERRED: Record<string, string> = { en: 'en-us', zh: 'cmn', pt: 'pt-br' };

function matchVoice(tag: string, voices: readonly EspeakVoice[]): string | undefined {
  const names = new Set(voices.map((v) => v.name));
  const subtags = tag.toLowerCase().replace(/_/g, '-').split('-').filter(Boolean);
  // Exact, then ever shorter prefixes: vi-VN → vi, en-GB-oxendict → en-gb.
  for (let n = subtags.length; n > 0; n--) {
    const prefix = subtags.slice(0, n).join('-');
    if (names.has(prefix)) return prefix;
    if (n === 1) break;
  }
  const primary = subtags[0];
  if (!primary) return undefined;
  const preferred = PREFERRED[primary];
  if (preferred && names.has(preferred)) return preferred;
  // A voice that lists the language among its others (zh → cmn), by espeak's priority; then a regional voice (xx-yy).
  const aliased = voices
    .flatMap((v) => v.also.filter((a) => a.tag === primary).map((a) => ({ name: v.name, priority: a.priority })))
    .sort((a, b) => a.priority - b.priority || a.name.length - b.name.length || (a.name < b.name ? -1 : 1))[0];
  if (aliased) return aliased.name;
  return voices.map((v) => v.name).filter((name) => name.startsWith(`${primary}-`)).sort((a, b) => a.length - b.length || (a < b ? -1 : 1))[0];
}

function configuredFor(language: string, configured: Record<string, string> | undefined): string | undefined {
  if (!configured) return undefined;
  const entries = Object.entries(configured).map(([tag, value]) => [tag.toLowerCase(), value] as const);
  const subtags = language.toLowerCase().split('-');
  for (let n = subtags.length; n > 0; n--) {
    const prefix = subtags.slice(0, n).join('-');
    const found = entries.find(([tag]) => tag === prefix);
    if (found) return found[1].trim();
  }
  return undefined;
}

/**
 * The eSpeak NG voice for a language: the configured one (language tag → voice name, or `none`) wins; else the voice
 * named by the tag (exact, then by its primary subtag: vi-VN → vi, en → en-us); else undefined (hmn, tyz, km …).
 */
export async function voiceFor(language: string, configured?: Record<string, string>): Promise<Voice | undefined> {
  const wanted = configuredFor(language, configured);
  if (wanted !== undefined && wanted.toLowerCase() === 'none') return undefined;
  const voices = await espeakVoiceTable();
  const name = matchVoice(wanted || language, voices);
  return name ? { engine: 'espeak-ng', name } : undefined;
}

/** The languages (deduplicated, in order) that get no voice. */
export async function missingVoices(languages: readonly string[], configured?: Record<string, string>): Promise<string[]> {
  const missing: string[] = [];
  for (const language of new Set(languages)) if (!(await voiceFor(language, configured))) missing.push(language);
  return missing;
}

// ── synthesis ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Bump when the output of the same engine changes (pauses, trimming). */
const LAYOUT_VERSION = 1;

function engineVersion(voice: Voice): string {
  return voice.engine === 'espeak-ng' ? `espeak-ng@${espeakPackage().version}` : 'command';
}

/** The narration of a script, from the cache when cacheDir holds it. */
export async function synthesize(script: NarrationScript, voice: Voice, options: { cacheDir?: string } = {}): Promise<Narration> {
  speechStats.lessons++;
  const cache = options.cacheDir ? new MediaCache(options.cacheDir) : undefined;
  const key = cache
    ? cacheKey(Buffer.from(JSON.stringify(script), 'utf8'), 'speech', { voice, sampleRate: SAMPLE_RATE, sentencePause: SENTENCE_PAUSE, chapterPause: CHAPTER_PAUSE, layout: LAYOUT_VERSION }, engineVersion(voice))
    : '';
  const hit = cache?.get(key);
  const wav = hit?.outputs.get('narration.wav');
  if (hit && wav) {
    speechStats.cacheHits++;
    return { wav, ...(hit.info as Omit<Narration, 'wav'>) };
  }
  const started = performance.now();
  const texts = script.chapters.flatMap((c) => c.sentences);
  const pcm = voice.engine === 'espeak-ng' ? await speakWithEspeak(texts, voice.name) : await speakWithCommand(texts, voice);
  const narration = assemble(script, pcm.map(trimSilence));
  speechStats.synthesized += texts.length;
  speechStats.audioSeconds += narration.duration;
  speechStats.synthMs += performance.now() - started;
  if (cache) {
    const { wav: bytes, ...info } = narration;
    cache.set(key, { info, outputs: new Map([['narration.wav', bytes]]) });
  }
  return narration;
}

/** Sentences one after another, with pauses; timings in samples, then seconds. */
function assemble(script: NarrationScript, pcm: readonly Int16Array[]): Narration {
  const sentencePause = Math.round(SENTENCE_PAUSE * SAMPLE_RATE);
  const chapterPause = Math.round(CHAPTER_PAUSE * SAMPLE_RATE);
  const pieces: { at: number; samples: Int16Array }[] = [];
  const cues: Narration['cues'] = [];
  const spans: { start: number; end: number }[] = [];
  let at = 0;
  let next = 0;
  script.chapters.forEach((chapter, c) => {
    if (c > 0) at += chapterPause;
    const start = at;
    chapter.sentences.forEach((text, s) => {
      if (s > 0) at += sentencePause;
      const samples = pcm[next++]!;
      pieces.push({ at, samples });
      cues.push({ start: at / SAMPLE_RATE, end: (at + samples.length) / SAMPLE_RATE, text, chapter: c });
      at += samples.length;
    });
    spans.push({ start, end: at });
  });
  const total = at;
  const data = new Int16Array(total);
  for (const piece of pieces) data.set(piece.samples, piece.at);
  const chapters = script.chapters.map((chapter, c) => {
    const start = c === 0 ? 0 : Math.round((spans[c - 1]!.end + spans[c]!.start) / 2);
    const end = c === script.chapters.length - 1 ? total : Math.round((spans[c]!.end + spans[c + 1]!.start) / 2);
    return { start: start / SAMPLE_RATE, end: end / SAMPLE_RATE, title: chapter.title };
  });
  return { wav: wavBytes(data, SAMPLE_RATE), sampleRate: SAMPLE_RATE, duration: total / SAMPLE_RATE, chapters, cues };
}

/** Cuts the silence espeak leaves around a sentence, keeping EDGE_SILENCE; a silent sentence keeps 0.1 s. */
function trimSilence(samples: Int16Array): Int16Array {
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]!) <= SILENCE_LEVEL) first++;
  if (first === samples.length) return new Int16Array(Math.round(0.1 * SAMPLE_RATE));
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]!) <= SILENCE_LEVEL) last--;
  const edge = Math.round(EDGE_SILENCE * SAMPLE_RATE);
  return samples.slice(Math.max(0, first - edge), Math.min(samples.length, last + 1 + edge));
}

/** A canonical 44-byte-header WAV of 16-bit mono samples. */
export function wavBytes(samples: Int16Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + 2 * i, samples[i]!, true);
  return bytes;
}

// ── eSpeak NG: in this thread, or on a pool of worker threads ───────────────────────────────────────────────────────

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
  /** Scripts being spoken on it: while any, it keeps the process alive. */
  busy: number;
}

let pool: PoolWorker[] = [];
/** Ids of requests, unique in the process: two scripts may share the pool at once. */
let requestId = 0;

/**
 * A pool is started for scripts of at least this many sentences; once it runs, scripts of MIN_SENTENCES_ON_POOL use it.
 * Measured on the 2-core CI machine, seconds of audio per second of wall time:
 *   the sample course (6 Vietnamese lessons, 442 sentences, 1430 s of audio): in this thread 275 (5.2 s),
 *   2 workers 430–450 (3.2–3.3 s): 1.6× faster;
 *   one 150-sentence script: in this thread 330–370 (first script of the process) / 420–435 (next ones); 1 worker
 *   320–350 / 405–425 (no gain, as expected); 2 workers 300–436 / 425–790 (it depends on the second core being free:
 *   other builds were running).
 * A worker costs ≈ 0.1–0.3 s to start (instantiate + unpack the voice data), once per process: the pool is kept,
 * unref'd. HOCSO_SPEECH_WORKERS=N forces N workers (0: never).
 */
const MIN_SENTENCES_FOR_WORKERS = 40;
const MIN_SENTENCES_ON_POOL = 8;

function workerCountFor(sentences: number): number {
  const env = process.env.HOCSO_SPEECH_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), sentences);
  if (sentences < (pool.length ? MIN_SENTENCES_ON_POOL : MIN_SENTENCES_FOR_WORKERS)) return 0;
  return Math.min(os.availableParallelism(), Math.ceil(sentences / 4));
}

/** The compiled worker (dist/media/speech-worker.js); absent when running from the TypeScript sources (tests). */
function workerFile(): URL | undefined {
  const url = new URL('./speech-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

async function speakWithEspeak(texts: readonly string[], voice: string): Promise<Int16Array[]> {
  const workers = workerCountFor(texts.length);
  const file = workers > 0 ? workerFile() : undefined;
  if (file) {
    try {
      return await speakOnWorkers(texts, voice, workers, file);
    } catch (error) {
      if (error instanceof SpeechError) throw error;
      // The pool itself failed (a worker did not start or died): speak in this thread instead.
    }
  }
  const out: Int16Array[] = [];
  for (const text of texts) {
    out.push(espeakSamples(await engine(), text, voice));
    await new Promise((resolve) => setImmediate(resolve)); // let the rest of the build breathe between sentences
  }
  return out;
}

function espeakSamples(e: EspeakEngine, text: string, voice: string): Int16Array {
  let bytes: Uint8Array;
  try {
    bytes = e.speak(text, voice);
  } catch (error) {
    if (!(error instanceof EspeakRunError)) throw error;
    if (error.crashed) mainEngine = undefined; // the next sentence gets a new instance
    throw new SpeechError(error.message, error.stderr);
  }
  const wav = readWav(bytes);
  if (!wav?.samples || wav.sampleRate !== SAMPLE_RATE || wav.channels !== 1) throw new SpeechError('espeak-ng wrote an unexpected WAV');
  return wav.samples;
}

function leavePool(worker: Worker): void {
  pool = pool.filter((p) => p.worker !== worker);
}

async function startWorker(file: URL): Promise<PoolWorker> {
  const worker = new Worker(file, { workerData: { hocsoSpeech: true, wasm: await espeakWasm() } });
  worker.unref(); // an idle pool never keeps the process alive
  // A worker that fails or exits leaves the pool; whoever waits on it hears through its own listeners.
  worker.on('error', () => leavePool(worker));
  worker.on('exit', () => leavePool(worker));
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: { ready?: boolean }): void => {
      if (!message.ready) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  ready.catch(() => undefined); // awaited by each script that uses the worker
  return { worker, ready, busy: 0 };
}

/** Stops the speech worker threads (they are kept between lessons; unref'd, so a process may also just exit). */
export async function closeSpeechWorkers(): Promise<void> {
  const stopping = pool;
  pool = [];
  await Promise.all(stopping.map((p) => p.worker.terminate()));
}

function speakOn(worker: Worker, text: string, voice: string): Promise<Int16Array> {
  const id = ++requestId;
  return new Promise<Int16Array>((resolve, reject) => {
    const onMessage = (message: { index: number; samples?: Int16Array; error?: string; stderr?: string }): void => {
      if (message.index !== id) return;
      cleanup();
      if (message.samples) resolve(message.samples);
      else reject(new SpeechError(message.error ?? 'espeak-ng failed', message.stderr ?? ''));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`the speech worker exited (${code})`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ index: id, text, voice });
  });
}

/** Sentences on `count` workers, each taking the next sentence when done; results keep the input order. */
async function speakOnWorkers(texts: readonly string[], voice: string, count: number, file: URL): Promise<Int16Array[]> {
  while (pool.length < count) pool.push(await startWorker(file));
  const results: Int16Array[] = new Array(texts.length);
  let next = 0;
  let failed = false;
  const lanes = await Promise.allSettled(pool.slice(0, count).map(async (member) => {
    if (member.busy++ === 0) member.worker.ref();
    try {
      await member.ready;
      while (!failed && next < texts.length) {
        const index = next++;
        results[index] = await speakOn(member.worker, texts[index]!, voice);
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      if (--member.busy === 0) member.worker.unref();
    }
  }));
  const failure = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}

// ── an external engine ───────────────────────────────────────────────────────────────────────────────────────────────

/** Splits a command template into argv like a POSIX shell would split words ('…', "…", \), expanding nothing. */
export function splitCommand(template: string): string[] {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < template.length && '"\\$`'.includes(template[i + 1]!)) word += template[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < template.length) {
      word += template[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new SpeechError(`the narration command has an unclosed ${quote}: ${template}`);
  if (inWord) argv.push(word);
  return argv;
}

const COMMAND_TIMEOUT_MS = 5 * 60_000;

async function speakWithCommand(texts: readonly string[], voice: Extract<Voice, { engine: 'command' }>): Promise<Int16Array[]> {
  const template = splitCommand(voice.command);
  if (!template.length) throw new SpeechError('the narration command is empty');
  if (!template.some((arg) => arg.includes('{output}'))) throw new SpeechError(`the narration command never names {output}, the WAV file it must write: ${voice.command}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hocso-speech-'));
  try {
    const results: Int16Array[] = new Array(texts.length);
    let next = 0;
    let failed = false;
    const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(os.availableParallelism(), texts.length)) }, async () => {
      try {
        while (!failed && next < texts.length) {
          const index = next++;
          const textFile = path.join(dir, `${index}.txt`);
          const output = path.join(dir, `${index}.wav`);
          writeFileSync(textFile, `${texts[index]}\n`, 'utf8');
          const argv = template.map((arg) => arg.replaceAll('{text}', textFile).replaceAll('{output}', output).replaceAll('{lang}', voice.language));
          await runCommand(argv, `${texts[index]}\n`);
          results[index] = await commandSamples(output, argv[0]!);
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    }));
    const failure = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
    if (failure) throw failure.reason;
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tail(text: string, lines = 6): string {
  return text.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-lines).join('\n').slice(-1500);
}

function runCommand(argv: readonly string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined); // a program that does not read its input
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new SpeechError(`the narration command \`${argv[0]}\` could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const stderr = tail(Buffer.concat(err).toString('utf8')) || tail(Buffer.concat(out).toString('utf8'));
      const why = signal ? `was stopped (${signal})` : `exited with ${code}`;
      reject(new SpeechError(`the narration command \`${argv[0]}\` ${why}${stderr ? `: ${stderr}` : ''}`, stderr));
    });
    child.stdin.end(input, 'utf8');
  });
}

/** The samples of an engine's output, converted to 22050 Hz mono 16-bit by ffmpeg when it is anything else. */
async function commandSamples(file: string, program: string): Promise<Int16Array> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new SpeechError(`the narration command \`${program}\` exited without writing {output} (${file})`);
  }
  const wav = readWav(bytes);
  if (wav?.samples && wav.sampleRate === SAMPLE_RATE && wav.channels === 1) return wav.samples;
  let stdout: Buffer;
  try {
    ({ stdout } = await runTool(requireTool('ffmpeg'), ['-v', 'error', '-i', file, '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'], { timeoutMs: COMMAND_TIMEOUT_MS }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new SpeechError(`the output of the narration command \`${program}\` could not be converted to a 22050 Hz mono WAV: ${(error as Error).message}`, tail(stderr));
  }
  const samples = new Int16Array(stdout.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = stdout.readInt16LE(2 * i);
  return samples;
}

// ── captions ─────────────────────────────────────────────────────────────────────────────────────────────────────────

function vttTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

function vttText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A WebVTT file of the cues, numbered from 1. */
export function cuesToVtt(cues: readonly { start: number; end: number; text: string }[]): string {
  const blocks = cues.map((cue, i) => `${i + 1}\n${vttTime(cue.start)} --> ${vttTime(Math.max(cue.end, cue.start + 0.001))}\n${vttText(cue.text)}`);
  return `WEBVTT\n\n${blocks.map((b) => `${b}\n\n`).join('')}`;
}
