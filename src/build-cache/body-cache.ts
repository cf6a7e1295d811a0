// Compiled lesson bodies, kept between builds (locally only: the keys hold absolute paths). When one lesson of a large
// course changes, the course is compiled again but the other lessons' bodies come from here. A body depends on its
// Markdown, its course's lesson ids (both in its input) and on which files exist in the course folder (links and media
// paths are resolved against them): the key is the SHA-256 of the input, the list of the course's file names and
// hocso's engine digest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CompiledLessonBody, LessonBodyInput } from '../source/lesson-body.js';
import { writeFileAtomically } from '../output/atomic-file.js';
import type { FileHashes } from './file-hashes.js';
import { sha256 } from './store.js';

export interface LessonBodyCache {
  get(input: LessonBodyInput): CompiledLessonBody | undefined;
  set(input: LessonBodyInput, body: CompiledLessonBody): void;
}

export class BodyCache implements LessonBodyCache {
  constructor(private readonly dir: string, private readonly engine: string, private readonly hashes: FileHashes, private readonly skip: readonly string[]) {}

  /** The lesson-id map is one object per course, shared by its lessons: hashed once, not once per lesson. */
  private readonly lessonIdDigests = new WeakMap<object, string>();

  private fileOf(input: LessonBodyInput): string {
    let ids = this.lessonIdDigests.get(input.lessonIds);
    if (!ids) this.lessonIdDigests.set(input.lessonIds, (ids = sha256(JSON.stringify(input.lessonIds))));
    const key = sha256(JSON.stringify([this.engine, this.hashes.tree(input.courseRoot, this.skip).names, { ...input, lessonIds: ids }]));
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(input: LessonBodyInput): CompiledLessonBody | undefined {
    try {
      const body = JSON.parse(readFileSync(this.fileOf(input), 'utf8')) as CompiledLessonBody;
      return Array.isArray(body.blocks) && Array.isArray(body.problems) ? body : undefined;
    } catch {
      return undefined;
    }
  }

  set(input: LessonBodyInput, body: CompiledLessonBody): void {
    try {
      writeFileAtomically(this.fileOf(input), JSON.stringify(body));
    } catch {
      // A cache that cannot be written costs the next build some compiling, never this build.
    }
  }
}
