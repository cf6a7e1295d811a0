// A headless Chromium found on the machine, for `hocso build --target print` (docs: "Printable handout"). Nothing is
// downloaded: the browser comes from the system (Debian/Ubuntu: `apt-get install chromium`) or HOCSO_CHROMIUM.
//   1. HOCSO_CHROMIUM, when it names an executable file;
//   2. `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on PATH, in that order.
// It is run without a shell, with a fresh profile in a private temporary folder, and killed after a timeout.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../project/config.js';

export const CHROMIUM_ENV = 'HOCSO_CHROMIUM';
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;
export const CHROMIUM_INSTALL_HINT = `Install Chromium (Debian/Ubuntu: \`apt-get install chromium\`), or set ${CHROMIUM_ENV} to the path of a Chromium or Chrome executable.`;

/** One place looked at, and why it was not used (for error messages and `hocso doctor`). */
export interface ChromiumCandidate {
  source: string;
  path?: string;
  problem?: string;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every place looked at, in order, each with its path or the reason it has none. */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): ChromiumCandidate[] {
  const found: ChromiumCandidate[] = [];
  const explicit = env[CHROMIUM_ENV];
  if (explicit) {
    const file = path.resolve(explicit);
    found.push(isExecutableFile(file) ? { source: CHROMIUM_ENV, path: file } : { source: CHROMIUM_ENV, path: file, problem: existsSync(file) ? 'is not an executable file' : 'does not exist' });
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of CHROMIUM_NAMES) {
    const hit = dirs.map((dir) => path.join(dir, name)).find(isExecutableFile);
    found.push(hit ? { source: `${name} on PATH`, path: hit } : { source: `${name} on PATH`, problem: 'not found' });
  }
  return found;
}

/** The Chromium to print with: HOCSO_CHROMIUM, else the first of CHROMIUM_NAMES on PATH; undefined when none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { path: string; source: string } | undefined {
  const hit = chromiumCandidates(env).find((c) => c.path && !c.problem);
  return hit && { path: hit.path!, source: hit.source };
}

/** findChromium, or a UsageError (exit 2) naming what was tried and how to install one. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): { path: string; source: string } {
  const found = findChromium(env);
  if (found) return found;
  const explicit = chromiumCandidates(env).find((c) => c.source === CHROMIUM_ENV);
  const tried = [explicit ? `${CHROMIUM_ENV}=${explicit.path} ${explicit.problem}` : `${CHROMIUM_ENV} is not set`, `none of ${CHROMIUM_NAMES.join(', ')} is on PATH`];
  throw new UsageError(`the print target needs a headless Chromium, and none was found (${tried.join('; ')})`, CHROMIUM_INSTALL_HINT);
}

/** Chromium ran but gave no PDF (crash, timeout): a clear message and exit 2, never a stack trace. */
export class ChromiumError extends UsageError {
  constructor(message: string) {
    super(message, `Check that this Chromium runs headless (\`chromium --headless --no-sandbox --dump-dom about:blank\`), or point ${CHROMIUM_ENV} to another Chromium or Chrome executable.`);
  }
}

export interface PrintToPdfOptions {
  /** Kill the browser and fail after this long (default 120 s). */
  timeoutMs?: number;
  /** PDF bookmarks from the page's headings (default true). */
  outline?: boolean;
}

/**
 * Prints a local HTML file to PDF with `--print-to-pdf`: no shell, a fresh profile that is removed afterwards, no
 * network beyond the file itself, no header or footer of Chromium's own (the page's CSS @page rules lay it out).
 */
export async function printToPdf(chromium: string, htmlFile: string, options: PrintToPdfOptions = {}): Promise<Uint8Array> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'hocso-chromium-'));
  try {
    const out = path.join(work, 'out.pdf');
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-crash-reporter',
      '--mute-audio',
      '--no-pdf-header-footer',
      ...(options.outline === false ? [] : ['--generate-pdf-document-outline']),
      `--user-data-dir=${path.join(work, 'profile')}`,
      `--print-to-pdf=${out}`,
      pathToFileUrl(htmlFile),
    ];
    const result = await run(chromium, args, options.timeoutMs ?? 120_000, work);
    const pdf = existsSync(out) ? readFileSync(out) : undefined;
    if (result.code !== 0 || !pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
      const why = result.timedOut ? `did not finish within ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s` : `exited with ${result.signal ?? `code ${result.code}`}${pdf ? '' : ' and wrote no PDF'}`;
      const log = result.stderr.split('\n').filter((l) => l.trim() && !/dbus|Fontconfig|unexpected operator/i.test(l)).slice(-5).join('\n    ');
      throw new ChromiumError(`Chromium (${chromium}) ${why}${log ? `:\n    ${log}` : ''}`);
    }
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function pathToFileUrl(file: string): string {
  return `file://${path.resolve(file).split(path.sep).map(encodeURIComponent).join('/')}`;
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
}

/** Runs the browser in its own process group, so a timeout kills it and every helper process it started. */
function run(file: string, args: string[], timeoutMs: number, cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32', env: { ...process.env, HOME: process.env.HOME ?? cwd } });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    const kill = (): void => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ChromiumError(`cannot run Chromium (${file}): ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Helper processes (zygote, GPU, renderer) that outlived the browser go with it.
      if (!timedOut) kill();
      resolve({ code, signal, stderr, timedOut });
    });
  });
}
