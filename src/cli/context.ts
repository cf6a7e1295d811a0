import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, MACHINE_FORMATS, type ReportFormat, type ReportOptions } from '../diagnostics/reporters.js';
import { findConfigFile, loadConfig, type ProjectConfig } from '../project/config.js';

/** What every command needs to talk to the user: streams, colour, and the exit code it ends with. */
export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color: boolean;
  /** True when stderr is a terminal: progress is drawn in place; otherwise plain lines. */
  interactive: boolean;
}

export const EXIT_OK = 0;
export const EXIT_CONTENT_ERRORS = 1;
export const EXIT_USAGE = 2;

/** Finds and loads the config; its own problems are content errors reported like any other. */
export function openProject(from: string, explicit: string | undefined): { config?: ProjectConfig; diagnostics: Diagnostic[] } {
  return loadConfig(findConfigFile(from, explicit));
}

/**
 * Machine formats (json, junit, sarif, github) go to stdout as one complete document, even when empty: call this once
 * per run for them. Pretty goes to stderr, with the progress and summary lines, and only when there is something.
 */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], format: ReportFormat = 'pretty', options: ReportOptions = {}): void {
  if (MACHINE_FORMATS.includes(format)) io.stdout(formatDiagnostics(diagnostics, format, false, options));
  else if (diagnostics.length) io.stderr(formatDiagnostics(diagnostics, 'pretty', io.color));
}

/**
 * Progress of long work: a bar redrawn in place on a terminal; in CI logs, plain lines at each tenth of the work
 * (only for work of at least `linesFrom` items: a small build prints nothing but its summary).
 */
export function progress(io: Io, label: string, options: { linesFrom?: number } = {}): (done: number, total: number, note?: string) => void {
  const linesFrom = options.linesFrom ?? 50;
  let last = -1;
  return (done, total, note) => {
    if (total === 0) return;
    const percent = Math.floor((done / total) * 100);
    if (io.interactive) {
      if (percent === last && done !== total && !note) return;
      last = percent;
      const filled = Math.round((done / total) * 20);
      const tail = note ? ` ${note}`.slice(0, 40) : '';
      io.stderr(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${done}/${total}${tail}\u001b[K${done === total ? '\n' : ''}`);
    } else if (total >= linesFrom) {
      const step = Math.floor(percent / 10);
      if (step === last && done !== total) return;
      last = step;
      io.stderr(`${label} ${done}/${total}${note ? ` ${note}` : ''}\n`);
    }
  };
}
