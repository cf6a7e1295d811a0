// Narration of each lesson a build shows: its recording, loudness-normalized, else speech synthesized from its text
// (structure → chapters → sentences with exact timings), encoded as Opus + MP3 with chapter marks, plus WebVTT
// captions of the synthesized words. Every target reads the result; none synthesizes on its own.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { languageLabel } from '../i18n/language-tag.js';
import type { Course, Lesson } from '../model/course.js';
import type { NarrationSettings } from '../project/config.js';
import { AudioError, encodeSpeech } from './audio.js';
import { narrationScript, type NarrationScript } from './narration-script.js';
import { cuesToVtt, SpeechError, synthesize, voiceFor, type Voice } from './speech.js';
import { findSourceFile } from '../source/text-file.js';

export interface NarrationChapter {
  start: number;
  end: number;
  title: string;
}

export interface NarrationCue {
  start: number;
  end: number;
  text: string;
  chapter: number;
}

export interface PreparedNarration {
  /** The language spoken (the lesson's own: a fallback lesson is narrated in the language it is written in). */
  language: string;
  /** What speaks: the author's recording, or the engine and voice that synthesized it. */
  source: { kind: 'recording'; path: string } | { kind: 'synthesized'; engine: string; voice: string };
  duration: number;
  chapters: NarrationChapter[];
  /** Sentence timings (synthesized narration only: a recording has no timings). */
  cues: NarrationCue[];
  script: NarrationScript;
  /** Course-relative paths of the encoded files. */
  opus: string;
  mp3: string;
  vtt?: string;
  /** Those files' bytes, by course-relative path. */
  files: Map<string, Uint8Array>;
  /** The synthesized speech before encoding, kept only for slide videos (10 MB a lesson); absent for recordings. */
  wav?: Uint8Array;
}

/** Narration folder inside a bundle's course files. */
export const NARRATION_DIR = 'narration';

const prepared = new Map<Lesson, PreparedNarration>();

/** The narration prepared for this lesson (its source or a variant), if it has one. */
export function narrationOf(lesson: Lesson): PreparedNarration | undefined {
  return prepared.get(lesson);
}

export interface NarrationJob {
  course: Course;
  lesson: Lesson;
  run: () => Promise<void>;
  /** For progress lines. */
  label: string;
}

/**
 * One job per narrated lesson the build shows (each object once: a lesson shown as a fallback in several languages is
 * narrated once); lessons whose language has no voice and no recording are reported, one warning per language.
 */
export async function narrationJobs(shown: readonly { course: Course; lessons: readonly Lesson[] }[], settings: NarrationSettings | undefined, cacheDir: string | undefined, diagnostics: Diagnostic[], options: { keepSpeech?: boolean } = {}): Promise<NarrationJob[]> {
  const jobs: NarrationJob[] = [];
  const seen = new Set<Lesson>();
  const voiceless = new Map<string, { course: Course; lessons: string[] }>();
  for (const { course, lessons } of shown) {
    for (const lesson of lessons) {
      if (!lesson.narration || seen.has(lesson) || prepared.has(lesson)) continue;
      seen.add(lesson);
      const recording = lesson.narration.recording;
      if (recording) {
        jobs.push({ course, lesson, label: recording.path, run: () => prepareRecording(course, lesson, recording.path, diagnostics) });
        continue;
      }
      const voice = await pickVoice(lesson.language, settings);
      if (!voice && turnedOff(lesson.language, settings?.voices)) continue;
      if (!voice) {
        const entry = voiceless.get(lesson.language) ?? { course, lessons: [] };
        entry.lessons.push(lesson.id);
        voiceless.set(lesson.language, entry);
        continue;
      }
      jobs.push({ course, lesson, label: `${lesson.id} (${lesson.language})`, run: () => prepareSynthesized(course, lesson, voice, cacheDir, diagnostics, options.keepSpeech ?? false) });
    }
  }
  for (const [language, { course, lessons }] of voiceless) {
    diagnostics.push(diagnose('speech/no-voice', course.at, `no voice for ${languageLabel(language)}: ${lessons.length} lesson${lessons.length === 1 ? '' : 's'} in it ${lessons.length === 1 ? 'is' : 'are'} not narrated (${lessons.join(', ')})`));
  }
  return jobs;
}

