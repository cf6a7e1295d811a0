// What a SCORM package holds, independent of the SCORM version: the organization (modules → lesson items) and the
// resources (one per SCO, listing every file it uses, plus one shared-asset resource). The manifest writers of each
// version turn this into XML.
import { FILES_DIR, ASSETS_DIR, lessonPagePath } from '../../model/layout.js';
import { courseMasteryScore, lessonsOf, quizzesOf, type Course, type Lesson } from '../../model/course.js';

export interface PlanItem {
  identifier: string;
  title: string;
  children: PlanItem[];
  /** Set on leaf items: the SCO they launch. */
  resource?: PlanResource;
  /** The lesson a leaf item plays (absent for the single course SCO). */
  lesson?: Lesson;
  /** Mastery score (0–1) when the item has a score to compare. */
  masteryScore?: number;
  /** Items (leaf identifiers) that must be passed first. */
  prerequisites: string[];
}

export interface PlanResource {
  identifier: string;
  /** Launch file for SCOs; absent for the shared assets. */
  href?: string;
  files: string[];
  dependencies: string[];
  lesson?: Lesson;
}

export interface PackagePlan {
  identifier: string;
  organizationId: string;
  items: PlanItem[];
  resources: PlanResource[];
}

export const SHARED_RESOURCE_ID = 'RES-shared';

const itemId = (lessonId: string): string => `ITEM-${lessonId}`;
const resourceId = (lessonId: string): string => `RES-${lessonId}`;

/**
 * One SCO per lesson, items grouped by module; `paths` are all files of the package's web content, `usedBy` the
 * course files each lesson page refers to (image variants included), by lesson id.
 */
export function lessonScoPlan(course: Course, lang: string, paths: readonly string[], usedBy: ReadonlyMap<string, readonly string[]> = new Map()): PackagePlan {
  const shared = sharedResource(paths);
  const inPackage = new Set(paths);
  const resources: PlanResource[] = [];
  const items = course.modules.map((module): PlanItem => ({
    identifier: `MOD-${module.id}`,
    title: module.title,
    prerequisites: [],
    children: module.lessons.map((lesson): PlanItem => {
      const resource: PlanResource = {
        identifier: resourceId(lesson.id),
        href: lessonPagePath(lesson.id),
        // a source the media pipeline replaced (a WAV, the original video) is not shipped: only what is in the package
        files: [lessonPagePath(lesson.id), ...new Set([...lesson.files.map((f) => `${FILES_DIR}/${f}`).filter((f) => inPackage.has(f)), ...(usedBy.get(lesson.id) ?? [])])],
        dependencies: [shared.identifier],
        lesson,
      };
      resources.push(resource);
      return {
        identifier: itemId(lesson.id),
        title: lesson.title,
        children: [],
        resource,
        lesson,
        ...(quizzesOf(lesson.blocks).length ? { masteryScore: lesson.masteryScore } : {}),
        prerequisites: (course.prerequisites[lesson.id] ?? []).map(itemId),
      };
    }),
  }));
  return { identifier: packageId(course, lang), organizationId: `ORG-${course.id}`, items, resources: [...resources, shared] };
}

/** The whole course as one SCO: sco.html holds the session and shows every page. */
export function courseScoPlan(course: Course, lang: string, paths: readonly string[], launch: string): PackagePlan {
  const shared = sharedResource(paths);
  const resource: PlanResource = {
    identifier: `RES-${course.id}`,
    href: launch,
    files: paths.filter((p) => !shared.files.includes(p)).sort((a, b) => (a === launch ? -1 : b === launch ? 1 : 0)),
    dependencies: [shared.identifier],
  };
  const scored = lessonsOf(course).some((l) => quizzesOf(l.blocks).length);
  const item: PlanItem = { identifier: `ITEM-${course.id}`, title: course.title, children: [], resource, prerequisites: [], ...(scored ? { masteryScore: courseMasteryScore(course) } : {}) };
  return { identifier: packageId(course, lang), organizationId: `ORG-${course.id}`, items: [item], resources: [resource, shared] };
}

function sharedResource(paths: readonly string[]): PlanResource {
  return { identifier: SHARED_RESOURCE_ID, files: paths.filter((p) => p.startsWith(`${ASSETS_DIR}/`)), dependencies: [] };
}

function packageId(course: Course, lang: string): string {
  return `hocso-${course.id}-${lang}`;
}

export function leafItems(items: readonly PlanItem[]): PlanItem[] {
  return items.flatMap((i) => (i.children.length ? leafItems(i.children) : [i]));
}
