import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { compareDiagnostics, type Diagnostic } from './diagnostic.js';
import { RULES } from './rules.js';

export const REPORT_FORMATS = ['pretty', 'json', 'junit', 'sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Formats read by machines: printed to stdout as one complete document, even with nothing to report. */
export const MACHINE_FORMATS: readonly ReportFormat[] = ['json', 'junit', 'sarif', 'github'];

export interface ReportOptions {
  /** The command reporting (`validate`, `verify`, `build`): names the JUnit test suite. */
  command?: string;
  /** The tool version written into SARIF (default: package.json's). */
  version?: string;
}

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

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: ReportFormat, color = false, options: ReportOptions = {}): string {
  switch (format) {
    case 'json': return formatJson(diagnostics);
    case 'junit': return formatJunit(diagnostics, options);
    case 'sarif': return formatSarif(diagnostics, options);
    case 'github': return formatGithub(diagnostics);
    default: return formatPretty(diagnostics, color);
  }
}

/**
 * Where a diagnostic points, for tools that link to files in the repository. Paths are written with forward slashes;
 * a place inside a package (`out/a.zip!/imsmanifest.xml`) points at the zip itself, without a line (the zip is binary),
 * and the place inside it goes to the front of the message.
 */
interface Where {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

function whereOf(d: Diagnostic): Where {
  const file = d.file.split(path.sep).join('/');
  const bang = file.indexOf('!/');
  if (bang === -1) return { file, line: d.line, column: d.column, message: d.message };
  return { file: file.slice(0, bang), message: `${file.slice(bang + 2)}:${d.line}:${d.column}: ${d.message}` };
}

// ---- JUnit XML ----

/** XML 1.0 text or attribute value: markup escaped, characters XML cannot hold at all dropped. */
function xmlEscape(text: string, attribute: boolean): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
  const escaped = clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (!attribute) return escaped;
  return escaped.replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/**
 * JUnit XML, as CI test tabs (GitLab, Jenkins, Azure, GitHub test reporters) read it: one test case per diagnostic.
 * Errors are `<failure>`s; warnings are passed test cases with the problem in `<system-out>`: hocso exits 0 on
 * warnings, so the CI's pass/fail matches the exit code, while `<skipped>` would claim the check did not run.
 * A clean run is one passed test case, so the tab shows that the check ran.
 */
export function formatJunit(diagnostics: readonly Diagnostic[], options: ReportOptions = {}): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const suite = `hocso${options.command ? ` ${options.command}` : ''}`;
  const failures = sorted.filter((d) => d.severity === 'error').length;
  const cases: string[] = [];
  for (const d of sorted) {
    const name = `${d.ruleId} at ${d.line}:${d.column}`;
    const open = `    <testcase classname="${xmlEscape(d.file, true)}" name="${xmlEscape(name, true)}">`;
    const body = d.hint ?? d.message;
    if (d.severity === 'error') {
      cases.push(`${open}\n      <failure message="${xmlEscape(d.message, true)}" type="${xmlEscape(d.ruleId, true)}">${xmlEscape(body, false)}</failure>\n    </testcase>`);
    } else {
      const out = `warning: ${d.message}${d.hint ? `\nhint: ${d.hint}` : ''}`;
      cases.push(`${open}\n      <system-out>${xmlEscape(out, false)}</system-out>\n    </testcase>`);
    }
  }
  if (cases.length === 0) cases.push(`    <testcase classname="hocso" name="${xmlEscape(`${suite}: no problems found`, true)}"/>`);
  const tests = Math.max(sorted.length, 1);
  const counts = `tests="${tests}" failures="${failures}" errors="0" skipped="0"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hocso" ${counts}>`,
    `  <testsuite name="${xmlEscape(suite, true)}" ${counts}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n') + '\n';
}

// ---- SARIF 2.1.0 ----

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The parts of SARIF 2.1.0 hocso writes (OASIS SARIF v2.1.0, §3). */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}
export interface SarifRun {
  tool: { driver: SarifDriver };
  originalUriBaseIds?: Record<string, { uri?: string; description?: { text: string } }>;
  results: SarifResult[];
}
export interface SarifDriver {
  name: string;
  version: string;
  rules: SarifRule[];
}
export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: SarifLevel };
}
export type SarifLevel = 'none' | 'note' | 'warning' | 'error';
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
}
export interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region?: { startLine: number; startColumn: number };
  };
}

/** A relative path as a URI reference (each segment percent-encoded); an absolute path as a file: URI. */
function toUri(file: string): { uri: string; uriBaseId?: string } {
  const absolute = /^[A-Za-z]:\//.test(file) || file.startsWith('/');
  const encoded = file.split('/').map((segment, i) => (i === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment))).join('/');
  if (!absolute) return { uri: encoded, uriBaseId: '%SRCROOT%' };
  return { uri: `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` };
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Sentence-like short description of a rule: its id in words ("competency/unknown-code" → "competency: unknown code"). */
function describeRule(ruleId: string): string {
  const [area, name] = ruleId.split('/');
  return name ? `${area}: ${name.replace(/-/g, ' ')}` : ruleId;
}

/** SARIF 2.1.0 for code scanning (github/codeql-action/upload-sarif): one run, the rules used, one result per diagnostic. */
export function buildSarif(diagnostics: readonly Diagnostic[], options: ReportOptions = {}): SarifLog {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  const known = RULES as Record<string, { severity: 'error' | 'warning'; hint: string } | undefined>;
  for (const d of sorted) {
    if (index.has(d.ruleId)) continue;
    index.set(d.ruleId, rules.length);
    const rule = known[d.ruleId];
    rules.push({
      id: d.ruleId,
      shortDescription: { text: describeRule(d.ruleId) },
      help: { text: rule?.hint ?? d.hint ?? '' },
      defaultConfiguration: { level: rule?.severity ?? d.severity },
    });
  }
  const results: SarifResult[] = sorted.map((d) => {
    const where = whereOf(d);
    return {
      ruleId: d.ruleId,
      ruleIndex: index.get(d.ruleId)!,
      level: d.severity,
      message: { text: d.hint && d.hint !== known[d.ruleId]?.hint ? `${where.message}\n${d.hint}` : where.message },
      locations: [{
        physicalLocation: {
          artifactLocation: toUri(where.file),
          ...(where.line !== undefined ? { region: { startLine: Math.max(1, where.line), startColumn: Math.max(1, where.column ?? 1) } } : {}),
        },
      }],
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'hocso', version: options.version ?? packageVersion(), rules } },
      originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder hocso ran in (the project root).' } } },
      results,
    }],
  };
}

export function formatSarif(diagnostics: readonly Diagnostic[], options: ReportOptions = {}): string {
  return JSON.stringify(buildSarif(diagnostics, options), null, 2) + '\n';
}

// ---- GitHub Actions workflow commands ----

/** The message of a workflow command: `%`, CR and LF escaped. */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command: also `:` and `,`, which end it. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=F,line=L,col=C,title=RULE::message%0Ahint`, one line per diagnostic: annotations on the pull request. */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return [...diagnostics].sort(compareDiagnostics).map((d) => {
    const where = whereOf(d);
    const properties = [`file=${escapeGithubProperty(where.file)}`];
    if (where.line !== undefined) properties.push(`line=${where.line}`, `col=${where.column ?? 1}`);
    properties.push(`title=${escapeGithubProperty(d.ruleId)}`);
    const text = d.hint ? `${where.message}\n${d.hint}` : where.message;
    return `::${d.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${escapeGithubData(text)}\n`;
  }).join('');
}
