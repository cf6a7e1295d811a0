import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { courseBlocks, type Course } from '../model/course.js';
import { shownCoursePath } from '../media/video.js';
import { checkCaptions } from '../media/webvtt.js';
import { findSourceFile } from '../source/text-file.js';

/**
 * Every captions file of the courses' clips (lessons and their variants) read as WebVTT, without ffmpeg: `validate`
 * checks all of them; the build checks audio captions here and video captions against each video's length.
 */
export function checkCaptionFiles(courses: readonly Course[], kinds: readonly ('audio' | 'video')[] = ['audio', 'video']): Diagnostic[] {
  const diagnostics = new Map<string, Diagnostic>();
  for (const course of courses) {
    const files = new Set<string>();
    for (const { block: b } of courseBlocks(course)) if ((b.kind === 'audio' || b.kind === 'video') && kinds.includes(b.kind) && b.captions) files.add(b.captions.path);
    for (const file of [...files].sort()) {
      const onDisk = findSourceFile(path.join(course.root, ...file.split('/')));
      if (!onDisk) continue; // reported as media/missing
      for (const d of checkCaptions(readFileSync(onDisk), shownCoursePath(course, file))) diagnostics.set(`${d.ruleId}\0${d.file}\0${d.line}\0${d.message}`, d);
    }
  }
  return [...diagnostics.values()];
}
