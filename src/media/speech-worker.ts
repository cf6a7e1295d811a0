// eSpeak NG (the `espeak-ng` package: the C program compiled to WebAssembly) as a reusable in-process engine, and the
// worker thread that runs one for the speech pool of speech.ts.
//
// The package's factory makes a new emscripten instance per run (≈ 90–130 ms each: instantiating the 18 MB module,
// unpacking espeak-ng-data into its in-memory file system, then main()). Its `callMain` is not exported, so an engine
// here instantiates once, with the compiled WebAssembly.Module shared by every engine of the process, keeps a copy of
// the linear memory as it is before main() first runs, and for every run puts that copy back and calls the exported
// main (`__main_argc_argv`) itself: each run starts from the state of a fresh process (getopt, voice tables, heap),
// without paying for a new instance. Measured: ≈ 10–25 ms per sentence once warm, and byte-identical WAVs to a fresh
// instance's. Files espeak writes live in the instance's in-memory file system, never on disk.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);

interface EmscriptenFs {
  writeFile(file: string, data: string | Uint8Array): void;
  readFile(file: string): Uint8Array;
  unlink(file: string): void;
}

interface EspeakInstance {
  FS: EmscriptenFs;
}

/** The raw exports of espeak-ng.wasm this engine uses (the emscripten wrapper hides stackAlloc and callMain). */
interface RawExports {
  memory: WebAssembly.Memory;
  stackSave(): number;
  stackRestore(pointer: number): void;
  stackAlloc(size: number): number;
  __main_argc_argv(argc: number, argv: number): number;
}

type EspeakFactory = (options: Record<string, unknown>) => Promise<EspeakInstance>;

/** Where the package is, and its version (which pins the program and its voice data). */
export function espeakPackage(): { js: string; wasm: string; version: string } {
  const js = require.resolve('espeak-ng');
  const manifest = JSON.parse(readFileSync(path.join(path.dirname(js), '..', 'package.json'), 'utf8')) as { version: string };
  return { js, wasm: path.join(path.dirname(js), 'espeak-ng.wasm'), version: manifest.version };
}

let compiled: Promise<WebAssembly.Module> | undefined;
let factory: Promise<EspeakFactory> | undefined;

/** The compiled module, once per thread (≈ 25–40 ms); workers receive the main thread's instead of compiling again. */
export function espeakWasm(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(readFileSync(espeakPackage().wasm));
  return compiled;
}

function espeakFactory(): Promise<EspeakFactory> {
  // A computed specifier: the package ships no type declarations.
  factory ??= import(pathToFileURL(espeakPackage().js).href).then((m: { default: EspeakFactory }) => m.default);
  return factory;
}

export interface EspeakRun {
  status: number;
  stdout: string[];
  stderr: string[];
}

export class EspeakRunError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    /** The program crashed (not a plain non-zero exit): its instance should not be used again. */
    readonly crashed = false,
  ) {
    super(message);
  }
}

const encoder = new TextEncoder();
const IN_FILE = '/hocso-sentence.txt';
const OUT_FILE = '/hocso-sentence.wav';

export class EspeakEngine {
  private constructor(
    private readonly instance: EspeakInstance,
    private readonly raw: RawExports,
    private readonly pristine: Uint8Array,
    private readonly out: string[],
    private readonly err: string[],
  ) {}

