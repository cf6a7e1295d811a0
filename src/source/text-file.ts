import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads a UTF-8 source file the way authors' editors write them: without a BOM, with any line ending, in NFC.
 * A path whose file is on disk under another Unicode normalization (an NFD name written on macOS) is found too.
 */
export function readSourceText(file: string): string {
  return normalizeSourceText(readFileSync(findSourceFile(file) ?? file, 'utf8'));
}

/**
 * Every source text enters hocso through here: lessons, front matter, course.yaml, the config, frameworks. Some
 * editors and keyboards write Vietnamese decomposed (NFD: `ế` as e + U+0302 + U+0301); it is composed (NFC) here,
 * once, so ids, heading anchors, hashes, search and the output bytes are the same whichever form the file used.
 * Line numbers are unchanged (NFC never touches a line break); columns count characters of the NFC text.
 */
export function normalizeSourceText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC');
}

/**
 * The path of the existing file or folder that `file` names, up to Unicode normalization of each part: source texts
 * are NFC, so a link to `ảnh.png` must find a file whose name was written decomposed, and the other way round.
 * `file` itself when it exists as written; undefined when nothing matches.
 */
export function findSourceFile(file: string): string | undefined {
  if (existsSync(file)) return file;
  const absolute = path.resolve(file);
  const { root } = path.parse(absolute);
  let found = root;
  for (const part of absolute.slice(root.length).split(path.sep).filter(Boolean)) {
    const exact = path.join(found, part);
    if (existsSync(exact)) {
      found = exact;
      continue;
    }
    const wanted = part.normalize('NFC');
    let names: string[];
    try {
      names = readdirSync(found);
    } catch {
      return undefined;
    }
    const match = names.sort().find((name) => name.normalize('NFC') === wanted);
    if (match === undefined) return undefined;
    found = path.join(found, match);
  }
  return found;
}
