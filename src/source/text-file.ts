import { readFileSync } from 'node:fs';

/** Reads a UTF-8 source file the way authors' editors write them: without a BOM, with any line ending. */
export function readSourceText(file: string): string {
  return normalizeSourceText(readFileSync(file, 'utf8'));
}

export function normalizeSourceText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
