import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { readZip } from '../../src/verify/zip-reader.js';

/** Extracts a package the tests built (read with verify's safe reader) into dir, as an LMS would serve it. */
export async function unzip(zipFile: string, dir: string): Promise<void> {
  const { files, problems } = await readZip(zipFile);
  expect(problems).toEqual([]);
  for (const [name, bytes] of files) {
    const target = path.join(dir, ...name.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}
