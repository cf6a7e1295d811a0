// What else decides a build's output besides the sources: hocso's own code and templates and the exact dependencies
// installed (renderers, fonts, sharp, eSpeak NG, the ffmpeg packages), plus the ffmpeg chosen through the environment.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import type { FileHashes } from './file-hashes.js';

export function engineDigest(hashes: FileHashes): string {
  return createHash('sha256')
    .update(hashes.treeDigest(path.join(PACKAGE_ROOT, 'dist')))
    .update(hashes.treeDigest(path.join(PACKAGE_ROOT, 'templates')))
    .update(hashes.hash(path.join(PACKAGE_ROOT, 'package.json')) ?? '-')
    // The installed tree: npm's lockfile inside node_modules (a dependency of another project: the nearest one).
    .update(hashes.hash(path.join(PACKAGE_ROOT, 'node_modules', '.package-lock.json')) ?? hashes.hash(path.join(PACKAGE_ROOT, '..', '.package-lock.json')) ?? '-')
    // The ffmpeg chosen through the environment, and the date EPUBs and handouts carry (reproducible-builds.org).
    .update(['HOCSO_FFMPEG', 'HOCSO_FFPROBE', 'FFMPEG_PATH', 'FFPROBE_PATH', 'SOURCE_DATE_EPOCH'].map((name) => process.env[name] ?? '').join('\0'))
    .digest('hex');
}
