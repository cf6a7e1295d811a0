import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, type ReportFormat } from '../diagnostics/reporters.js';
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

export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], format: ReportFormat = 'pretty'): void {
  if (format === 'json') io.stdout(formatDiagnostics(diagnostics, 'json'));
  else if (diagnostics.length) io.stderr(formatDiagnostics(diagnostics, 'pretty', io.color));
}

/** A progress line: redrawn in place on a terminal, printed once at the end in CI logs. */
export function progress(io: Io, label: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    if (io.interactive) {
      const percent = Math.floor((done / total) * 100);
      if (percent === last && done !== total) return;
      last = percent;
      io.stderr(`\r${label} ${done}/${total} (${percent}%)${done === total ? '\n' : ''}`);
    } else if (done === total && total >= 50) {
      io.stderr(`${label} ${done}/${total}\n`);
    }
  };
}
