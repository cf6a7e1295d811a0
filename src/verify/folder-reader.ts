import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_LIMITS, printable, type PackageContents, type PackageLimits } from './zip-reader.js';

// Reads an extracted package folder into memory with the same limits as a zip, never following links.

export function readFolder(root: string, limits: PackageLimits = PACKAGE_LIMITS): PackageContents {
  const files = new Map<string, Uint8Array>();
  const problems: PackageContents['problems'] = [];
  const found: { rel: string; full: string; size: number }[] = [];
  let total = 0;
  const visit = (dir: string, prefix: string): boolean => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = prefix + name;
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) { problems.push({ kind: 'unsafe-path', message: `${printable(rel)} is a symbolic link, which could point outside the package; it was not read`, skipped: rel }); continue; }
      if (stat.isDirectory()) { if (!visit(full, `${rel}/`)) return false; continue; }
      if (!stat.isFile()) { problems.push({ kind: 'unreadable-entry', message: `${printable(rel)} is not a regular file; it was not read`, skipped: rel }); continue; }
      if (stat.size > limits.maxEntryBytes) { problems.push({ kind: 'zip-bomb', message: `${printable(rel)} is ${Math.round(stat.size / 2 ** 20)} MiB, over the ${limits.maxEntryBytes / 2 ** 20} MiB limit for one file`, skipped: rel }); continue; }
      total += stat.size;
      found.push({ rel, full, size: stat.size });
      if (found.length > limits.maxEntries || total > limits.maxTotalBytes) {
        problems.push({ kind: 'zip-bomb', message: `the folder holds more than ${limits.maxEntries} files or ${limits.maxTotalBytes / 2 ** 20} MiB; nothing was read` });
        return false;
      }
    }
    return true;
  };
  if (!visit(root, '')) return { files, problems };
  for (const { rel, full } of found) files.set(rel, readFileSync(full));
  return { files, problems };
}
