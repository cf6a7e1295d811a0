// Where ffmpeg and ffprobe come from, and how they are run. No internet is assumed at install time: the candidates are
// tried in a fixed order and the first one that really runs wins (`hocso doctor` shows which).
//   1. an environment variable (HOCSO_FFMPEG / HOCSO_FFPROBE, or the common FFMPEG_PATH / FFPROBE_PATH);
//   2. ffmpeg-static, an optional dependency (its install downloads from GitHub and fails without that network);
//   3. a binary shipped inside a registry package (@ffmpeg-installer/ffmpeg, @ffprobe-installer/ffprobe);
//   4. the system PATH (Debian's ffmpeg package).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ToolName = 'ffmpeg' | 'ffprobe';

export interface Tool {
  name: ToolName;
  path: string;
  /** Where it was found: "HOCSO_FFMPEG", "ffmpeg-static", "@ffmpeg-installer/ffmpeg", "PATH". */
  source: string;
  /** The first line of `-version`, e.g. "ffmpeg version 4.1 …". */
  version: string;
}

/** One candidate and why it was not used (for `hocso doctor`). */
export interface ToolCandidate {
  source: string;
  path?: string;
  problem?: string;
}

export class MediaToolError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

const require = createRequire(import.meta.url);

const ENV_VARS: Record<ToolName, string[]> = { ffmpeg: ['HOCSO_FFMPEG', 'FFMPEG_PATH'], ffprobe: ['HOCSO_FFPROBE', 'FFPROBE_PATH'] };

/** Registry packages that may hold the binary, in order; each resolves to a path (or to nothing). */
const PACKAGES: Record<ToolName, { name: string; resolve: () => string | undefined }[]> = {
  ffmpeg: [
    { name: 'ffmpeg-static', resolve: () => require('ffmpeg-static') as string | undefined },
    { name: '@ffmpeg-installer/ffmpeg', resolve: () => (require('@ffmpeg-installer/ffmpeg') as { path?: string }).path },
  ],
  ffprobe: [{ name: '@ffprobe-installer/ffprobe', resolve: () => (require('@ffprobe-installer/ffprobe') as { path?: string }).path }],
};

function candidatesOf(name: ToolName): ToolCandidate[] {
  const found: ToolCandidate[] = [];
  for (const variable of ENV_VARS[name]) {
    const value = process.env[variable];
    if (value) found.push({ source: variable, path: value });
  }
  for (const pkg of PACKAGES[name]) {
    try {
      const resolved = pkg.resolve();
      found.push(resolved ? { source: pkg.name, path: resolved } : { source: pkg.name, problem: 'has no binary for this platform' });
    } catch {
      found.push({ source: pkg.name, problem: 'not installed' });
    }
  }
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name)).find((file) => existsSync(file));
  found.push(onPath ? { source: 'PATH', path: onPath } : { source: 'PATH', problem: `no \`${name}\` on the PATH` });
  return found;
}

/** Runs `TOOL -version`; a binary whose execute bit was lost (npm skipped its chmod postinstall) gets it back. */
function tryCandidate(name: ToolName, candidate: ToolCandidate): Tool | string {
  const file = candidate.path!;
  if (!existsSync(file) || !statSync(file).isFile()) return 'the file does not exist (its download may have failed)';
  try {
    accessSync(file, constants.X_OK);
  } catch {
    try {
      chmodSync(file, statSync(file).mode | 0o111);
    } catch {
      return 'is not executable';
    }
  }
  const result = spawnSync(file, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error || result.status !== 0) return `does not run (${result.error?.message ?? `exit ${result.status}`})`;
  return { name, path: file, source: candidate.source, version: result.stdout.split('\n')[0]!.trim() };
}

const found = new Map<ToolName, { tool?: Tool; candidates: ToolCandidate[] }>();

/** The tool and every candidate looked at, tried once per process. */
export function locateTool(name: ToolName): { tool?: Tool; candidates: ToolCandidate[] } {
  let result = found.get(name);
  if (!result) {
    const candidates: ToolCandidate[] = [];
    let tool: Tool | undefined;
    for (const candidate of candidatesOf(name)) {
      if (tool || !candidate.path) {
        candidates.push(candidate);
        continue;
      }
      const tried = tryCandidate(name, candidate);
      if (typeof tried === 'string') candidates.push({ ...candidate, problem: tried });
      else {
        tool = tried;
        candidates.push(candidate);
      }
    }
    result = tool ? { tool, candidates } : { candidates };
    found.set(name, result);
  }
  return result;
}

export function findTool(name: ToolName): Tool | undefined {
  return locateTool(name).tool;
}

/** The tool, or an error that says how to get one. */
export function requireTool(name: ToolName): Tool {
  const tool = findTool(name);
  if (tool) return tool;
  const pkg = name === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe';
  throw new MediaToolError(`no working ${name} found`, `Reinstall hocso (it ships ${pkg}), install Debian's ffmpeg package (apt-get install ffmpeg), or set HOCSO_${name.toUpperCase()} to a ${name} binary; \`hocso doctor\` shows what was tried.`);
}

export class ToolRunError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(message);
  }
}

export interface RunOptions {
  /** Bytes written to the tool's standard input. */
  input?: Uint8Array;
  /** Killed after this long (default 10 minutes): a hung encode never hangs a build. */
  timeoutMs?: number;
}

/** Runs a tool without a shell; rejects with the last lines of its stderr (ffmpeg puts the cause there). */
export function runTool(tool: Tool, args: readonly string[], options: RunOptions = {}): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, ['-hide_banner', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined); // the tool may exit before reading all of its input
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ToolRunError(`${tool.name} could not start: ${error.message}`, ''));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else reject(new ToolRunError(signal ? `${tool.name} was stopped (${signal})` : lastLines(stderr) || `${tool.name} exited with ${code}`, stderr));
    });
    child.stdin.end(options.input ? Buffer.from(options.input) : undefined);
  });
}

/** The meaningful end of an ffmpeg error log: its last non-empty lines, without the input's path. */
function lastLines(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(-2).join('; ');
}

export interface ProbedStream {
  index: number;
  codec_type: 'audio' | 'video' | 'subtitle' | 'data' | 'attachment';
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  sample_rate?: string;
  channels?: number;
  bit_rate?: string;
  duration?: string;
  tags?: Record<string, string>;
}

export interface Probe {
  format: { format_name: string; duration?: string; size?: string; bit_rate?: string; tags?: Record<string, string> };
  streams: ProbedStream[];
  chapters: { start_time: string; end_time: string; tags?: Record<string, string> }[];
}

/** ffprobe's view of a file: container, streams, chapters. Rejects with ToolRunError for a file it cannot read. */
export async function probeFile(file: string): Promise<Probe> {
  const { stdout } = await runTool(requireTool('ffprobe'), ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', file]);
  const parsed = JSON.parse(stdout.toString('utf8')) as Partial<Probe>;
  if (!parsed.format) throw new ToolRunError('ffprobe found no container', '');
  return { format: parsed.format, streams: parsed.streams ?? [], chapters: parsed.chapters ?? [] };
}
