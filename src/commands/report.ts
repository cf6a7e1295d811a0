import { compileProject } from '../compile/compile-project.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { UsageError } from '../project/config.js';
import { competencyCoverage } from '../report/coverage.js';
import { COVERAGE_FORMATS, formatCoverage, type CoverageFormat } from '../report/coverage-format.js';
import { EXIT_CONTENT_ERRORS, EXIT_OK, openProject, printDiagnostics, type Io } from '../cli/context.js';

/** `hocso report competencies`: the matrix goes to stdout, problems to stderr (the report covers the valid lessons). */
export async function reportCompetencies(io: Io, options: { config?: string; format?: string; course?: string[] }): Promise<number> {
  const format = (options.format ?? 'table') as CoverageFormat;
  if (!COVERAGE_FORMATS.includes(format)) throw new UsageError(`unknown format \`${options.format}\``, `Formats: ${COVERAGE_FORMATS.join(', ')}.`);
  const opened = openProject(io.cwd, options.config);
  if (!opened.config) {
    printDiagnostics(io, opened.diagnostics);
    return EXIT_CONTENT_ERRORS;
  }
  const project = await compileProject(opened.config, options.course ? { courseIds: options.course } : {});
  const diagnostics = [...opened.diagnostics, ...project.diagnostics];
  printDiagnostics(io, diagnostics.filter((d) => d.severity === 'error'));
  io.stdout(formatCoverage(competencyCoverage(project.courses, project.frameworks), format));
  return hasErrors(diagnostics) ? EXIT_CONTENT_ERRORS : EXIT_OK;
}
