import { ZipFile } from 'yazl';
import type { FileTree } from './atomic-dir.js';

// A fixed local date: DOS timestamps have no time zone, and with forceDosTimestamp no UTC extra field is written,
// so the bytes do not depend on the machine's clock or zone.
const FIXED_DATE = new Date(2000, 0, 1, 0, 0, 0);
// Already-compressed formats gain nothing from deflate; storing them saves time.
const STORED = /\.(png|jpe?g|gif|webp|avif|mp3|m4a|ogg|opus|mp4|webm|woff2?|zip|gz)$/i;

/** Files → zip bytes, reproducibly: entries sorted by path, fixed dates and modes, same input → same bytes. */
export function zipFiles(files: FileTree): Promise<Buffer> {
  const zip = new ZipFile();
  for (const name of [...files.keys()].sort()) {
    const content = files.get(name)!;
    const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    zip.addBuffer(buffer, name, { mtime: FIXED_DATE, mode: 0o100644, compress: !STORED.test(name), forceDosTimestamp: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
