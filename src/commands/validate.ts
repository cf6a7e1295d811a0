import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { compileProject } from '../compile/compile-project.js';
import { checkCaptionFiles } from '../check/captions.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { REPORT_FORMATS, type ReportFormat } from '../diagnostics/reporters.js';
import { displayPath, isInside } from '../paths.js';
import { UsageError } from '../project/config.js';
import { staleSegments } from '../translate/status.js';
import { EXIT_CONTENT_ERRORS, EXIT_OK, openProject, printDiagnostics, progress, type Io } from '../cli/context.js';

export interface ValidateOptions {
  config?: string;
  format?: string;
  /** Stale translated segments (`translation/stale`) are errors, not warnings: for CI. */
  failOnStale?: boolean;
}

/**
 * Checks the whole project without writing anything. PATH may be the project, its config, a course folder or a
 * lesson file: the project around it is checked (links need it) and problems under PATH are reported.
 */
export async function validate(io: Io, target: string | undefined, options: ValidateOptions): Promise<number> {
  const format = (options.format ?? 'pretty') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown format \`${options.format}\``, `Formats: ${REPORT_FORMATS.join(', ')}.`);
  const scope = target ? path.resolve(io.cwd, target) : undefined;
  if (scope && !existsSync(scope)) throw new UsageError(`no such file or folder: ${target}`);
  const from = scope ? (statSync(scope).isDirectory() ? scope : path.dirname(scope)) : io.cwd;
  const explicit = options.config ?? (scope && /\.ya?ml$/.test(scope) && path.basename(scope).startsWith('hocso.config') ? scope : undefined);
  const opened = openProject(from, explicit);
  let diagnostics: Diagnostic[] = [...opened.diagnostics];
  if (opened.config) {
    const project = await compileProject(opened.config, { onProgress: progress(io, 'Checking lessons') });
    diagnostics.push(...project.diagnostics);
    diagnostics.push(...checkCaptionFiles(project.courses));
    diagnostics.push(...staleSegments(opened.config, options.failOnStale ?? false));
    if (scope && statSync(scope).isFile() && !explicit || scope && statSync(scope).isDirectory() && scope !== opened.config.root) {
      const root = opened.config.root;
      diagnostics = diagnostics.filter((d) => isInside(path.resolve(root, d.file), scope));
    }
  }
  printDiagnostics(io, diagnostics, format, { command: 'validate' });
  if (format === 'pretty' && diagnostics.length === 0) io.stderr(scope ? `No problems found in ${displayPath(scope, io.cwd)}.\n` : 'No problems found.\n');
  return hasErrors(diagnostics) ? EXIT_CONTENT_ERRORS : EXIT_OK;
}
