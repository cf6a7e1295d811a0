import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { REPORT_FORMATS, type ReportFormat } from '../diagnostics/reporters.js';
import { displayPath } from '../paths.js';
import { UsageError } from '../project/config.js';
import { inspectPackage, isManifestName, type PackageSummary, type PackageVerification } from '../verify/package.js';
import { EXIT_CONTENT_ERRORS, EXIT_OK, printDiagnostics, type Io } from '../cli/context.js';

export interface VerifyOptions {
  format?: string;
}

const plural = (n: number, word: string, words = `${word}s`): string => `${n} ${n === 1 ? word : words}`;
const USAGE_HINT = 'Give the path of a SCORM, cmi5 or Tin Can package: a .zip, or the folder it was extracted to.';

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

/** Refuses, before verifying anything, what is not a package to check (exit 2). */
function checkTarget(target: string, cwd: string): void {
  const full = path.resolve(cwd, target);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    throw new UsageError(`no such file or folder: ${target}`, USAGE_HINT);
  }
  if (stat.isDirectory() || (stat.isFile() && isManifestName(full))) return;
  if (!stat.isFile() || !looksLikeZip(full)) throw new UsageError(`${target} is not a zip file or a folder`, USAGE_HINT);
}

/** "SCORM 2004 4th Edition, 6 SCOs, 30 files", "cmi5, 3 blocks, 6 AUs, 28 files", "Tin Can, 9 activities, 12 files". */
function describe(summary: PackageSummary): string {
  const { title, recognized, files } = summary;
  if (!title) return plural(files, 'file');
  const parts = [title];
  if (recognized.includes('scorm')) parts.push(plural(summary.scos, 'SCO'));
  if (recognized.includes('cmi5')) {
    if (summary.blocks) parts.push(plural(summary.blocks, 'block'));
    parts.push(plural(summary.aus, 'AU'));
  }
  if (recognized.includes('tincan')) parts.push(plural(summary.activities, 'activity', 'activities'));
  return [...parts, plural(files, 'file')].join(', ');
}

function summaryLine(label: string, result: PackageVerification): string {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const what = describe(result.summary);
  if (errors) return `✗ ${label}: ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''} (${what})\n`;
  return `✓ ${label}: ${what}${warnings ? `, ${plural(warnings, 'warning')}` : ''}\n`;
}

/** Checks SCORM, cmi5 and Tin Can packages (zips or folders), ours or another tool's, without extracting anything. */
export async function verify(io: Io, targets: readonly string[], options: VerifyOptions): Promise<number> {
  const format = (options.format ?? 'pretty') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown format \`${options.format}\``, `Formats: ${REPORT_FORMATS.join(', ')}.`);
  for (const target of targets) checkTarget(target, io.cwd);
  const results: { label: string; result: PackageVerification }[] = [];
  for (const target of targets) {
    results.push({ label: displayPath(path.resolve(io.cwd, target), io.cwd), result: await inspectPackage(target, io.cwd) });
  }
  const diagnostics: Diagnostic[] = results.flatMap((r) => r.result.diagnostics);
  printDiagnostics(io, diagnostics, format, { command: 'verify' });
  if (format === 'pretty') for (const { label, result } of results) io.stderr(summaryLine(label, result));
  return hasErrors(diagnostics) ? EXIT_CONTENT_ERRORS : EXIT_OK;
}
