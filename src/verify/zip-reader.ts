import yauzl, { type Entry, type ZipFile } from 'yauzl';

// Reads a zip into memory without extracting anything to disk. Every entry name and size is checked from the
// central directory before any content is inflated, and inflating is capped again because declared sizes can lie.

export interface PackageLimits {
  maxEntries: number;
  /** Largest single file, declared or actually inflated. */
  maxEntryBytes: number;
  /** Largest sum of all files, declared or actually inflated. */
  maxTotalBytes: number;
  /** Compression ratio above which an entry counts as a zip bomb… */
  maxRatio: number;
  /** …when it is at least this big (small files of zeros compress well and are harmless). */
  ratioCheckFrom: number;
}

const MiB = 1024 * 1024;
export const PACKAGE_LIMITS: PackageLimits = {
  maxEntries: 50_000,
  maxEntryBytes: 512 * MiB,
  maxTotalBytes: 1024 * MiB,
  maxRatio: 100,
  ratioCheckFrom: 1 * MiB,
};

/** What went wrong, by kind; verify turns each kind into a `package/<kind>` rule. */
export type PackageProblemKind = 'not-a-zip' | 'unsafe-path' | 'zip-bomb' | 'duplicate-entry' | 'unreadable-entry';

export interface PackageProblem {
  kind: PackageProblemKind;
  message: string;
  severity?: 'warning';
  /** The package path left out because of this problem, so verify does not also call it missing. */
  skipped?: string;
}

export interface PackageContents {
  /** Path inside the package (forward slashes, no leading slash) → bytes. Unsafe or unreadable entries are left out. */
  files: Map<string, Uint8Array>;
  problems: PackageProblem[];
}

