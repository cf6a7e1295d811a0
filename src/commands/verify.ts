import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { REPORT_FORMATS, type ReportFormat } from '../diagnostics/reporters.js';
import { displayPath } from '../paths.js';
import { UsageError } from '../project/config.js';
import { inspectScormPackage, type ScormVerification } from '../verify/scorm-package.js';
import { EXIT_CONTENT_ERRORS, EXIT_OK, printDiagnostics, type Io } from '../cli/context.js';

export interface VerifyOptions {
  format?: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** True for a file named .zip or starting like one; anything else is a usage mistake, not a broken package. */
function looksLikeZip(file: string): boolean {
  if (/\.zip$/i.test(file)) return true;
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    closeSync(fd);
  }
}

/** Refuses, before verifying anything, what is not a SCORM package to check (exit 2). */
function checkTarget(target: string, cwd: string): void {
  const full = path.resolve(cwd, target);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    throw new UsageError(`no such file or folder: ${target}`, 'Give the path of a SCORM package: a .zip, or the folder it was extracted to.');
  }
  if (stat.isDirectory() || (stat.isFile() && path.basename(full) === 'imsmanifest.xml')) return;
  if (!stat.isFile() || !looksLikeZip(full)) throw new UsageError(`${target} is not a zip file or a folder`, 'Give the path of a SCORM package: a .zip, or the folder it was extracted to.');
}

function summaryLine(label: string, result: ScormVerification): string {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const { version, scos, files } = result.summary;
  const what = version ? `${version}, ${plural(scos, 'SCO')}, ${plural(files, 'file')}` : plural(files, 'file');
  if (errors) return `✗ ${label}: ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''} (${what})\n`;
  return `✓ ${label}: ${what}${warnings ? `, ${plural(warnings, 'warning')}` : ''}\n`;
}

/** Checks SCORM packages (zips or folders), ours or another tool's, without extracting anything. */
export async function verify(io: Io, targets: readonly string[], options: VerifyOptions): Promise<number> {
  const format = (options.format ?? 'pretty') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown format \`${options.format}\``, `Formats: ${REPORT_FORMATS.join(', ')}.`);
  for (const target of targets) checkTarget(target, io.cwd);
  const results: { label: string; result: ScormVerification }[] = [];
  for (const target of targets) {
    results.push({ label: displayPath(path.resolve(io.cwd, target), io.cwd), result: await inspectScormPackage(target, io.cwd) });
  }
  const diagnostics: Diagnostic[] = results.flatMap((r) => r.result.diagnostics);
  printDiagnostics(io, diagnostics, format);
  if (format === 'pretty') for (const { label, result } of results) io.stderr(summaryLine(label, result));
  return hasErrors(diagnostics) ? EXIT_CONTENT_ERRORS : EXIT_OK;
}
