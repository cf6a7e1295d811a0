import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Relative path (forward slashes) → file contents. */
export type FileTree = Map<string, string | Uint8Array>;

const WRITES_IN_FLIGHT = 16;

/**
 * Writes a whole folder or nothing: the files go to a hidden sibling first, which then replaces the folder in two
 * renames. A crash or error before the swap leaves the previous output as it was.
 */
export async function writeDirAtomically(dir: string, files: FileTree): Promise<void> {
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(dir)}.hocso-tmp-${process.pid}`);
  const retired = path.join(parent, `.${path.basename(dir)}.hocso-old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const entries = [...files].map(([relative, contents]) => {
      const target = path.join(staging, ...relative.split('/'));
      if (!target.startsWith(staging + path.sep)) throw new Error(`refusing to write outside the output folder: ${relative}`);
      return { target, contents };
    });
    for (const folder of new Set(entries.map((e) => path.dirname(e.target)))) await mkdir(folder, { recursive: true });
    // Many small files: keep several writes in flight so the disk works while the next ones are queued.
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < entries.length) {
        const { target, contents } = entries[next++]!;
        await writeFile(target, contents);
      }
    };
    await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, writer));
    if (existsSync(dir)) renameSync(dir, retired);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(retired)) renameSync(retired, dir);
    throw error;
  }
  rmSync(retired, { recursive: true, force: true });
}
