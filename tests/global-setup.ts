// Before any test file runs: the sample course's narration (text-to-speech, then loudness-normalized Opus and MP3)
// is made once into the shared media cache, so the many tests that build the sample take it from there instead of
// all synthesizing it at once on a cold cache. What the narration is and does is tested in tests/media.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BIN, sampleProject, SHARED_MEDIA_CACHE } from './helpers/project.js';

export default function setup(): void {
  const dir = sampleProject();
  const result = spawnSync(process.execPath, [BIN, 'build', '--target', 'web', '--out', path.join(dir, 'warm-up')], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1', HOCSO_CACHE_DIR: SHARED_MEDIA_CACHE } });
  rmSync(dir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`the sample course does not build:\n${result.stderr}`);
}