/** An entry name, quoted and safe to show in a terminal: control and bidi characters (so ANSI escapes too) become \\uXXXX. */
export function printable(name: string): string {
  return `"${name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"]/g, (c) => (c === '"' ? '\\"' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}

/** Why a package path is unsafe to extract (zip slip and friends), or undefined when it is fine. */
export function unsafePathReason(name: string): string | undefined {
  if (name === '') return 'has an empty name';
  if (name.includes('\0')) return 'contains a NUL character';
  if (/[\u0001-\u001f\u007f]/.test(name)) return 'contains control characters';
  if (name.includes('\\')) return 'uses a backslash (zip paths use forward slashes; on Windows it could leave the folder)';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'starts with a drive letter (an absolute Windows path)';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.includes('..')) return 'contains a `..` segment (zip slip: it would be written outside the folder)';
  if (segments.some((s) => s === '' || s === '.')) return 'contains an empty or `.` segment';
  return undefined;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Entry names: the Info-ZIP Unicode path field when present, else UTF-8 (flagged or not), else CP437 as the zip spec says. */
function decodeName(entry: Entry): { name: string; legacy: boolean } {
  const raw = entry.fileNameRaw;
  const hasUnicodeField = entry.extraFields.some((f) => f.id === 0x7075);
  if (!hasUnicodeField) {
    try {
      return { name: utf8.decode(raw), legacy: false };
    } catch {
      // not UTF-8: fall through to the spec's CP437
    }
  }
  // strictFileNames keeps backslashes so they are reported, not silently turned into slashes.
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
  return { name, legacy: !hasUnicodeField };
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const isSymlink = (entry: Entry): boolean => ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;

/** yauzl's messages, turned into what the user should know. */
function notAZip(error: unknown): PackageProblem {
  const detail = error instanceof Error ? error.message : String(error);
  const why = /end of central directory record signature not found/i.test(detail)
    ? 'it has no zip directory (not a zip, or truncated: download or copy it again)'
    : `its zip directory is corrupt (${detail})`;
  return { kind: 'not-a-zip', message: `cannot read the package: ${why}` };
}

function openZip(source: Uint8Array | string): Promise<ZipFile> {
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false, strictFileNames: true };
  return typeof source === 'string'
    ? yauzl.openPromise(source, options)
    : yauzl.fromBufferPromise(Buffer.from(source.buffer, source.byteOffset, source.byteLength), options);
}

/** The whole central directory, without reading any content. */
function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => { entries.push(entry); zip.readEntry(); });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

interface Candidate {
  entry: Entry;
  name: string;
}

/** Checks names, flags and declared sizes; returns the entries safe to read. */
function screenEntries(entries: readonly Entry[], limits: PackageLimits, problems: PackageProblem[]): { safe: Candidate[]; stop: boolean } {
  const safe: Candidate[] = [];
  const seen = new Map<string, string>();
  const folders = new Set<string>();
  let declaredTotal = 0;
  for (const entry of entries) {
    const { name, legacy } = decodeName(entry);
    const shown = printable(name);
    const unsafe = unsafePathReason(name);
    if (unsafe) { problems.push({ kind: 'unsafe-path', message: `entry ${shown} ${unsafe}; it was not read` }); continue; }
    const isFolder = name.endsWith('/');
    const path = isFolder ? name.slice(0, -1) : name;
    const skip = (kind: PackageProblemKind, message: string): void => { problems.push({ kind, message, skipped: path }); };
    if (isSymlink(entry)) { skip('unsafe-path', `entry ${shown} is a symbolic link, which could point outside the package; it was not read`); continue; }
    if (legacy) problems.push({ kind: 'unreadable-entry', severity: 'warning', message: `entry ${shown}: its name is not UTF-8 and was read as CP437; LMSs may see a different name than the manifest` });
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    if (isFolder) { folders.add(path); continue; }
    const previous = seen.get(path.toLowerCase());
    if (previous === path) { problems.push({ kind: 'duplicate-entry', message: `entry ${shown} appears twice; which copy an LMS extracts is unpredictable` }); continue; }
    if (previous !== undefined) problems.push({ kind: 'duplicate-entry', severity: 'warning', message: `entries ${printable(previous)} and ${shown} differ only in case: they collide when extracted on Windows or macOS` });
    seen.set(path.toLowerCase(), path);
    if (entry.isEncrypted()) { skip('unreadable-entry', `entry ${shown} is encrypted; LMSs cannot read it`); continue; }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) { skip('unreadable-entry', `entry ${shown} uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are portable`); continue; }
    if (entry.uncompressedSize > limits.maxEntryBytes) { skip('zip-bomb', `entry ${shown} declares ${mib(entry.uncompressedSize)}, over the ${mib(limits.maxEntryBytes)} limit for one file`); continue; }
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize >= limits.ratioCheckFrom && ratio > limits.maxRatio) {
      skip('zip-bomb', `entry ${shown} would inflate ${Math.round(ratio)}:1 (${mib(entry.compressedSize)} → ${mib(entry.uncompressedSize)}), over the ${limits.maxRatio}:1 limit: a zip bomb?`);
      continue;
    }
    declaredTotal += entry.uncompressedSize;
    safe.push({ entry, name: path });
  }
  for (const { name } of safe) {
    if (folders.has(name)) problems.push({ kind: 'duplicate-entry', message: `entry ${printable(name)} is both a file and a folder` });
  }
  if (declaredTotal > limits.maxTotalBytes) {
    problems.push({ kind: 'zip-bomb', message: `the package declares ${mib(declaredTotal)} once inflated, over the ${mib(limits.maxTotalBytes)} limit; nothing was read` });
    return { safe: [], stop: true };
  }
  return { safe, stop: false };
}

function mib(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}

class InflateCapExceeded extends Error {}
class UnsafeLocalName extends Error {}

/** Inflates one entry, never holding more than `cap` bytes whatever the headers say. */
async function readEntry(zip: ZipFile, candidate: Candidate, cap: number): Promise<Uint8Array> {
  const local = await new Promise<yauzl.LocalFileHeader>((resolve, reject) => zip.readLocalFileHeader(candidate.entry, (error, header) => (error ? reject(error) : resolve(header))));
  if (!Buffer.from(local.fileName).equals(candidate.entry.fileNameRaw)) {
    throw new UnsafeLocalName(`entry ${printable(candidate.name)}: its local header names a different file (${printable(Buffer.from(local.fileName).toString('latin1'))}), an extraction trick; it was not read`);
  }
  const stream = await zip.openReadStreamPromise(candidate.entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) throw new InflateCapExceeded();
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

/** Reads a zip (bytes, or a file path read piece by piece) into memory, reporting every problem instead of throwing. */
export async function readZip(source: Uint8Array | string, limits: PackageLimits = PACKAGE_LIMITS): Promise<PackageContents> {
  const files = new Map<string, Uint8Array>();
  const problems: PackageProblem[] = [];
  let zip: ZipFile;
  try {
    zip = await openZip(source);
  } catch (error) {
    return { files, problems: [notAZip(error)] };
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      problems.push({ kind: 'zip-bomb', message: `the package holds ${zip.entryCount} entries, over the ${limits.maxEntries} limit; nothing was read` });
      return { files, problems };
    }
    let entries: Entry[];
    try {
      entries = await listEntries(zip);
    } catch (error) {
      return { files, problems: [notAZip(error)] };
    }
    const { safe, stop } = screenEntries(entries, limits, problems);
    if (stop) return { files, problems };
    let total = 0;
    for (const candidate of safe) {
      const shown = printable(candidate.name);
      const cap = Math.min(candidate.entry.uncompressedSize, limits.maxEntryBytes, limits.maxTotalBytes - total);
      try {
        const bytes = await readEntry(zip, candidate, cap);
        if (crc32(bytes) !== candidate.entry.crc32) { problems.push({ kind: 'unreadable-entry', message: `entry ${shown} is corrupt (CRC-32 mismatch)`, skipped: candidate.name }); continue; }
        total += bytes.length;
        files.set(candidate.name, bytes);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        const skipped = candidate.name;
        if (error instanceof UnsafeLocalName) problems.push({ kind: 'unsafe-path', message: detail, skipped });
        else if (error instanceof InflateCapExceeded || /too many bytes in the stream/.test(detail)) {
          problems.push({ kind: 'zip-bomb', message: `entry ${shown} inflates to more than the ${mib(candidate.entry.uncompressedSize)} it declares (its headers lie: a zip bomb?); reading stopped at ${mib(cap)}`, skipped });
        } else problems.push({ kind: 'unreadable-entry', message: `entry ${shown} cannot be read: ${detail.replace(/^.*too few bytes.*$/, 'its data is truncated')}`, skipped });
      }
    }
    return { files, problems };
  } finally {
    zip.close();
  }
}
