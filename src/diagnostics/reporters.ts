import { compareDiagnostics, type Diagnostic } from './diagnostic.js';

export const REPORT_FORMATS = ['pretty', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

function paint(code: number, text: string, color: boolean): string {
  return color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** Human output: one line per problem (file:line:col, severity, message, rule), the hint below it, and a summary. */
export function formatPretty(diagnostics: readonly Diagnostic[], color = false): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const lines: string[] = [];
  for (const d of sorted) {
    const severity = d.severity === 'error' ? paint(31, 'error', color) : paint(33, 'warning', color);
    lines.push(`${paint(1, `${d.file}:${d.line}:${d.column}`, color)}  ${severity}  ${d.message}  ${paint(2, d.ruleId, color)}`);
    if (d.hint) lines.push(`    ${paint(36, 'hint:', color)} ${d.hint}`);
  }
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  lines.push(sorted.length === 0 ? 'No problems found.' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  return JSON.stringify({ errors, warnings: sorted.length - errors, diagnostics: sorted }, null, 2) + '\n';
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: ReportFormat, color = false): string {
  return format === 'json' ? formatJson(diagnostics) : formatPretty(diagnostics, color);
}
