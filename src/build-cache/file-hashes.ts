// Content hashes of source files, remembered between builds by (size, mtime, inode) so an unchanged file is never read
// again: the only per-file cost of a no-change rebuild is one stat.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { readJsonState, writeJsonState } from './state-file.js';

/** [size, mtimeMs, ino, sha256, when it was hashed]. */
type Remembered = [number, number, number, string, number];

/**
 * A file modified in the same instant it was hashed could change again without its mtime moving ("racy" stat): such an
 * entry is trusted only once the file is older than this.
 */
const RACY_MS = 2000;

export class FileHashes {
  private readonly known: Record<string, Remembered>;
  private changed = false;
  /** One walk per folder and build: the sources do not change while hocso reads them. */
  private readonly trees = new Map<string, { digest: string; names: string; newest: number }>();

  constructor(private readonly stateFile: string | undefined) {
    this.known = (stateFile && readJsonState<Record<string, Remembered>>(stateFile)) || {};
  }

  /** The file's SHA-256, or undefined when it does not exist (or is not a readable file). */
  hash(file: string): string | undefined {
    let stat: Stats;
    try {
      stat = statSync(file);
    } catch {
      return undefined;
    }
    return stat.isFile() ? this.hashWithStat(file, stat) : undefined;
  }

  private hashWithStat(file: string, stat: Stats): string | undefined {
    const seen = this.known[file];
    if (seen && seen[0] === stat.size && seen[1] === stat.mtimeMs && seen[2] === stat.ino && stat.mtimeMs < seen[4] - RACY_MS) return seen[3];
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return undefined;
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    // A racy entry read again with the same result is not worth a state write: a no-change rebuild writes nothing.
    if (!(seen && seen[0] === stat.size && seen[1] === stat.mtimeMs && seen[2] === stat.ino && seen[3] === sha)) this.changed = true;
    this.known[file] = [stat.size, stat.mtimeMs, stat.ino, sha, Date.now()];
    return sha;
  }

  /**
   * One digest of every file under dir (names and contents), skipping hidden entries, node_modules and the folders in
   * `skip` (the output and cache folders when they sit inside a course).
   */
  treeDigest(dir: string, skip: readonly string[] = []): string {
    return this.tree(dir, skip).digest;
  }

  /**
   * What one walk of dir learns: the digest of names and contents, the digest of the names alone (what link
   * resolution sees: the body cache's key) and the newest modification time (the date of EPUBs and handouts).
   */
  tree(dir: string, skip: readonly string[] = []): { digest: string; names: string; newest: number } {
    const known = this.trees.get(dir);
    if (known) return known;
    const digest = createHash('sha256');
    const names = createHash('sha256');
    let newest = 0;
    walkFiles(dir, skip, (full, shown, stat) => {
      digest.update(`${shown}\0${this.hashWithStat(full, stat) ?? '-'}\n`);
      names.update(`${shown}\n`);
      newest = Math.max(newest, stat.mtimeMs);
    });
    const facts = { digest: digest.digest('hex'), names: names.digest('hex'), newest };
    this.trees.set(dir, facts);
    return facts;
  }

  /** Writes what was learned, only when something was (a no-change rebuild writes nothing). */
  save(): void {
    if (this.stateFile && this.changed) writeJsonState(this.stateFile, this.known);
    this.changed = false;
  }
}

/**
 * Calls visit for every file under dir, in a stable order (names sorted), with its path relative to dir (forward
 * slashes). Skips the folders in `skip`, hidden entries and node_modules.
 */
export function walkFiles(dir: string, skip: readonly string[], visit: (full: string, shown: string, stat: Stats) => void): void {
  const walk = (folder: string, relative: string): void => {
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = path.join(folder, name);
      if (skip.includes(full)) continue;
      let stat: Stats;
      try {
        stat = statSync(full);
      } catch {
        continue;
      }
      const shown = relative ? `${relative}/${name}` : name;
      if (stat.isDirectory()) walk(full, shown);
      else if (stat.isFile()) visit(full, shown, stat);
    }
  };
  walk(dir, '');
}
