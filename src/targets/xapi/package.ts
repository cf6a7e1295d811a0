// A course in one language → a cmi5 package (cmi5.xml + one AU page per lesson) or a Tin Can package (tincan.xml,
// launched at the course index), both on the web bundle with the xAPI runtime.
import type { Framework } from '../../frameworks/framework.js';
import type { Course } from '../../model/course.js';
import type { FileTree } from '../../output/atomic-dir.js';
import type { FontProblem } from '../../fonts/course-fonts.js';
import { renderWebBundle } from '../web.js';
import { cmi5CourseStructure } from './course-structure.js';
import { courseIris } from './iris.js';
import { xapiWebExtension, type XapiProfile } from './runtime.js';
import { tincanXml } from './tincan-xml.js';

export type XapiTarget = 'cmi5' | 'xapi';
export const XAPI_PROFILES: Record<XapiTarget, XapiProfile> = { cmi5: 'cmi5', xapi: 'tincan' };

export function xapiPackageName(course: Course, lang: string, target: XapiTarget): string {
  return `${course.id}.${lang}.${target}.zip`;
}

export async function renderXapiPackage(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>, iriBase: string, profile: XapiProfile, fontProblems?: FontProblem[]): Promise<FileTree> {
  const iris = courseIris(iriBase, course.id);
  // cmi5: the LMS launches each AU alone, so lesson pages do not link to each other. Tin Can: one launch, the index.
  const files = await renderWebBundle(course, lang, frameworks, { ...xapiWebExtension(course, frameworks, iris, profile), navigation: profile === 'tincan' }, fontProblems);
  if (profile === 'cmi5') files.set('cmi5.xml', cmi5CourseStructure(course, lang, frameworks, iris));
  else files.set('tincan.xml', tincanXml(course, lang, iris, 'index.html'));
  return files;
}
