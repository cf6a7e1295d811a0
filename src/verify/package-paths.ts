// Turns a manifest href (with the xml:base values in effect) into a path inside the package, the way an LMS serving
// the extracted folder over HTTP would: xml:base folders first, then the href, URL-decoded, without query or fragment.

export type ResolvedHref =
  | { kind: 'inside'; path: string }
  | { kind: 'external' }
  | { kind: 'outside'; reason: string };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a literal %, as in "50%.html": keep it as written
  }
}

/**
 * Resolves `href` against `bases` (outermost first). Every xml:base counts as a folder, even without a trailing
 * slash, as LMSs concatenate them; `..` may not climb above the package root.
 */
export function resolveHref(bases: readonly string[], href: string): ResolvedHref {
  const folders: string[] = [];
  const refs = [...bases.map((b) => ({ ref: b, isBase: true })), { ref: href, isBase: false }];
  let fileName: string | undefined;
  for (const { ref: raw, isBase } of refs) {
    const ref = raw.trim().replace(/[?#].*$/s, '');
    const scheme = SCHEME.exec(ref)?.[1]?.toLowerCase();
    if (scheme === 'http' || scheme === 'https' || ref.startsWith('//')) return { kind: 'external' };
    if (scheme && !/^[a-zA-Z]:[\\/]/.test(ref)) return { kind: 'outside', reason: `uses the ${scheme}: scheme` };
    if (scheme) return { kind: 'outside', reason: 'is an absolute Windows path' };
    if (ref.startsWith('/')) return { kind: 'outside', reason: 'starts with `/` (the root of the LMS server, not of the package)' };
    const segments = ref.split('/').map(decodeSegment);
    const last = isBase ? undefined : segments.pop();
    for (const segment of segments) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (folders.length === 0) return { kind: 'outside', reason: 'climbs above the package root with `..`' };
        folders.pop();
      } else folders.push(segment);
    }
    if (!isBase) fileName = last;
  }
  if (fileName === undefined || fileName === '' || fileName === '.' || fileName === '..') {
    // "folder/" or "..": no file named; treat ".." like any other climb
    if (fileName === '..') {
      if (folders.length === 0) return { kind: 'outside', reason: 'climbs above the package root with `..`' };
      folders.pop();
    }
    return { kind: 'inside', path: folders.join('/') + '/' };
  }
  return { kind: 'inside', path: [...folders, fileName].join('/') };
}

/** Finds a package file that differs from a wanted path only in case or Unicode normalization (works on Windows, not on an LMS). */
export function nearMatcher(files: Iterable<string>): (wanted: string) => string | undefined {
  const key = (s: string): string => s.normalize('NFC').toLowerCase();
  const index = new Map<string, string>();
  for (const file of files) if (!index.has(key(file))) index.set(key(file), file);
  return (wanted) => index.get(key(wanted));
}
