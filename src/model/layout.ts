// Where pages and course files sit inside every bundle, and how a lesson page links to them.
// Shared by all targets so a link rewritten once in the model is right everywhere.

export const LESSONS_DIR = 'lessons';
export const FILES_DIR = 'files';
export const ASSETS_DIR = 'assets';

export function lessonPagePath(lessonId: string): string {
  return `${LESSONS_DIR}/${lessonId}.html`;
}

/** From a lesson page to another lesson page. */
export function lessonHrefFromLesson(lessonId: string): string {
  return `${lessonId}.html`;
}

/** From a lesson page to a course file (course-relative path). */
export function fileHrefFromLesson(coursePath: string): string {
  return `../${packageHref(`${FILES_DIR}/${coursePath}`)}`;
}

/** A package path as a URL (manifests hold URLs: spaces and Vietnamese letters are escaped). */
export function packageHref(filePath: string): string {
  return filePath.split('/').map(encodeURIComponent).join('/');
}
