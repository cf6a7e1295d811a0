import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** Relative path (forward slashes) → file contents. */
export type FileTree = Map<string, string | Uint8Array>;

/**
 * Writes a whole folder or nothing: the files go to a hidden sibling first, which then replaces the folder in two
 * renames. A crash or error before the swap leaves the previous output as it was.
 */
export function writeDirAtomically(dir: string, files: FileTree): void {
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(dir)}.hocso-tmp-${process.pid}`);
  const retired = path.join(parent, `.${path.basename(dir)}.hocso-old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [relative, contents] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const target = path.join(staging, ...relative.split('/'));
      if (!target.startsWith(staging + path.sep)) throw new Error(`refusing to write outside the output folder: ${relative}`);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, contents);
    }
    if (existsSync(dir)) renameSync(dir, retired);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(retired)) renameSync(retired, dir);
    throw error;
  }
  rmSync(retired, { recursive: true, force: true });
}
