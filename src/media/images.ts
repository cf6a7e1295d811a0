// The image step of every HTML target: each picture a lesson shows is decoded once, turned upright, stripped of all
// metadata (EXIF, GPS, XMP, ICC), resized to responsive widths (never up), and encoded as AVIF, WebP and a JPEG
// (PNG when it has transparency) fallback. SVG is sanitized instead. Results are content-addressed in the media cache.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { courseBlocks, type Course, type Lesson, type SourceLocation } from '../model/course.js';
import { cacheKey, mediaCache, sourceFileVersion } from './cache.js';
import { sanitizeSvg } from './svg.js';
import { findSourceFile } from '../source/text-file.js';

export const RASTER_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif'] as const;
/** Widths offered to the browser (CSS pixels at 1x, or 480 px at 2x); a smaller image keeps its own width. */
export const RESPONSIVE_WIDTHS = [480, 960] as const;
/** Bump when the pipeline's output changes for the same parameters: old cache entries are then ignored. */
const PIPELINE_VERSION = 3;
const PARAMETERS = {
  pipeline: PIPELINE_VERSION,
  widths: RESPONSIVE_WIDTHS,
  avif: { quality: 50, effort: 4 },
  webp: { quality: 72, effort: 4 },
  jpeg: { quality: 78, mozjpeg: true },
  png: { compressionLevel: 9, effort: 7 },
};
export const SHARP_VERSION: string = (sharp.versions as Record<string, string>).sharp ?? 'unknown';
const TOOL_VERSION = `sharp ${SHARP_VERSION} vips ${(sharp.versions as Record<string, string>).vips ?? ''}`;

export type ImageFormat = 'avif' | 'webp' | 'jpeg' | 'png';

export interface ImageVariant {
  /** Course-relative path of the file (goes to files/). */
  path: string;
  format: ImageFormat;
  width: number;
  height: number;
}

export type ProcessedImage =
  | { kind: 'raster'; source: string; width: number; height: number; fallback: 'jpeg' | 'png'; variants: ImageVariant[]; files: Map<string, Uint8Array> }
  | { kind: 'svg'; source: string; width?: number; height?: number; removed: string[]; files: Map<string, Uint8Array> };

export class ImageError extends Error {}

/** Observable work counters (tests and HOCSO_TIMING): a cache hit encodes nothing. */
export const mediaStats = { images: 0, encoded: 0, cacheHits: 0, encodeMs: 0 };


