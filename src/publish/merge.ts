// `hocso publish --merge DIR…`: the output folders of several `hocso build` runs (shards of one build, e.g. the jobs
// of a CI matrix running `hocso build --shard I/N`) checked to hold, together, exactly what one unsharded build of the
// project writes, so that publish can turn them into one release instead of building.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { outputPath } from '../commands/build.js';
import { buildLanguages } from '../i18n/localize.js';
import type { Course } from '../model/course.js';
import { displayPath, isInside } from '../paths.js';
import { UsageError, type ProjectConfig, type Target } from '../project/config.js';
import { verifyPackageZip } from '../verify/package.js';
import { readZip } from '../verify/zip-reader.js';
import { classify, listFiles } from './release.js';

/** One thing an unsharded build writes: a course, in one of its languages, for one target. */
export interface Unit {
  course: Course;
  language: string;
  target: Target;
  /** Where `hocso build` writes it, relative to its output folder: a folder (ending in `/`) or a file. */
  path: string;
}

/** A problem with the folders to merge: nothing is published. */
export interface MergeProblem {
  message: string;
  hint: string;
}

/** The folders, checked and merged: each file of the release and the shard file it is copied from. */
export interface MergedShards {
  units: Unit[];
  /** Release-relative path (forward slashes) → absolute path of the file in the first folder holding it; sorted. */
  files: Map<string, string>;
  /** Files left out: hidden (a name starting with `.`) and outside every unit, e.g. the build's own temporary files. */
  ignored: string[];
  problems: MergeProblem[];
}

const ZIP_TARGETS: readonly Target[] = ['scorm12', 'scorm2004', 'cmi5', 'xapi'];

/** Where `hocso build` writes a unit: its folder (TARGET/COURSE/LANG/, with the slash) or its file (TARGET/COURSE.LANG.EXT). */
export function unitPath(target: Target, course: Course, language: string): string {
  const relative = outputPath(target, course.id, language);
  return relative.split('/').length === 3 ? `${relative}/` : relative;
}

/** Every unit an unsharded `hocso build` (and so `hocso publish`) writes: each course × its languages × the config's targets. */
export function expectedUnits(config: ProjectConfig, courses: readonly Course[]): Unit[] {
  return courses.flatMap((course) =>
    buildLanguages(config.languages, course).flatMap((setting) => config.targets.map((target) => ({ course, language: setting.tag, target, path: unitPath(target, course, setting.tag) }))),
  );
}

/** The folders given to --merge, absolute and each once; one that is not an existing folder is a usage mistake. */
export function shardFolders(dirs: readonly string[], cwd: string): string[] {
  const folders = [...new Set(dirs.map((d) => path.resolve(cwd, d)))];
  if (!folders.length) throw new UsageError('--merge needs at least one folder', 'Pass the output folders of the shard builds: hocso publish --merge shard-1 shard-2 …');
  for (const folder of folders) {
    let isFolder = false;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch {
      throw new UsageError(`${displayPath(folder, cwd)} does not exist`, 'Pass the folders `hocso build --shard I/N --out DIR` wrote, one per shard (download every shard\'s artifact first); a shard with nothing to build writes no folder: leave it out.');
    }
    if (!isFolder) throw new UsageError(`${displayPath(folder, cwd)} is not a folder`, 'Pass the output folders of the shard builds, not files inside them.');
  }
  for (const folder of folders) {
    const outer = folders.find((other) => other !== folder && isInside(folder, other));
    if (outer) throw new UsageError(`${displayPath(folder, cwd)} is inside ${displayPath(outer, cwd)}, also given to --merge`, 'Pass each shard\'s output folder once, side by side (shard-1 shard-2 …), not a folder together with one of its subfolders.');
  }
  return folders;
}

