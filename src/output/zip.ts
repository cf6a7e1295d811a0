import { ZipFile } from 'yazl';
import type { FileTree } from './atomic-dir.js';

// A fixed local date: DOS timestamps have no time zone, and with forceDosTimestamp no UTC extra field is written,
// so the bytes do not depend on the machine's clock or zone.
const FIXED_DATE = new Date(2000, 0, 1, 0, 0, 0);
// Already-compressed formats gain nothing from deflate; storing them saves time.
const STORED = /\.(png|jpe?g|gif|webp|avif|mp3|m4a|ogg|opus|mp4|webm|woff2?|zip|gz)$/i;

export interface ZipOptions {
  /** These entries come first, in this order (EPUB: `mimetype`); the rest follow sorted by path. */
  first?: readonly string[];
  /** These entries are stored without compression whatever their name (EPUB: `mimetype`). */
  stored?: readonly string[];
}

/** Files → zip bytes, reproducibly: entries sorted by path, fixed dates and modes, same input → same bytes. */
export function zipFiles(files: FileTree, options: ZipOptions = {}): Promise<Buffer> {
  const zip = new ZipFile();
  const first = (options.first ?? []).filter((name, i, all) => files.has(name) && all.indexOf(name) === i);
  const rest = [...files.keys()].filter((name) => !first.includes(name)).sort();
  for (const name of [...first, ...rest]) {
    const content = files.get(name)!;
    const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    const compress = !STORED.test(name) && !options.stored?.includes(name);
    zip.addBuffer(buffer, name, { mtime: FIXED_DATE, mode: 0o100644, compress, forceDosTimestamp: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
