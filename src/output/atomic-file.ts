import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes a file whole or not at all: a hidden sibling is written, then renamed over the target. */
export function writeFileAtomically(file: string, contents: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const staging = path.join(path.dirname(file), `.${path.basename(file)}.hocso-tmp-${process.pid}`);
  try {
    writeFileSync(staging, contents);
    renameSync(staging, file);
  } catch (error) {
    rmSync(staging, { force: true });
    throw error;
  }
}
