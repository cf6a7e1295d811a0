// The release manifest (release.json): every built file with its hash, size, and the course, language and target it belongs to.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { competencesOf, type Framework } from '../frameworks/framework.js';
import { lessonsOf, type Course } from '../model/course.js';
import { TARGETS, type Target } from '../project/config.js';

export const RELEASE_FILE = 'release.json';
export const CATALOG_FILE = 'catalog.json';
export const DELTA_FILE = 'delta.json';

export interface ReleaseFile {
  /** Relative to the release folder, with forward slashes. */
  path: string;
  sha256: string;
  size: number;
  target: Target;
  language: string;
  course: string;
  /** FRAMEWORK:CODE of every competence the course's lessons cover. */
  competencies: string[];
}

export interface ReleaseManifest {
  version: string;
  /** The release this one's delta.json is relative to, when there was one. */
  previous?: string;
  courses: string[];
  files: ReleaseFile[];
}

/** Targets whose output is a folder per course and language (TARGET/COURSE/LANG/…); the others write TARGET/COURSE.LANG.EXT. */
const FOLDER_TARGETS: readonly Target[] = ['web', 'audio', 'video', 'text'];

/** Every file under dir, relative, with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      const relative = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) walk(full, relative);
      else out.push(relative);
    }
  };
  walk(dir, '');
  return out;
}

/** Which target, course and language a built file belongs to, from where build() writes it; undefined for anything else. */
export function classify(relative: string): { target: Target; course: string; language: string } | undefined {
  const parts = relative.split('/');
  const target = parts[0] as Target;
  if (!(TARGETS as readonly string[]).includes(target)) return undefined;
  if (FOLDER_TARGETS.includes(target)) {
    if (parts.length < 4) return undefined;
    return { target, course: parts[1]!, language: parts[2]! };
  }
  if (parts.length !== 2) return undefined;
  // Course ids and language tags hold no dots: COURSE.LANG.rest
  const [course, language] = parts[1]!.split('.');
  if (!course || !language) return undefined;
  return { target, course, language };
}

/** FRAMEWORK:CODE of every competence the course's lessons name, sorted, without levels. */
export function courseCompetencies(course: Course): string[] {
  return [...new Set(lessonsOf(course).flatMap((l) => l.competencies.map((c) => `${c.framework}:${c.code}`)))].sort();
}

/** The competence's title in the language (Vietnamese unless English is asked for), or the code itself. */
export function competenceName(code: string, frameworks: ReadonlyMap<string, Framework>, language: string): { name: string; scheme?: string } {
  const [frameworkId, competence] = [code.slice(0, code.indexOf(':')), code.slice(code.indexOf(':') + 1)];
  const framework = frameworks.get(frameworkId);
  const found = framework && competencesOf(framework).find((c) => c.code === competence);
  const name = found ? (language.startsWith('en') ? found.title.en : found.title.vi) : code;
  return { name, ...(framework ? { scheme: framework.iriBase } : {}) };
}

/** Hashes every built file of the release folder; a file build() did not write for a known course is a bug. */
export function manifestFor(version: string, dir: string, courses: readonly Course[], previous: string | undefined): ReleaseManifest {
  const byId = new Map(courses.map((c) => [c.id, c]));
  const files = listFiles(dir).flatMap((relative): ReleaseFile[] => {
    const where = classify(relative);
    if (!where) return [];
    const course = byId.get(where.course);
    if (!course) throw new Error(`publish: ${relative} belongs to no course of the project`);
    const bytes = readFileSync(path.join(dir, ...relative.split('/')));
    return [{ path: relative, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, ...where, competencies: courseCompetencies(course) }];
  });
  return { version, ...(previous ? { previous } : {}), courses: courses.map((c) => c.id), files };
}

/** Released versions in dir (folders holding release.json), oldest first: numbers compared as numbers. */
export function releasedVersions(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && existsSync(path.join(dir, name, RELEASE_FILE)))
    .sort(compareVersions);
}

export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The next version when --version is not given: one more than the highest numeric version (1, 2, 3 …). */
export function nextVersion(dir: string): string {
  const numbers = existsSync(dir) ? readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number) : [];
  return String(numbers.length ? Math.max(...numbers) + 1 : 1);
}

export function readManifest(dir: string): ReleaseManifest {
  return JSON.parse(readFileSync(path.join(dir, RELEASE_FILE), 'utf8')) as ReleaseManifest;
}
