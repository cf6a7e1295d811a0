import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const BIN = path.join(REPO, 'bin', 'hocso.js');
export const INIT_TEMPLATE = path.join(REPO, 'templates', 'project');
export const TEMPLATE_LESSON = 'content/courses/khoa-hoc-dau-tien/lessons/bai-dau-tien.md';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * One media cache for the whole test run (content-addressed, so sharing is safe): the sample's narration is
 * synthesized once, not once per test project. Tests about the cache itself pass their own HOCSO_CACHE_DIR.
 */
export const SHARED_MEDIA_CACHE = path.join(os.tmpdir(), 'hocso-test-media-cache');

/** Runs the real bin/hocso.js in a child process, as a user would. */
export function hocso(args: string[], cwd: string, env: Record<string, string> = {}): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1', HOCSO_CACHE_DIR: SHARED_MEDIA_CACHE, ...env } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'hocso-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh copy of the `hocso init` project, with some files replaced. */
export function templateProject(overrides: Record<string, string> = {}): string {
  const dir = tempDir();
  cpSync(INIT_TEMPLATE, dir, { recursive: true });
  for (const [file, text] of Object.entries(overrides)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** A copy of the bundled sample project (config, course, frameworks). */
export function sampleProject(): string {
  const dir = tempDir('hocso-sample-');
  cpSync(path.join(REPO, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(REPO, 'hocso.config.yaml'), path.join(dir, 'hocso.config.yaml'));
  return dir;
}

export function readTemplateLesson(): string {
  return readFileSync(path.join(INIT_TEMPLATE, TEMPLATE_LESSON), 'utf8');
}

/** Every file under dir (relative path → SHA-256), to compare whole outputs byte for byte. */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full).split(path.sep).join('/')] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
