// The EPUB container: META-INF/container.xml and the package document (metadata, manifest, spine), plus the two
// values that must not change from one build to the next: the identifier and the modification date.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Course } from '../../model/course.js';
import { lessonsOf } from '../../model/course.js';
import { findSourceFile } from '../../source/text-file.js';
import { el, xmlDocument, type XmlElement } from '../../xml/xml-builder.js';

export const CONTAINER_XML = xmlDocument(
  el('container', { version: '1.0', xmlns: 'urn:oasis:names:tc:opendocument:xmlns:container' },
    el('rootfiles', {}, el('rootfile', { 'full-path': 'EPUB/package.opf', 'media-type': 'application/oebps-package+xml' }))),
);

/** A fixed namespace for hocso's name-based (version 5) UUIDs. */
const UUID_NAMESPACE = 'b7a3c1e2-6f0d-5a4b-9c8e-2d1f0e3a4b5c';

/**
 * `urn:uuid:` + a version-5 UUID of the course id and the language: the same book keeps its identifier from one build
 * (and machine) to the next, so reading apps keep the reader's place and notes; another language is another book.
 */
export function epubIdentifier(course: Pick<Course, 'id'>, lang: string): string {
  const namespace = Buffer.from(UUID_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(`hocso:${course.id}:${lang}`, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * dcterms:modified, reproducibly: SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds convention) when it
 * is set, else the newest modification time among the book's sources — course.yaml, the lesson files shown and every
 * file they use — so rebuilding unchanged sources gives the same date, and editing any of them a newer one.
 */
export function epubModified(course: Course, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  const files = [path.join(course.root, 'course.yaml')];
  for (const lesson of lessonsOf(course)) {
    files.push(path.join(course.root, ...lesson.path.split('/')));
    for (const file of lesson.files) files.push(path.join(course.root, ...file.split('/')));
    const recording = lesson.narration?.recording?.path;
    if (recording) files.push(path.join(course.root, ...recording.split('/')));
  }
  let newest = 0;
  for (const file of files) {
    const found = findSourceFile(file);
    if (!found) continue;
    try {
      newest = Math.max(newest, statSync(found).mtimeMs);
    } catch {
      // unreadable: not a source of this book
    }
  }
  return new Date(newest);
}

/** CCYY-MM-DDThh:mm:ssZ (seconds, UTC), the only form dcterms:modified allows. */
export function w3cDateTime(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface ManifestItem {
  id: string;
  /** Relative to the package document, already URL-encoded. */
  href: string;
  mediaType: string;
  properties?: string[];
  mediaOverlay?: string;
}

export interface PackageMetadata {
  identifier: string;
  title: string;
  language: string;
  description?: string;
  publisher: string;
  subjects: string[];
  modified: Date;
  accessibility: {
    accessModes: string[];
    accessModesSufficient: string[];
    features: string[];
    hazards: string[];
    summary: { text: string; lang: string };
  };
  /** Media overlays: the duration of each (by manifest id) and in total, in milliseconds. */
  overlays?: { durations: { id: string; milliseconds: number }[]; activeClass: string };
}

export function packageDocument(meta: PackageMetadata, manifest: readonly ManifestItem[], spine: readonly { idref: string; linear?: boolean }[], clock: (ms: number) => string): string {
  const metas: XmlElement[] = [
    el('dc:identifier', { id: 'pub-id' }, meta.identifier),
    el('dc:title', { id: 'title' }, meta.title),
    el('dc:language', {}, meta.language),
    meta.description ? el('dc:description', {}, meta.description) : undefined,
    el('dc:publisher', {}, meta.publisher),
    ...meta.subjects.map((s) => el('dc:subject', {}, s)),
    el('meta', { property: 'dcterms:modified' }, w3cDateTime(meta.modified)),
    ...meta.accessibility.accessModes.map((m) => el('meta', { property: 'schema:accessMode' }, m)),
    ...meta.accessibility.accessModesSufficient.map((m) => el('meta', { property: 'schema:accessModeSufficient' }, m)),
    ...meta.accessibility.features.map((f) => el('meta', { property: 'schema:accessibilityFeature' }, f)),
    ...meta.accessibility.hazards.map((h) => el('meta', { property: 'schema:accessibilityHazard' }, h)),
    el('meta', { property: 'schema:accessibilitySummary', ...(meta.accessibility.summary.lang !== meta.language ? { 'xml:lang': meta.accessibility.summary.lang } : {}) }, meta.accessibility.summary.text),
  ].filter((m): m is XmlElement => m !== undefined);
  if (meta.overlays) {
    let total = 0;
    for (const { id, milliseconds } of meta.overlays.durations) {
      total += milliseconds;
      metas.push(el('meta', { property: 'media:duration', refines: `#${id}` }, clock(milliseconds)));
    }
    metas.push(el('meta', { property: 'media:duration' }, clock(total)));
    metas.push(el('meta', { property: 'media:active-class' }, meta.overlays.activeClass));
  }
  return xmlDocument(
    el('package', { xmlns: 'http://www.idpf.org/2007/opf', version: '3.0', 'unique-identifier': 'pub-id', 'xml:lang': meta.language },
      el('metadata', { 'xmlns:dc': 'http://purl.org/dc/elements/1.1/' }, metas),
      el('manifest', {}, manifest.map((item) => el('item', {
        id: item.id,
        href: item.href,
        'media-type': item.mediaType,
        properties: item.properties?.length ? item.properties.join(' ') : undefined,
        'media-overlay': item.mediaOverlay,
      }))),
      el('spine', {}, spine.map((s) => el('itemref', { idref: s.idref, linear: s.linear === false ? 'no' : undefined })))),
  );
}

const MEDIA_TYPES: Record<string, string> = {
  '.xhtml': 'application/xhtml+xml',
  '.smil': 'application/smil+xml',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.mp4': 'video/mp4',
  '.vtt': 'text/vtt',
};

/** The media type of a file the book ships, by its extension (every file hocso puts in an EPUB has one of these). */
export function mediaTypeOf(file: string): string | undefined {
  return MEDIA_TYPES[path.posix.extname(file).toLowerCase()];
}
