import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The installed hocso package: where schemas/, templates/ and the bundled content/ live. */
export const PACKAGE_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const SCHEMAS_DIR = path.join(PACKAGE_ROOT, 'schemas');
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
export const BUNDLED_FRAMEWORKS_DIR = path.join(PACKAGE_ROOT, 'content', 'frameworks');

/** A path as shown to users: relative to the project root when inside it, with forward slashes. */
export function displayPath(file: string, root: string): string {
  const rel = path.relative(root, file);
  if (rel === '') return '.';
  return (!rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file).split(path.sep).join('/');
}

/** True when `child` is `parent` or inside it (both absolute). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
