// catalog.json: an OPDS 2.0 feed of the release, one publication per course and language.
import type { Framework } from '../frameworks/framework.js';
import type { Course } from '../model/course.js';
import type { Target } from '../project/config.js';
import { competenceName, courseCompetencies, type ReleaseManifest, type ReleaseFile, CATALOG_FILE } from './release.js';

export const ACQUISITION = 'http://opds-spec.org/acquisition';

const TYPES: Record<string, string> = {
  epub: 'application/epub+zip',
  zip: 'application/zip',
  pdf: 'application/pdf',
  html: 'text/html',
  txt: 'text/plain',
  md: 'text/markdown',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  vtt: 'text/vtt',
  xml: 'application/rss+xml',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

const TARGET_TITLES: Record<Target, string> = {
  web: 'Web bundle (offline)',
  scorm12: 'SCORM 1.2 package',
  scorm2004: 'SCORM 2004 package',
  cmi5: 'cmi5 package',
  xapi: 'xAPI (Tin Can) package',
  audio: 'Audio bundle',
  video: 'Video bundle',
  epub: 'EPUB 3 book',
  print: 'Printable PDF handout',
  text: 'Plain text bundle',
};

export function mediaType(file: string): string {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return TYPES[ext] ?? 'application/octet-stream';
}

export interface CatalogEntry {
  /** The course as shown in that language (titles translated). */
  course: Course;
  language: string;
}

const href = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

/**
 * The files of one course and language a reader acquires: each package or book, and a folder bundle's index.html
 * (every file of a folder bundle that has none, e.g. audio).
 */
function acquisitionFiles(files: readonly ReleaseFile[]): ReleaseFile[] {
  const out: ReleaseFile[] = [];
  const byTarget = new Map<Target, ReleaseFile[]>();
  for (const f of files) byTarget.set(f.target, [...(byTarget.get(f.target) ?? []), f]);
  for (const group of byTarget.values()) {
    const index = group.find((f) => f.path.split('/').length === 4 && f.path.endsWith('/index.html'));
    out.push(...(index ? [index] : group));
  }
  return out;
}

export function catalogFor(manifest: ReleaseManifest, entries: readonly CatalogEntry[], frameworks: ReadonlyMap<string, Framework>): Record<string, unknown> {
  const publications = entries.flatMap(({ course, language }) => {
    const files = manifest.files.filter((f) => f.course === course.id && f.language === language);
    const links = acquisitionFiles(files).map((f) => ({
      rel: ACQUISITION,
      href: href(f.path),
      type: mediaType(f.path),
      title: TARGET_TITLES[f.target],
      ...(f.size > 0 ? { size: f.size } : {}),
    }));
    if (!links.length) return [];
    const subject = courseCompetencies(course).map((code) => ({ ...competenceName(code, frameworks, language), code }));
    return [{
      metadata: {
        '@type': 'http://schema.org/CreativeWork',
        title: course.title,
        identifier: `urn:hocso:course:${course.id}:${language}`,
        language,
        ...(course.description ? { description: course.description } : {}),
        ...(subject.length ? { subject } : {}),
      },
      links,
    }];
  });
  return {
    metadata: { title: `hocso release ${manifest.version}`, numberOfItems: publications.length },
    links: [{ rel: 'self', href: CATALOG_FILE, type: 'application/opds+json' }],
    publications,
  };
}
