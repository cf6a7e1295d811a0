// `--target video`: per lesson, a narrated slide video made from the lesson itself (slides from its structure, its
// narration, captions of the spoken words) plus the lesson's own videos, ready for video channels and offline players.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { allBlocks, lessonsOf, type Course, type Lesson } from '../model/course.js';
import type { FileTree } from '../output/atomic-dir.js';
import { cacheKey, mediaCache, type MediaCache } from '../media/cache.js';
import { narrationOf, type PreparedNarration } from '../media/lesson-narration.js';
import { renderSlides, timeSlides, type NarrationTimes } from '../media/slides.js';
import { renderSlideVideo } from '../media/slide-video.js';
import { findTool, requireTool, runTool } from '../media/tools.js';
import { processVideo } from '../media/video.js';
import { mediaConcurrency, runJobs } from '../media/prepare.js';
import { trackName } from './audio.js';
import { readFileSync } from 'node:fs';
import { findSourceFile } from '../source/text-file.js';

/** Counters for tests and HOCSO_TIMING: a warm rebuild renders no slide video. */
export const slideVideoStats = { videos: 0, rendered: 0, cacheHits: 0 };

export async function renderVideoBundle(course: Course, lang: string): Promise<FileTree> {
  const files: FileTree = new Map();
  const lessons = lessonsOf(course);
  const cache = mediaCache();
  // Slide videos are rendered one per core at a time (each ffmpeg encode is single-minded at 5 fps).
  const slideVideos = new Map<Lesson, Uint8Array>();
  await runJobs(lessons.flatMap((lesson) => {
    const narration = narrationOf(lesson);
    return narration ? [{ label: lesson.id, run: async () => void slideVideos.set(lesson, await slideVideo(course, lesson, narration, cache)) }] : [];
  }), mediaConcurrency());
  for (const [i, lesson] of lessons.entries()) {
    const name = trackName(i, lessons.length, lesson);
    const narration = narrationOf(lesson);
    if (narration) {
      files.set(`${name}.mp4`, slideVideos.get(lesson)!);
      if (narration.vtt) files.set(`${name}.${narration.language}.vtt`, narration.files.get(narration.vtt)!);
    }
    for (const video of allBlocks(lesson.blocks)) {
      if (video.kind !== 'video') continue;
      const processed = await processVideo(course.root, video.src.path);
      const top = processed.renditions[processed.renditions.length - 1]!;
      for (const rendition of processed.renditions) files.set(`${name}/${path.posix.basename(rendition.path)}`, processed.files.get(rendition.path)!);
      files.set(`${name}/${path.posix.basename(processed.poster.path)}`, processed.files.get(processed.poster.path)!);
      if (video.captions) {
        const source = findSourceFile(path.join(course.root, ...video.captions.path.split('/')));
        if (source) files.set(`${name}/${path.posix.basename(top.path, '.mp4')}.${lesson.language}.vtt`, readFileSync(source));
      }
    }
  }
  return files;
}

/** When each chapter and sentence is spoken; a recording has no timings, so its chapters share it by text length. */
function narrationTimes(narration: PreparedNarration): NarrationTimes {
  if (narration.chapters.length === narration.script.chapters.length && narration.chapters.length) {
    return {
      duration: narration.duration,
      chapters: narration.chapters.map((c, i) => ({ start: c.start, end: c.end, sentences: narration.cues.filter((q) => q.chapter === i).map((q) => ({ start: q.start, end: q.end })) })),
    };
  }
  const weights = narration.script.chapters.map((c) => c.title.length + c.sentences.join(' ').length);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  let at = 0;
  return {
    duration: narration.duration,
    chapters: weights.map((w) => {
      const start = at;
      at += (narration.duration * w) / total;
      return { start, end: at };
    }),
  };
}

async function slideVideo(course: Course, lesson: Lesson, narration: PreparedNarration, cache: MediaCache | undefined): Promise<Uint8Array> {
  slideVideoStats.videos++;
  const slides = await renderSlides({ courseTitle: course.title, lessonTitle: lesson.title, language: narration.language, chapters: narration.script.chapters });
  const timed = timeSlides(slides, narrationTimes(narration));
  // a recording is decoded to the same plain WAV the synthesizer gives
  const audio = narration.wav ?? (await runTool(requireTool('ffmpeg'), ['-v', 'error', '-i', 'pipe:0', '-ac', '1', '-ar', '22050', '-c:a', 'pcm_s16le', '-f', 'wav', 'pipe:1'], { input: narration.files.get(narration.mp3)! })).stdout;
  const captions = narration.vtt ? Buffer.from(narration.files.get(narration.vtt)!).toString('utf8') : undefined;
  const input = createHash('sha256');
  for (const slide of timed) input.update(slide.png).update(`${slide.start}-${slide.end}`);
  input.update(audio).update(captions ?? '');
  const key = cacheKey(input.digest(), 'slide-video', { language: narration.language, title: lesson.title }, findTool('ffmpeg')?.version ?? '');
  const hit = cache?.get(key);
  if (hit) {
    slideVideoStats.cacheHits++;
    return hit.outputs.get('mp4')!;
  }
  const mp4 = await renderSlideVideo({ slides: timed, audioWav: audio, ...(captions ? { captionsVtt: captions } : {}), title: lesson.title, language: narration.language });
  slideVideoStats.rendered++;
  cache?.set(key, { info: {}, outputs: new Map([['mp4', mp4]]) });
  return mp4;
}

