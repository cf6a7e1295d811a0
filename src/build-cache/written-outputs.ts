// What the last build wrote into an output folder, so the next one rewrites only outputs whose content changed and a
// no-change rebuild writes nothing. Each output is trusted only while every one of its files still has the size and
// modification time recorded right after writing it: an output deleted or edited by hand is written again.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { readJsonState, writeJsonState } from './state-file.js';

interface WrittenOutput {
  digest: string;
  /** relative name ('' for a single file) → [size, mtimeMs]. */
  files: Record<string, [number, number]>;
}

export class WrittenOutputs {
  private readonly written: Record<string, WrittenOutput>;
  private changed = false;
  private readonly stateFile: string;

  /** State per output folder, kept in the cache folder (the output folder holds only what the build produces). */
  constructor(stateDir: string, private readonly outDir: string) {
    this.stateFile = path.join(stateDir, `written-${createHash('sha256').update(outDir).digest('hex').slice(0, 32)}.json`);
    this.written = readJsonState<Record<string, WrittenOutput>>(this.stateFile) ?? {};
  }

  /** True when `relative` (a file or folder of the output folder) holds exactly the output with this digest. */
  isCurrent(relative: string, digest: string): boolean {
    const known = this.written[relative];
    if (!known || known.digest !== digest) return false;
    const base = path.join(this.outDir, ...relative.split('/'));
    return Object.entries(known.files).every(([name, [size, mtimeMs]]) => {
      try {
        const stat = statSync(name ? path.join(base, ...name.split('/')) : base);
        return stat.isFile() && stat.size === size && stat.mtimeMs === mtimeMs;
      } catch {
        return false;
      }
    });
  }

  /** Records an output just written (names as in the unit's record). */
  remember(relative: string, digest: string, names: readonly string[]): void {
    const base = path.join(this.outDir, ...relative.split('/'));
    const files: WrittenOutput['files'] = {};
    for (const name of names) {
      const stat = statSync(name ? path.join(base, ...name.split('/')) : base);
      files[name] = [stat.size, stat.mtimeMs];
    }
    this.written[relative] = { digest, files };
    this.changed = true;
  }

  save(): void {
    if (this.changed) writeJsonState(this.stateFile, this.written);
    this.changed = false;
  }
}
