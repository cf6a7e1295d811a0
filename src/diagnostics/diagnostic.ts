// The one message type every phase reports: modelled on vfile-message (reason, place, rule id).
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  /** Path relative to the project root (or absolute when outside it). */
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

export interface Place {
  file: string;
  line?: number;
  column?: number;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