const RERUN_HINT = 'Run every shard 1/N … N/N (`hocso build --shard I/N --out DIR`) and pass all their output folders to --merge.';
const DISAGREE_HINT = 'Build every shard from the same commit and config (in CI: jobs of one workflow run) into empty folders, then merge again.';
const STALE_HINT = 'This is left over from another build (an older commit or config): build each shard into an empty folder and merge again.';
const DAMAGED_HINT = 'Copy the shard\'s output folder whole (a download or upload that stopped early truncates files), or build that shard again.';
const UNKNOWN_HINT = 'Pass only folders `hocso build --out DIR` wrote: a merged folder may hold nothing but built output.';

/**
 * Reads every file of the folders (in the order given) and checks that together they hold exactly the units of the
 * project: none missing, nothing else, and a file found in several folders (a unit built twice) the same in each.
 * `skip` is a folder never read, wherever it is (the releases folder, when it is inside one of them).
 */
export function mergeShards(folders: readonly string[], units: readonly Unit[], cwd: string, skip?: string): MergedShards {
  const byPath = new Map(units.map((u) => [u.path, u]));
  const unitOf = (relative: string): Unit | undefined => byPath.get(relative) ?? byPath.get(`${relative.split('/').slice(0, 3).join('/')}/`);
  const shown = (folder: string, relative = ''): string => {
    const base = displayPath(folder, cwd);
    return base === '.' ? relative || '.' : relative ? `${base}/${relative}` : base;
  };

  /** Release-relative path → the folder it is taken from (the first holding it) and the file there. */
  const files = new Map<string, { folder: string; full: string }>();
  const ignored: string[] = [];
  const problems: MergeProblem[] = [];
  /** Unit path → the folder it was taken from and its files there. */
  const found = new Map<string, { folder: string; files: Set<string> }>();
  for (const folder of folders) {
    const held = new Map<string, Set<string>>();
    for (const relative of listFiles(folder)) {
      const full = path.join(folder, ...relative.split('/'));
      if (skip && isInside(full, skip)) continue;
      const unit = unitOf(relative);
      if (!unit) {
        if (relative.split('/').some((part) => part.startsWith('.'))) ignored.push(shown(folder, relative));
        else problems.push(strayFile(shown(folder, relative), relative, units));
        continue;
      }
      if (!held.has(unit.path)) held.set(unit.path, new Set());
      held.get(unit.path)!.add(relative);
      const first = files.get(relative);
      if (first === undefined) files.set(relative, { folder, full });
      else if (!sameBytes(first.full, full)) {
        problems.push({ message: `the shards disagree about ${relative}: ${shown(first.folder, relative)} and ${shown(folder, relative)} differ; were they built from the same commit?`, hint: DISAGREE_HINT });
      }
    }
    for (const [unitKey, list] of held) {
      const earlier = found.get(unitKey);
      if (!earlier) {
        found.set(unitKey, { folder, files: list });
        continue;
      }
      // A folder unit built twice: the same files in both (a stale page in one would otherwise slip into the release).
      const extra = [...list].filter((f) => !earlier.files.has(f));
      const lacking = [...earlier.files].filter((f) => !list.has(f));
      for (const [has, hasNot, file] of [...extra.map((f) => [folder, earlier.folder, f] as const), ...lacking.map((f) => [earlier.folder, folder, f] as const)]) {
        problems.push({ message: `the shards disagree about ${unitKey}: ${shown(has, file)} is not in ${shown(hasNot)}; were they built from the same commit?`, hint: DISAGREE_HINT });
      }
    }
  }
  for (const unit of units) {
    if (!found.has(unit.path)) {
      problems.push({ message: `no folder holds ${unit.course.id} in ${unit.language} for target ${unit.target} (${unit.path}): a shard is missing`, hint: RERUN_HINT });
    }
  }
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([relative, f]) => [relative, f.full] as const);
  return { units: [...units], files: new Map(sorted), ignored, problems };
}

