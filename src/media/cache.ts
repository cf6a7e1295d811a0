// A content-addressed cache of processed media on disk: key = SHA-256 of the input bytes, the operation's parameters
// and the tool's version. An entry is one file, written to a private temporary name and renamed into place, so two
// builds running at once never see half an entry (the last rename wins; both wrote the same bytes).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findSourceFile } from '../source/text-file.js';

export const CACHE_DIR_NAME = '.hocso-cache';

/** The cache folder: $HOCSO_CACHE_DIR, else .hocso-cache/ next to hocso.config.yaml. */
export function mediaCacheDir(projectRoot: string): string {
  const fromEnv = process.env.HOCSO_CACHE_DIR;
  return fromEnv ? path.resolve(fromEnv) : path.join(projectRoot, CACHE_DIR_NAME);
}

/** What one cached operation produced: named binary outputs plus a small JSON description. */
export interface CacheEntry {
  info: unknown;
  outputs: Map<string, Uint8Array>;
}

export function cacheKey(input: Uint8Array, operation: string, parameters: unknown, toolVersion: string): string {
  return createHash('sha256')
    .update(`${operation}\0${JSON.stringify(parameters)}\0${toolVersion}\0`)
    .update(input)
    .digest('hex');
}

const MAGIC = 'hocso-media-cache-1\n';

let configured: MediaCache | undefined;

/** Where every media product (images, clips, videos) is kept between builds; undefined: only in memory. */
export function configureMediaCache(dir: string | undefined): void {
  configured = dir ? new MediaCache(dir) : undefined;
}

/** The cache configured for this build, if any. */
export function mediaCache(): MediaCache | undefined {
  return configured;
}

export class MediaCache {
  constructor(readonly dir: string) {}

  private fileOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.bin`);
  }

  /** The entry, or undefined when absent or unreadable (a damaged entry is a miss, and is rewritten). */
  get(key: string): CacheEntry | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.fileOf(key));
    } catch {
      return undefined;
    }
    try {
      if (bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) return undefined;
      const headerLength = bytes.readUInt32BE(MAGIC.length);
      const headerStart = MAGIC.length + 4;
      const header = JSON.parse(bytes.subarray(headerStart, headerStart + headerLength).toString('utf8')) as { info: unknown; outputs: [string, number][] };
      const outputs = new Map<string, Uint8Array>();
      let at = headerStart + headerLength;
      for (const [name, length] of header.outputs) {
        if (at + length > bytes.length) return undefined;
        outputs.set(name, bytes.subarray(at, at + length));
        at += length;
      }
      return at === bytes.length ? { info: header.info, outputs } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores an entry atomically; a cache that cannot be written (read-only disk) is silently skipped. */
  set(key: string, entry: CacheEntry): void {
    const file = this.fileOf(key);
    const header = Buffer.from(JSON.stringify({ info: entry.info, outputs: [...entry.outputs].map(([name, b]) => [name, b.length]) }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(header.length);
    const temporary = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temporary, Buffer.concat([Buffer.from(MAGIC, 'latin1'), length, header, ...[...entry.outputs.values()]]));
      renameSync(temporary, file);
    } catch {
      rmSync(temporary, { force: true });
    }
  }
}

/**
 * A course file as found on disk (its name may be NFD while the lesson names it in NFC) and an id that changes with
 * it (path, size, modification time): the key of the per-build memo of each media kind. Throws the file system's
 * error for a file that cannot be read.
 */
export function sourceFileVersion(courseRoot: string, coursePath: string): { absolute: string; id: string; size: number } {
  const named = path.join(courseRoot, ...coursePath.split('/'));
  const absolute = findSourceFile(named) ?? named;
  const stat = statSync(absolute);
  return { absolute, id: `${absolute}\0${stat.size}\0${stat.mtimeMs}`, size: stat.size };
}

/**
 * The per-build memo of a media kind: one result per source file and version of it, shared by every target and
 * language. A file that cannot be read rejects with `unreadable(why)`, why in words.
 */
export function perSourceVersion<T>(
  memo: Map<string, Promise<T>>,
  courseRoot: string,
  coursePath: string,
  unreadable: (why: string) => Error,
  compute: (version: { absolute: string; size: number }) => Promise<T>,
): Promise<T> {
  let version;
  try {
    version = sourceFileVersion(courseRoot, coursePath);
  } catch (error) {
    return Promise.reject(unreadable(unreadableReason(error)));
  }
  let result = memo.get(version.id);
  if (!result) {
    result = compute(version);
    memo.set(version.id, result);
  }
  return result;
}

/** Why a media file cannot be read, in words: its error code (ENOENT, EACCES) rather than a stack. */
export function unreadableReason(error: unknown): string {
  return `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
}
