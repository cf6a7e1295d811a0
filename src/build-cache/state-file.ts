// Small JSON state files of the build cache: read leniently (a damaged file is forgotten, never an error), written
// atomically, and never a reason for a build to fail.
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../output/atomic-file.js';

export function readJsonState<T>(file: string): T | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

export function writeJsonState(file: string, value: unknown): void {
  try {
    writeFileAtomically(file, JSON.stringify(value));
  } catch {
    // A read-only cache folder only costs the next build some hashing.
  }
}