  static async create(wasm?: WebAssembly.Module): Promise<EspeakEngine> {
    const module = wasm ?? (await espeakWasm());
    const make = await espeakFactory();
    const out: string[] = [];
    const err: string[] = [];
    let raw: RawExports | undefined;
    const instance = await make({
      noInitialRun: true,
      print: (line: string) => out.push(line),
      printErr: (line: string) => err.push(line),
      instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => unknown) => {
        const created = new WebAssembly.Instance(module, imports);
        raw = created.exports as unknown as RawExports;
        receive(created, module);
        return created.exports;
      },
    });
    if (!raw) throw new Error('espeak-ng did not instantiate');
    return new EspeakEngine(instance, raw, new Uint8Array(raw.memory.buffer).slice(), out, err);
  }

  /** Runs `espeak-ng ARGS` as a fresh process would; its output lines are returned, not printed. */
  run(args: readonly string[]): EspeakRun {
    const memory = new Uint8Array(this.raw.memory.buffer);
    memory.set(this.pristine);
    if (memory.length > this.pristine.length) memory.fill(0, this.pristine.length);
    this.out.length = 0;
    this.err.length = 0;
    const stack = this.raw.stackSave();
    let status: number;
    try {
      const argv = ['espeak-ng', ...args];
      const pointers = argv.map((arg) => {
        const bytes = encoder.encode(`${arg}\0`);
        const at = this.raw.stackAlloc(bytes.length);
        new Uint8Array(this.raw.memory.buffer).set(bytes, at);
        return at;
      });
      const table = this.raw.stackAlloc(4 * (pointers.length + 1));
      const view = new Uint32Array(this.raw.memory.buffer, table, pointers.length + 1);
      pointers.forEach((p, i) => (view[i] = p));
      view[pointers.length] = 0;
      status = this.raw.__main_argc_argv(argv.length, table);
    } catch (error) {
      // exit() inside the program unwinds as an emscripten ExitStatus; anything else is a crash of the program.
      const exitStatus = (error as { name?: string; status?: unknown }).name === 'ExitStatus' ? (error as { status: unknown }).status : undefined;
      if (typeof exitStatus !== 'number') throw new EspeakRunError(`espeak-ng crashed: ${(error as Error).message ?? String(error)}`, this.err.join('\n'), true);
      status = exitStatus;
    } finally {
      this.raw.stackRestore(stack);
    }
    const stderr = this.err.filter((line) => !line.startsWith('program exited ('));
    return { status, stdout: [...this.out], stderr };
  }

  /** One sentence as a WAV (22050 Hz, mono, 16-bit), text passed through a file so nothing in it is read as an option. */
  speak(text: string, voice: string): Uint8Array {
    this.instance.FS.writeFile(IN_FILE, text);
    const result = this.run(['-v', voice, '-w', OUT_FILE, '-f', IN_FILE]);
    let wav: Uint8Array | undefined;
    try {
      wav = this.instance.FS.readFile(OUT_FILE).slice();
      this.instance.FS.unlink(OUT_FILE);
    } catch {
      wav = undefined;
    }
    if (result.status !== 0 || !wav) {
      throw new EspeakRunError(`espeak-ng -v ${voice} failed (exit ${result.status})${result.stderr.length ? `: ${result.stderr.join(' ').trim()}` : ''}`, result.stderr.join('\n'));
    }
    return wav;
  }
}

/** A WAV's format and its samples (16-bit PCM only; anything else yields a format without samples). */
export interface WavData {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Interleaved 16-bit samples, when the file is 16-bit integer PCM. */
  samples?: Int16Array;
}

/** Reads the RIFF chunks of a WAV; undefined when the bytes are not one. A data size espeak left open is clamped. */
export function readWav(bytes: Uint8Array): WavData | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let at = 12;
  let fmt: Omit<WavData, 'samples'> | undefined;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ' && size >= 16) {
      fmt = { format: view.getUint16(body, true), channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bitsPerSample: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) return undefined;
      const length = Math.min(size, bytes.length - body);
      const pcm16 = (fmt.format === 1 || fmt.format === 0xfffe) && fmt.bitsPerSample === 16;
      if (!pcm16) return fmt;
      const samples = new Int16Array(length >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { ...fmt, samples };
    }
    at = body + size + (size & 1);
  }
  return undefined;
}

/** Worker side of the pool: one engine, sentences in, PCM out (transferred, not copied). */
interface SpeakRequest {
  index: number;
  text: string;
  voice: string;
}

if (!isMainThread && (workerData as { hocsoSpeech?: unknown } | null)?.hocsoSpeech) {
  const port = parentPort!;
  const engine = await EspeakEngine.create((workerData as { wasm: WebAssembly.Module }).wasm);
  port.on('message', ({ index, text, voice }: SpeakRequest) => {
    try {
      const wav = readWav(engine.speak(text, voice));
      if (!wav?.samples) throw new EspeakRunError('espeak-ng wrote no 16-bit WAV', '');
      port.postMessage({ index, samples: wav.samples, sampleRate: wav.sampleRate }, [wav.samples.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({ index, error: (error as Error).message, stderr: (error as { stderr?: string }).stderr ?? '' });
      // A crashed instance is not used again: the thread ends, and leaves the pool.
      if (!(error instanceof EspeakRunError) || error.crashed) process.exit(1);
    }
  });
  port.postMessage({ ready: true });
}
