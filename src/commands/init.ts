import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TEMPLATES_DIR, displayPath } from '../paths.js';
import { CONFIG_FILE_NAME, UsageError } from '../project/config.js';
import { EXIT_OK, type Io } from '../cli/context.js';

/** Copies templates/project into DIR; refuses to touch a folder that already holds a project or other files. */
export function init(io: Io, dir: string | undefined): number {
  const target = path.resolve(io.cwd, dir ?? '.');
  if (existsSync(path.join(target, CONFIG_FILE_NAME))) {
    throw new UsageError(`${displayPath(path.join(target, CONFIG_FILE_NAME), io.cwd)} already exists`, 'Choose an empty folder: hocso init my-project');
  }
  if (existsSync(target) && readdirSync(target).some((f) => !f.startsWith('.'))) {
    throw new UsageError(`${displayPath(target, io.cwd)} is not empty`, 'Choose an empty or new folder: hocso init my-project');
  }
  mkdirSync(target, { recursive: true });
  cpSync(path.join(TEMPLATES_DIR, 'project'), target, { recursive: true });
  const shown = displayPath(target, io.cwd);
  io.stderr(`Created a hocso project in ${shown}. Next:\n  cd ${shown}\n  npx hocso validate\n  npx hocso build\n`);
  return EXIT_OK;
}
