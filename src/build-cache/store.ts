// Where the build cache keeps what it learned, in the layout of common remote build caches (Bazel's HTTP cache,
// bazel-remote, nginx WebDAV): `ac/KEY` holds an action's result (a small JSON naming its outputs by hash), `cas/SHA256`
// holds content by its own SHA-256. A store is the local folder, a remote HTTP server, or both.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type StoreArea = 'ac' | 'cas';

export interface BlobStore {
  /** The bytes under area/key, or undefined when absent (or, for cas, when they do not hash to key). */
  get(area: StoreArea, key: string): Promise<Uint8Array | undefined>;
  /** Stores bytes under area/key; a store that cannot be written is skipped, never an error of the build. */
  put(area: StoreArea, key: string, bytes: Uint8Array): Promise<void>;
  /** Whether area/key is present, without fetching it (to skip uploading what is already there). */
  has(area: StoreArea, key: string): Promise<boolean>;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Content fetched from cas must hash to its key: a damaged or tampered blob is a miss. */
export function checkedBlob(area: StoreArea, key: string, bytes: Uint8Array | undefined): Uint8Array | undefined {
  if (!bytes) return undefined;
  return area === 'cas' && sha256(bytes) !== key ? undefined : bytes;
}

/** DIR/ac/AB/KEY and DIR/cas/AB/SHA256, each written to a private name and renamed into place. */
export class LocalStore implements BlobStore {
  constructor(readonly dir: string) {}

  private fileOf(area: StoreArea, key: string): string {
    return path.join(this.dir, area, key.slice(0, 2), key);
  }

  async get(area: StoreArea, key: string): Promise<Uint8Array | undefined> {
    try {
      return checkedBlob(area, key, readFileSync(this.fileOf(area, key)));
    } catch {
      return undefined;
    }
  }

  async has(area: StoreArea, key: string): Promise<boolean> {
    return existsSync(this.fileOf(area, key));
  }

  async put(area: StoreArea, key: string, bytes: Uint8Array): Promise<void> {
    const file = this.fileOf(area, key);
    const temporary = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temporary, bytes);
      renameSync(temporary, file);
    } catch {
      rmSync(temporary, { force: true });
    }
  }
}
