// A course in one language → every file of its SCORM package: the web pages with the SCORM runtime, the manifest
// (and 1.2 metadata files), and the official schema files SCORM expects beside the manifest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Framework } from '../../frameworks/framework.js';
import { lessonsOf, type Course } from '../../model/course.js';
import { FILES_DIR, lessonPagePath } from '../../model/layout.js';
import type { FileTree } from '../../output/atomic-dir.js';
import type { FontProblem } from '../../fonts/course-fonts.js';
import { SCHEMAS_DIR } from '../../paths.js';
import { renderWebBundle } from '../web.js';
import { courseRecord, lessonRecord } from './lom.js';
import { SCORM12_SCHEMA_FILES, scorm12Manifest } from './manifest-12.js';
import { SCORM2004_SCHEMA_FILES, scorm2004Manifest } from './manifest-2004.js';
import { courseScoPlan, lessonScoPlan } from './plan.js';
import { renderScoShell, SCO_SHELL_PATH, scormWebExtension, type ScormVersion } from './runtime.js';

export type ScormTarget = 'scorm12' | 'scorm2004';
export const SCORM_VERSIONS: Record<ScormTarget, ScormVersion> = { scorm12: '1.2', scorm2004: '2004' };

export interface ScormOptions {
  version: ScormVersion;
  /** The whole course as one SCO instead of one SCO per lesson. */
  singleSco: boolean;
  /** Receives the characters no font of a page draws. */
  fontProblems?: FontProblem[];
}

/** Predictable names: COURSE.LANG.TARGET.zip. */
export function scormPackageName(course: Course, lang: string, target: ScormTarget): string {
  return `${course.id}.${lang}.${target}.zip`;
}

export async function renderScormPackage(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, options: ScormOptions): Promise<FileTree> {
  const mode = options.singleSco ? 'course' : 'lesson';
  // One SCO per lesson: the LMS navigates, so lesson pages must not link to each other.
  const files = await renderWebBundle(course, lang, frameworks, { ...scormWebExtension(course, options.version, mode), navigation: options.singleSco }, options.fontProblems);
  if (options.singleSco) files.set(SCO_SHELL_PATH, renderScoShell(course, lang, options.version));
  const paths = [...files.keys()].sort();
  const plan = options.singleSco ? courseScoPlan(course, lang, paths, SCO_SHELL_PATH) : lessonScoPlan(course, lang, paths, filesUsedByLessons(course, files));
  const courseLom = courseRecord(course, lang, frameworks);
  const lessonLom = new Map(lessonsOf(course).map((l) => [l.id, lessonRecord(l, l.language, frameworks)]));
  if (options.version === '1.2') {
    for (const [file, xml] of scorm12Manifest(plan, courseLom, lessonLom)) files.set(file, xml);
    for (const [name, bytes] of schemaFiles('scorm12', SCORM12_SCHEMA_FILES)) files.set(name, bytes);
  } else {
    files.set('imsmanifest.xml', scorm2004Manifest(plan, course, courseLom, lessonLom));
    for (const [name, bytes] of schemaFiles('scorm2004-4ed', SCORM2004_SCHEMA_FILES)) files.set(name, bytes);
  }
  return files;
}

const schemaCache = new Map<string, Map<string, Buffer>>();

function schemaFiles(set: string, names: readonly string[]): Map<string, Buffer> {
  let files = schemaCache.get(set);
  if (!files) {
    files = new Map(names.map((name) => [name, readFileSync(path.join(SCHEMAS_DIR, 'xsd', set, name))]));
    schemaCache.set(set, files);
  }
  return files;
}

/** The course files each lesson page refers to (src, srcset, href, poster), as package paths: what its SCO must list. */
function filesUsedByLessons(course: Course, files: FileTree): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const lesson of lessonsOf(course)) {
    const html = files.get(lessonPagePath(lesson.id));
    if (typeof html !== 'string') continue;
    const urls = [...html.matchAll(/\b(?:src|href|poster|srcset)="([^"]+)"/g)].flatMap((m) => m[1]!.split(',').map((c) => c.trim().split(/\s+/)[0]!));
    const paths = urls.filter((u) => u.startsWith(`../${FILES_DIR}/`)).map((u) => decodeURIComponent(u.slice(3).split(/[?#]/)[0]!));
    used.set(lesson.id, [...new Set(paths)].filter((p) => files.has(p)).sort());
  }
  return used;
}