export function isRasterImage(file: string): boolean {
  return (RASTER_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

export function isSvgImage(file: string): boolean {
  return path.extname(file).toLowerCase() === '.svg';
}

export function isOptimizedImage(file: string): boolean {
  return isRasterImage(file) || isSvgImage(file);
}

// One result per source file and version of it, shared by every target and language of the build.
const memo = new Map<string, Promise<ProcessedImage>>();

/** The processed image for a course file (course-relative path); rejects with ImageError for an unreadable image. */
export function processImage(courseRoot: string, coursePath: string): Promise<ProcessedImage> {
  const { absolute, id } = sourceFileVersion(courseRoot, coursePath);
  let result = memo.get(id);
  if (!result) {
    result = run(readFileSync(absolute), coursePath);
    memo.set(id, result);
  }
  return result;
}

async function run(bytes: Buffer, coursePath: string): Promise<ProcessedImage> {
  mediaStats.images++;
  if (isSvgImage(coursePath)) {
    let clean;
    try {
      clean = sanitizeSvg(bytes);
    } catch (error) {
      throw new ImageError(reason(error));
    }
    return { kind: 'svg', source: coursePath, removed: clean.removed, ...(clean.width ? { width: clean.width } : {}), ...(clean.height ? { height: clean.height } : {}), files: new Map([[coursePath, Buffer.from(clean.svg, 'utf8')]]) };
  }
  const key = cacheKey(bytes, 'image', { ...PARAMETERS, original: path.extname(coursePath).toLowerCase() }, TOOL_VERSION);
  const hit = mediaCache()?.get(key);
  if (hit) {
    mediaStats.cacheHits++;
    return fromEntry(coursePath, hit.info as CachedInfo, hit.outputs, key);
  }
  const started = performance.now();
  const { info, outputs } = await encode(bytes, path.extname(coursePath).toLowerCase());
  mediaStats.encoded++;
  mediaStats.encodeMs += performance.now() - started;
  mediaCache()?.set(key, { info, outputs });
  return fromEntry(coursePath, info, outputs, key);
}

interface CachedInfo {
  width: number;
  height: number;
  fallback: 'jpeg' | 'png';
  variants: { name: string; format: ImageFormat; width: number; height: number }[];
}

const EXTENSION: Record<ImageFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' };

async function encode(bytes: Buffer, extension: string): Promise<{ info: CachedInfo; outputs: Map<string, Uint8Array> }> {
  // Decode once, fully (a truncated file fails here, not half-way through the encodes), upright, as sRGB pixels:
  // what comes out carries no EXIF, GPS, XMP or ICC data at all.
  let pixels: { data: Buffer; info: OutputInfo };
  let hasAlpha: boolean;
  try {
    const input = sharp(bytes, { failOn: 'warning', animated: false, limitInputPixels: 100_000_000 });
    const meta = await input.metadata();
    hasAlpha = Boolean(meta.hasAlpha);
    // Decoded straight to the largest width offered: JPEG and WebP then shrink while decoding (a 2000 px photo is read
    // at 1000 px), the biggest cost of a naive per-variant loop paid once instead of six times.
    pixels = await input.autoOrient().resize({ width: RESPONSIVE_WIDTHS[RESPONSIVE_WIDTHS.length - 1], withoutEnlargement: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ImageError(reason(error));
  }
  const { width, height, channels } = pixels.info;
  if (hasAlpha && channels === 4) hasAlpha = await hasTransparency(pixels.data, channels);
  const raw = { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } };
  const widths = [...new Set([...RESPONSIVE_WIDTHS.filter((w) => w < width), Math.min(width, RESPONSIVE_WIDTHS[RESPONSIVE_WIDTHS.length - 1]!)])].sort((a, b) => a - b);
  const fallback: 'jpeg' | 'png' = hasAlpha ? 'png' : 'jpeg';
  const formats: ImageFormat[] = ['avif', 'webp', fallback];
  const outputs = new Map<string, Uint8Array>();
  const variants: CachedInfo['variants'] = [];
  await Promise.all(
    widths.flatMap((w) =>
      formats.map(async (format) => {
        let pipeline = sharp(pixels.data, raw).resize({ width: w, withoutEnlargement: true });
        if (!hasAlpha && channels === 4) pipeline = pipeline.removeAlpha();
        if (format === 'avif') pipeline = pipeline.avif(PARAMETERS.avif);
        else if (format === 'webp') pipeline = pipeline.webp(PARAMETERS.webp);
        else if (format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' }).jpeg(PARAMETERS.jpeg);
        else pipeline = pipeline.png(PARAMETERS.png);
        const out = await pipeline.toBuffer({ resolveWithObject: true });
        const name = `${w}.${EXTENSION[format]}`;
        outputs.set(name, out.data);
        variants.push({ name, format, width: out.info.width, height: out.info.height });
      }),
    ),
  );
  // The file under its own name too (packages list lesson files by their source path): the largest width, same
  // format, no metadata.
  const top = widths[widths.length - 1]!;
  let original = sharp(pixels.data, raw).resize({ width: top, withoutEnlargement: true });
  if (extension === '.png') original = original.png(PARAMETERS.png);
  else if (extension === '.webp') original = original.webp(PARAMETERS.webp);
  else if (extension === '.gif') original = original.gif();
  else original = original.flatten({ background: '#ffffff' }).jpeg(PARAMETERS.jpeg);
  const originalBytes = await original.toBuffer();
  variants.sort((a, b) => a.width - b.width || formats.indexOf(a.format) - formats.indexOf(b.format));
  // The map's order is the order of the cache file: make it independent of which encode finished first.
  const ordered = new Map(variants.map((v) => [v.name, outputs.get(v.name)!]));
  ordered.set('original', originalBytes);
  return { info: { width, height, fallback, variants }, outputs: ordered };
}

/** An alpha channel that is fully opaque everywhere is dropped (a JPEG fallback is much smaller than a PNG). */
async function hasTransparency(data: Buffer, channels: number): Promise<boolean> {
  for (let i = channels - 1; i < data.length; i += channels) if (data[i]! < 255) return true;
  return false;
}

function fromEntry(coursePath: string, info: CachedInfo, outputs: Map<string, Uint8Array>, key: string): ProcessedImage {
  const stem = coursePath.replace(/\.[^./]+$/, '');
  const files = new Map<string, Uint8Array>();
  const variants = info.variants.map((v): ImageVariant => {
    const [w, ext] = v.name.split('.');
    const variantPath = `${stem}-${w}w.${key.slice(0, 8)}.${ext}`;
    files.set(variantPath, outputs.get(v.name)!);
    return { path: variantPath, format: v.format, width: v.width, height: v.height };
  });
  files.set(coursePath, outputs.get('original')!);
  const largest = variants[variants.length - 1]!;
  return { kind: 'raster', source: coursePath, width: largest.width, height: largest.height, fallback: info.fallback, variants, files };
}

function reason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  return message.replace(/^Input (buffer|file) /, 'the file ').replace(/^VipsJpeg: |^VipsForeignLoad\w*: |^pngload: /, '');
}

/** Every image shown as a figure in a course (its lessons and their translated variants), with where it is used. */
export function figureImages(course: Course): { path: string; at: SourceLocation; lesson: Lesson }[] {
  return courseBlocks(course).flatMap(({ block: b, lesson }) => (b.kind === 'figure' && isOptimizedImage(b.src.path) ? [{ path: b.src.path, at: b.src.at, lesson }] : []));
}

/**
 * Processes every image of the courses before anything is rendered, a few at a time; an unreadable image becomes a
 * diagnostic at the line of the lesson that shows it (never a stack trace), sanitized SVG a warning.
 */
export async function prepareImages(courses: readonly Course[], concurrency = 4): Promise<Diagnostic[]> {
  const uses = courses.flatMap((course) => figureImages(course).map((use) => ({ ...use, root: course.root }))).filter((u) => findSourceFile(path.join(u.root, ...u.path.split('/'))) !== undefined);
  const diagnostics: Diagnostic[] = [];
  const unique = [...new Map(uses.map((u) => [path.join(u.root, u.path), u])).values()];
  let next = 0;
  const outcome = new Map<string, { error?: string; removed?: string[] }>();
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const use = unique[next++]!;
      const id = path.join(use.root, use.path);
      try {
        const image = await processImage(use.root, use.path);
        outcome.set(id, image.kind === 'svg' && image.removed.length ? { removed: image.removed } : {});
      } catch (error) {
        outcome.set(id, { error: error instanceof ImageError ? error.message : reason(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const seen = new Set<string>();
  for (const use of uses) {
    const result = outcome.get(path.join(use.root, use.path));
    const where = `${use.at.file}:${use.at.line}:${use.at.column}:${use.path}`;
    if (!result || seen.has(where)) continue;
    seen.add(where);
    if (result.error) diagnostics.push(diagnose('media/unreadable-image', use.at, `\`${use.path}\` is not a readable image: ${result.error}`));
    else if (result.removed) diagnostics.push(diagnose('media/svg-sanitized', use.at, `\`${use.path}\`: removed ${result.removed.join(', ')}`));
  }
  return diagnostics;
}

/** A short content hash, for tests and stats. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
