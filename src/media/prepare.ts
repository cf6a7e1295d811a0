// Every piece of media a build needs, made before anything is rendered: images, audio clips, videos and the lessons'
// narration. Work runs a few jobs at a time (ffmpeg and sharp use several threads each) and is cached by content, so a
// rebuild with unchanged media encodes nothing. A file that cannot be read is a diagnostic at the lesson that uses it.
import { availableParallelism } from 'node:os';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Course, Lesson } from '../model/course.js';
import type { NarrationSettings } from '../project/config.js';
import { prepareAudio } from './audio.js';
import { checkCaptionFiles } from '../check/captions.js';
import { configureMediaCache, mediaCacheDir } from './cache.js';
import { prepareImages } from './images.js';
import { narrationJobs } from './lesson-narration.js';
import { prepareVideos } from './video.js';

export interface MediaPlan {
  /** Every course of the build (their figures, clips and videos, in all languages). */
  courses: readonly Course[];
  /** The lessons each course shows in each language built (narration is made for these only). */
  shown: readonly { course: Course; lessons: readonly Lesson[] }[];
  narration?: NarrationSettings;
  projectRoot: string;
  /** false: no video is transcoded (no target shows one). */
  videos?: boolean;
  /** true: keep each lesson's synthesized speech uncompressed, for the slide videos of `--target video`. */
  slideVideos?: boolean;
}

/** How many media jobs run at once: one per core (each ffmpeg or sharp job is itself multi-threaded). */
export function mediaConcurrency(): number {
  const env = process.env.HOCSO_MEDIA_JOBS;
  if (env && /^\d+$/.test(env) && Number(env) > 0) return Number(env);
  return Math.max(1, availableParallelism());
}

export async function prepareMedia(plan: MediaPlan, onProgress?: (done: number, total: number, note?: string) => void): Promise<Diagnostic[]> {
  const cacheDir = mediaCacheDir(plan.projectRoot);
  configureMediaCache(cacheDir);
  const concurrency = mediaConcurrency();
  const diagnostics: Diagnostic[] = [];
  diagnostics.push(...(await prepareImages(plan.courses, concurrency)));
  diagnostics.push(...(await prepareAudio(plan.courses, concurrency)));
  diagnostics.push(...checkCaptionFiles(plan.courses, ['audio']));
  if (plan.videos !== false) diagnostics.push(...(await prepareVideos(plan.courses, concurrency)));
  const jobs = await narrationJobs(plan.shown, plan.narration, cacheDir, diagnostics, { keepSpeech: plan.slideVideos ?? false });
  await runJobs(jobs.map((job) => ({ label: job.label, run: job.run })), concurrency, onProgress);
  return diagnostics;
}

/** Runs jobs, `concurrency` at a time, reporting each one done (with its label) to `onProgress`. */
export async function runJobs(jobs: readonly { label: string; run: () => Promise<void> }[], concurrency: number, onProgress?: (done: number, total: number, note?: string) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      await job.run();
      onProgress?.(++done, jobs.length, job.label);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), jobs.length) }, worker));
}