/** Why a file that belongs to no unit of the project is there. */
function strayFile(shown: string, relative: string, units: readonly Unit[]): MergeProblem {
  const where = classify(relative);
  if (!where) return { message: `${shown} is not a file \`hocso build\` writes`, hint: UNKNOWN_HINT };
  const { target, course, language } = where;
  const reason = !units.some((u) => u.course.id === course)
    ? `course ${course} is not in the project`
    : !units.some((u) => u.target === target)
      ? `the project does not build target ${target} (see \`targets\` in the config)`
      : !units.some((u) => u.course.id === course && u.language === language)
        ? `the project does not build ${course} in ${language} (see \`languages\` in the config)`
        : `hocso build writes ${course} in ${language} for ${target} as ${units.find((u) => u.course.id === course && u.language === language && u.target === target)!.path}`;
  return { message: `${shown} belongs to no unit of the project: ${reason}`, hint: STALE_HINT };
}

function sameBytes(a: string, b: string): boolean {
  if (statSync(a).size !== statSync(b).size) return false;
  return readFileSync(a).equals(readFileSync(b));
}

/**
 * The checks publish makes on what it releases, made again on the copies: every package zip verified as `hocso build`
 * verifies it (diagnostics), and each EPUB and PDF checked to be whole (a copied artifact may be truncated).
 */
export async function verifyShards(merged: MergedShards, cwd: string): Promise<{ diagnostics: Diagnostic[]; problems: MergeProblem[] }> {
  const diagnostics: Diagnostic[] = [];
  const problems: MergeProblem[] = [];
  for (const unit of merged.units) {
    const source = merged.files.get(unit.path);
    if (source === undefined) continue;
    const label = displayPath(source, cwd);
    if (ZIP_TARGETS.includes(unit.target)) {
      diagnostics.push(...(await verifyPackageZip(readFileSync(source), label)));
    } else if (unit.target === 'epub') {
      const contents = await readZip(readFileSync(source));
      diagnostics.push(...contents.problems.map((p) => diagnose(`package/${p.kind}`, { file: label }, p.message, { severity: p.severity })));
      const mimetype = contents.files.get('mimetype');
      if (!contents.problems.some((p) => p.kind === 'not-a-zip') && (!mimetype || Buffer.from(mimetype).toString('latin1') !== 'application/epub+zip')) {
        problems.push({ message: `${label} is not an EPUB: it has no mimetype file saying application/epub+zip`, hint: DAMAGED_HINT });
      }
    } else if (unit.target === 'print') {
      const pdf = readFileSync(source);
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-' || !pdf.subarray(-1024).toString('latin1').includes('%%EOF')) {
        problems.push({ message: `${label} is not a whole PDF (no %PDF- header or %%EOF trailer): was it truncated?`, hint: DAMAGED_HINT });
      }
    }
  }
  return { diagnostics, problems };
}

/** Copies the merged files into the (staging) release folder. */
export function copyShards(merged: MergedShards, into: string): void {
  for (const [relative, source] of merged.files) {
    const target = path.join(into, ...relative.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
}

/** Beyond this, the problems with the same hint are counted, not listed. */
const PROBLEMS_SHOWN = 10;

/** The problems as the CLI prints them: each message, with its hint after the first problem of its kind. */
export function formatProblems(problems: readonly MergeProblem[]): string {
  const byHint = new Map<string, string[]>();
  for (const p of problems) byHint.set(p.hint, [...(byHint.get(p.hint) ?? []), p.message]);
  return [...byHint]
    .map(([hint, messages]) => {
      const shown = messages.slice(0, PROBLEMS_SHOWN).map((m) => `error: ${m}\n`);
      const more = messages.length > PROBLEMS_SHOWN ? `  … and ${messages.length - PROBLEMS_SHOWN} more like this\n` : '';
      return `${shown[0]}  hint: ${hint}\n${shown.slice(1).join('')}${more}`;
    })
    .join('');
}
