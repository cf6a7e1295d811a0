// The content-addressed build cache. Each unit of a build (one course in one language for one target) has a key: the
// SHA-256 of everything its output depends on (hocso's own code and dependencies, the config, the frameworks, every
// file of the course's folder, the language and the target's options). Its record (ac/KEY) names the output's files by
// hash (cas/SHA256) and keeps the diagnostics the build reported for it, so a unit whose key is known is not compiled,
// rendered or verified again: its files come from the store, and are written only when the output folder differs.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { displayPath, isInside } from '../paths.js';
import type { CourseSource } from '../project/course-file.js';
import type { ProjectConfig } from '../project/config.js';
import { engineDigest } from './engine.js';
import { FileHashes } from './file-hashes.js';
import { sha256, type BlobStore } from './store.js';

const RECORD_VERSION = 1;
const FETCHES_IN_FLIGHT = 8;

/** What a unit produced: one file (a package, an EPUB, a PDF) or a folder of files. */
export interface UnitRecord {
  version: typeof RECORD_VERSION;
  kind: 'file' | 'dir';
  /** [relative name ('' for a single file), sha256, size], sorted by name. */
  files: [string, string, number][];
  /** Everything the build reported for this unit: its course's lesson diagnostics and its own (fonts, budgets, verification). */
  diagnostics: Diagnostic[];
  /** "course in LANGUAGE: 2 of 6 lessons in vi" when lessons fell back to another language. */
  fallbackNote?: string;
}

/** One digest of a record's files: what the output folder must hold. */
export function outputDigest(record: Pick<UnitRecord, 'kind' | 'files'>): string {
  return sha256(JSON.stringify([record.kind, record.files]));
}

export class BuildCache {
  private readonly courseKeys = new Map<string, string>();
  private readonly projectDigest: string;
  /** hocso's code, templates and dependencies as installed (see engine.ts). */
  readonly engine: string;

  constructor(
    private readonly config: ProjectConfig,
    private readonly store: BlobStore,
    readonly hashes: FileHashes,
    /** Folders never part of a course's inputs even when inside it: the output and cache folders. */
    private readonly skip: readonly string[],
  ) {
    this.engine = engineDigest(hashes);
    this.projectDigest = sha256(JSON.stringify([
      RECORD_VERSION,
      this.engine,
      hashes.hash(config.file) ?? '-',
      hashes.treeDigest(config.frameworksDir, skip),
    ]));
  }

  /**
   * Everything a course's outputs depend on besides the language and target. Its whole folder is hashed (lessons,
   * variants, media, recordings): lesson paths cannot leave it, and a lesson file listed outside it is hashed too.
   */
  courseKey(course: CourseSource): string {
    const known = this.courseKeys.get(course.root);
    if (known) return known;
    const outside = course.modules.flatMap((m) => m.lessons.map((l) => l.file)).filter((file) => !isInside(file, course.root));
    const key = sha256(JSON.stringify([
      this.projectDigest,
      displayPath(course.root, this.config.root),
      this.hashes.treeDigest(course.root, this.skip),
      outside.map((file) => [displayPath(file, this.config.root), this.hashes.hash(file) ?? '-']),
    ]));
    this.courseKeys.set(course.root, key);
    return key;
  }

  /**
   * For EPUB and print without SOURCE_DATE_EPOCH: the book carries the newest modification time of its sources, so
   * the newest time in the course folder is part of their key (a touched file renders the book again; it is written
   * only if its bytes changed).
   */
  sourceTime(course: CourseSource): number {
    return this.hashes.tree(course.root, this.skip).newest;
  }

  unitKey(course: CourseSource, parts: unknown): string {
    return sha256(JSON.stringify([this.courseKey(course), parts]));
  }

  async lookup(key: string): Promise<UnitRecord | undefined> {
    const bytes = await this.store.get('ac', key);
    if (!bytes) return undefined;
    try {
      const record = JSON.parse(Buffer.from(bytes).toString('utf8')) as UnitRecord;
      return record.version === RECORD_VERSION && Array.isArray(record.files) && Array.isArray(record.diagnostics) ? record : undefined;
    } catch {
      return undefined;
    }
  }

  /** The bytes of each of the record's files; undefined when the store lost any of them (then the unit is rebuilt). */
  async contents(record: UnitRecord): Promise<Map<string, Uint8Array> | undefined> {
    const fetched: (Uint8Array | undefined)[] = new Array(record.files.length);
    // A remote store answers faster with several requests in flight (a web bundle is hundreds of small files).
    let next = 0;
    const fetcher = async (): Promise<void> => {
      while (next < record.files.length) {
        const i = next++;
        fetched[i] = await this.store.get('cas', record.files[i]![1]);
      }
    };
    await Promise.all(Array.from({ length: FETCHES_IN_FLIGHT }, fetcher));
    if (fetched.some((bytes) => !bytes)) return undefined;
    return new Map(record.files.map(([name], i) => [name, fetched[i]!]));
  }

  /** Stores the files first, then the record: a record never names content the store does not hold. */
  async save(key: string, record: Omit<UnitRecord, 'version' | 'files'>, files: ReadonlyMap<string, Uint8Array>): Promise<UnitRecord> {
    const entries: [string, string, number][] = [];
    for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (!(await this.store.has('cas', sha))) await this.store.put('cas', sha, bytes);
      entries.push([name, sha, bytes.length]);
    }
    const full: UnitRecord = { version: RECORD_VERSION, ...record, files: entries };
    await this.store.put('ac', key, Buffer.from(JSON.stringify(full), 'utf8'));
    return full;
  }
}

/** The cache's folders: OUTPUT and CACHE are skipped when hashing a course that contains them. */
export function buildCacheDir(cacheRoot: string): string {
  return path.join(cacheRoot, 'build');
}
