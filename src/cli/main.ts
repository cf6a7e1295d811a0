import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from '../commands/build.js';
import { doctor } from '../commands/doctor.js';
import { init } from '../commands/init.js';
import { DEFAULT_PORT, preview } from '../commands/preview.js';
import { publish } from '../commands/publish.js';
import { reportCompetencies } from '../commands/report.js';
import { STATUS_FORMATS, TRANSLATE_FORMATS, translateExtract, translateImport, translateStatus } from '../commands/translate.js';
import { validate } from '../commands/validate.js';
import { verify } from '../commands/verify.js';
import { REPORT_FORMATS } from '../diagnostics/reporters.js';
import { PACKAGE_ROOT } from '../paths.js';
import { TARGETS, UsageError } from '../project/config.js';
import { COVERAGE_FORMATS } from '../report/coverage-format.js';
import { EXIT_USAGE, type Io } from './context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

function version(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function defaultIo(): Io {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  return {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: interactive && !process.env.NO_COLOR,
    interactive,
  };
}

/** Runs hocso with argv (as process.argv) and returns the exit code; never lets a stack trace reach the user. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command('hocso')
    .description('Compile Markdown lessons tagged with digital-competency codes into offline web bundles and e-learning packages.')
    .version(version())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError()
    // `hocso --version` prints hocso's version; after a subcommand, --version is that command's (publish --version V).
    .enablePositionalOptions();
  const configOption = (): Option => new Option('-c, --config <file>', 'hocso.config.yaml to use (default: found in this folder or a parent)');

  program.command('build')
    .description('validate, then compile every course into OUT/web/COURSE/LANG/ or OUT/TARGET/COURSE.LANG.TARGET.zip')
    .addOption(new Option('-t, --target <target>', `target to build (${TARGETS.join(', ')}); repeatable`).argParser(collect))
    .addOption(new Option('--course <id>', 'build only this course; repeatable').argParser(collect))
    .addOption(new Option('--lang <tag>', 'build only this language of `languages`; repeatable').argParser(collect))
    .option('-o, --out <dir>', 'output folder (default: `output` of the config, else out/)')
    .option('--single-sco', 'SCORM targets: pack the whole course as one SCO (default: one SCO per lesson)')
    .option('--shard <i/n>', 'build only slice I of N of the courses × languages × targets (a CI matrix; see publish --merge)')
    .option('--cache-url <url>', 'remote build cache shared by machines (HTTP GET/PUT, e.g. nginx WebDAV); also $HOCSO_CACHE_URL')
    .option('--no-cache', 'ignore the build cache: render and write every output')
    .addOption(new Option('-f, --format <format>', 'diagnostics format (machine formats print one document to stdout)').choices([...REPORT_FORMATS]).default('pretty'))
    .addOption(configOption())
    .action(async (options) => { exitCode = await build(io, options); });

  program.command('publish')
    .description('build every target and language into a versioned release folder with release.json, an OPDS 2.0 catalog.json and delta.json')
    .option('--version <version>', 'release name (default: one more than the highest numbered release: 1, 2, 3 …)')
    .option('-o, --out <dir>', 'releases folder (default: OUTPUT/releases)')
    .option('--cache-url <url>', 'remote build cache for the build (as `hocso build --cache-url`); also $HOCSO_CACHE_URL')
    .option('--merge <dirs...>', 'do not build: release the output folders of `hocso build --shard I/N --out DIR` runs, checked to hold together exactly the whole build')
    .addOption(new Option('-f, --format <format>', 'how the build reports problems (json, junit, sarif, github: to stdout, for CI)').choices([...REPORT_FORMATS]).default('pretty'))
    .addOption(configOption())
    .action(async (options) => { exitCode = await publish(io, options); });

  program.command('preview')
    .description('serve the courses on localhost from memory, rebuilt and reloaded on every save, with a SCORM 2004 runtime panel')
    .option('-p, --port <n>', `port to listen on (0: any free port)`, String(DEFAULT_PORT))
    .addOption(new Option('--lang <tag>', 'preview only this language of `languages`; repeatable').argParser(collect))
    .addOption(configOption())
    .action(async (options) => { exitCode = await preview(io, options); });

  program.command('validate')
    .description('check config, courses, lessons, competencies, quizzes, links and media without building')
    .argument('[path]', 'project folder, config file, course folder or lesson file (default: the current project)')
    .addOption(new Option('-f, --format <format>', 'output format (json, junit, sarif, github: to stdout, for CI)').choices([...REPORT_FORMATS]).default('pretty'))
    .option('--fail-on-stale', 'stale translations (translation/stale) are errors, not warnings (for CI)')
    .addOption(configOption())
    .action(async (target: string | undefined, options) => { exitCode = await validate(io, target, options); });

  program.command('verify')
    .description('check SCORM 1.2 / 2004, cmi5 and Tin Can packages (zips or folders, from any tool) without extracting them')
    .argument('<path...>', 'package zip files or extracted package folders')
    .addOption(new Option('-f, --format <format>', 'output format (json, junit, sarif, github: to stdout, for CI)').choices([...REPORT_FORMATS]).default('pretty'))
    .action(async (targets: string[], options) => { exitCode = await verify(io, targets, options); });

  const report = program.command('report').description('reports about the project');
  report.command('competencies')
    .description('coverage matrix: competences × lessons, and competences no lesson covers')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...COVERAGE_FORMATS]).default('table'))
    .addOption(new Option('--course <id>', 'only this course; repeatable').argParser(collect))
    .addOption(configOption())
    .action(async (options) => { exitCode = await reportCompetencies(io, options); });

  const translate = program.command('translate').description("the translator's round trip: XLIFF 2.1 or PO files out, translated lessons (NAME.LANG.md) in");
  translate.command('extract')
    .description('write every translatable segment of a course, with context notes and the translations already made')
    .requiredOption('-l, --lang <tag>', 'language to translate into (one of `languages` in the config)')
    .addOption(new Option('-f, --format <format>', 'file format').choices([...TRANSLATE_FORMATS]).default('xliff'))
    .option('-o, --out <file>', 'file to write (default: standard output)')
    .addOption(new Option('--course <id>', 'the course to extract (needed when the project has several)').argParser(collect))
    .addOption(configOption())
    .action((options) => { exitCode = translateExtract(io, options); });
  translate.command('import')
    .description('write the translations of an XLIFF or PO file into the variants (NAME.LANG.md) and course.yaml')
    .argument('<file>', 'an XLIFF 2.x (.xlf) or PO (.po) file made by `hocso translate extract`')
    .option('--force', 'import segments whose source changed since extraction (they are marked stale)')
    .option('--dry-run', 'check the file and report what would change, write nothing')
    .addOption(configOption())
    .action((file: string, options) => { exitCode = translateImport(io, file, options); });
  translate.command('status')
    .description('per language and lesson: segments translated, stale (the source changed since) and missing')
    .option('-l, --lang <tag>', 'only this language')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...STATUS_FORMATS]).default('table'))
    .addOption(new Option('--course <id>', 'only this course; repeatable').argParser(collect))
    .addOption(configOption())
    .action((options) => { exitCode = translateStatus(io, options); });

  program.command('doctor')
    .description('show which ffmpeg, ffprobe and optional tools hocso uses, and which languages have a narration voice')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .addOption(configOption())
    .action(async (options) => { exitCode = await doctor(io, options); });

  program.command('init')
    .description('create a new project that builds and validates cleanly at once')
    .argument('[dir]', 'folder to create (default: the current folder, which must be empty)')
    .action((dir: string | undefined) => { exitCode = init(io, dir); });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; a usage mistake was already printed by commander.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      return EXIT_USAGE;
    }
    const err = error as NodeJS.ErrnoException;
    if (err?.code && typeof err.code === 'string' && err.code.startsWith('E')) {
      io.stderr(`error: cannot ${err.syscall === 'open' || err.syscall === 'read' ? 'read or write' : err.syscall ?? 'use'} ${err.path ?? 'a file'} (${err.code})\n  hint: check that the folder exists, is a folder, and that you may write to it (see --out).\n`);
      return EXIT_USAGE;
    }
    io.stderr(`internal error: ${err?.message ?? String(error)}\n  This is a bug in hocso, not in your content: please report it${process.env.HOCSO_DEBUG ? '' : ' (set HOCSO_DEBUG=1 to see details)'}.\n`);
    if (process.env.HOCSO_DEBUG) io.stderr(`${err?.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}