/** `narration.voices: { hmn: none }`: the author knows there is no voice; no warning (the tag or its primary subtag). */
function turnedOff(language: string, voices: Record<string, string> | undefined): boolean {
  if (!voices) return false;
  const lower = Object.fromEntries(Object.entries(voices).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
  const tag = language.toLowerCase();
  return (lower[tag] ?? lower[tag.split('-')[0]!]) === 'none';
}

async function pickVoice(language: string, settings: NarrationSettings | undefined): Promise<Voice | undefined> {
  const command = settings?.command;
  if (command && command.languages.includes(language)) return { engine: 'command', command: command.run, language };
  return voiceFor(language, settings?.voices);
}

function tagsFor(course: Course, lesson: Lesson): Record<string, string> {
  const lessons = course.modules.flatMap((m) => m.lessons);
  const index = lessons.findIndex((l) => l.id === lesson.id);
  return { title: lesson.title, album: course.title, artist: course.title, track: `${index + 1}/${lessons.length}`, language: lesson.language, genre: 'Speech' };
}

function stem(lesson: Lesson): string {
  return `${NARRATION_DIR}/${lesson.id}.${lesson.language}`;
}

function shortHash(...parts: Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex').slice(0, 8);
}

async function prepareRecording(course: Course, lesson: Lesson, coursePath: string, diagnostics: Diagnostic[]): Promise<void> {
  const script = narrationScript(lesson);
  const file = findSourceFile(path.join(course.root, ...coursePath.split('/'))) ?? path.join(course.root, coursePath);
  try {
    const encoded = await encodeSpeech({ file }, { tags: tagsFor(course, lesson) });
    const key = shortHash(encoded.opus, encoded.mp3);
    const opus = `${stem(lesson)}.${key}.opus`;
    const mp3 = `${stem(lesson)}.${key}.mp3`;
    prepared.set(lesson, {
      language: lesson.language,
      source: { kind: 'recording', path: coursePath },
      duration: encoded.duration,
      chapters: [],
      cues: [],
      script,
      opus,
      mp3,
      files: new Map([[opus, encoded.opus], [mp3, encoded.mp3]]),
    });
  } catch (error) {
    const at = lesson.narration?.recording?.at ?? lesson.at;
    diagnostics.push(diagnose('media/unreadable-audio', at, `narration \`${coursePath}\` is not a readable recording: ${error instanceof AudioError ? error.message : (error as Error).message}`));
  }
}

async function prepareSynthesized(course: Course, lesson: Lesson, voice: Voice, cacheDir: string | undefined, diagnostics: Diagnostic[], keepSpeech: boolean): Promise<void> {
  const script = narrationScript(lesson);
  if (!script.chapters.length) return;
  try {
    const speech = await synthesize(script, voice, cacheDir ? { cacheDir } : {});
    const encoded = await encodeSpeech({ bytes: speech.wav }, { tags: tagsFor(course, lesson), chapters: speech.chapters });
    const vttText = Buffer.from(cuesToVtt(speech.cues), 'utf8');
    const key = shortHash(encoded.opus, encoded.mp3, vttText);
    const opus = `${stem(lesson)}.${key}.opus`;
    const mp3 = `${stem(lesson)}.${key}.mp3`;
    const vtt = `${stem(lesson)}.${key}.vtt`;
    prepared.set(lesson, {
      language: lesson.language,
      source: { kind: 'synthesized', engine: voice.engine, voice: voice.engine === 'command' ? voice.command.split(/\s+/)[0]! : voice.name },
      duration: speech.duration,
      chapters: speech.chapters,
      cues: speech.cues,
      script,
      opus,
      mp3,
      vtt,
      files: new Map([[opus, encoded.opus], [mp3, encoded.mp3], [vtt, vttText]]),
      ...(keepSpeech ? { wav: speech.wav } : {}),
    });
  } catch (error) {
    const why = error instanceof SpeechError || error instanceof AudioError ? error.message : (error as Error).message;
    diagnostics.push(diagnose('speech/engine-failed', lesson.at, `narration of \`${lesson.id}\` (${languageLabel(lesson.language)}) could not be synthesized: ${why}`));
  }
}
