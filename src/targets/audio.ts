// `--target audio`: a course in one language as something to listen to — for commune loudspeakers, radio, and learners
// who cannot read. Numbered MP3 tracks (tags, chapter marks), an M3U playlist, transcripts, and a podcast feed.
import { lessonsOf, type Course, type Lesson } from '../model/course.js';
import type { FileTree } from '../output/atomic-dir.js';
import { el, xmlDocument } from '../xml/xml-builder.js';
import { narrationOf, type PreparedNarration } from '../media/lesson-narration.js';
import { clock } from './web.js';

export interface AudioBundleOptions {
  /** Where out/ is published (config `publicUrl`): feed enclosures need absolute URLs. */
  publicUrl?: string;
  /** The bundle's path under out/ (audio/COURSE/LANG), to build those URLs. */
  bundlePath: string;
}

/** The track's file name without extension: "03-mat-khau-an-toan". */
export function trackName(index: number, total: number, lesson: Lesson): string {
  return `${String(index + 1).padStart(Math.max(2, String(total).length), '0')}-${lesson.id}`;
}

/** Lessons of the localized course with narration, numbered in course order (unnarrated ones keep their number). */
export function narratedTracks(course: Course): { lesson: Lesson; name: string; narration: PreparedNarration }[] {
  const lessons = lessonsOf(course);
  return lessons.flatMap((lesson, i) => {
    const narration = narrationOf(lesson);
    return narration ? [{ lesson, name: trackName(i, lessons.length, lesson), narration }] : [];
  });
}

export function renderAudioBundle(course: Course, lang: string, options: AudioBundleOptions): FileTree {
  const files: FileTree = new Map();
  const tracks = narratedTracks(course);
  for (const { name, narration } of tracks) {
    files.set(`${name}.mp3`, narration.files.get(narration.mp3)!);
    if (narration.vtt) files.set(`transcripts/${name}.vtt`, narration.files.get(narration.vtt)!);
    files.set(`transcripts/${name}.txt`, transcript(narration));
    if (narration.chapters.length) files.set(`${name}.chapters.json`, `${JSON.stringify({ version: '1.2.0', chapters: narration.chapters.map((c) => ({ startTime: round(c.start), endTime: round(c.end), title: c.title })) }, null, 2)}\n`);
  }
  files.set('playlist.m3u', playlist(course, tracks));
  files.set('feed.xml', feed(course, lang, tracks, options));
  return files;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** The words of the narration, chapter by chapter with the time each starts (a recording's text is the lesson's). */
function transcript(narration: PreparedNarration): string {
  const lines: string[] = [];
  narration.script.chapters.forEach((chapter, i) => {
    const start = narration.chapters[i]?.start;
    lines.push(`${start !== undefined ? `[${clock(start)}] ` : ''}${chapter.title}`, '');
    for (const sentence of chapter.sentences) lines.push(sentence);
    lines.push('');
  });
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Extended M3U, UTF-8: every player and most loudspeaker controllers read it. */
function playlist(course: Course, tracks: ReturnType<typeof narratedTracks>): string {
  const lines = ['#EXTM3U', '#EXTENC:UTF-8', `#PLAYLIST:${oneLine(course.title)}`];
  for (const { lesson, name, narration } of tracks) lines.push(`#EXTINF:${Math.round(narration.duration)},${oneLine(course.title)} - ${oneLine(lesson.title)}`, `${name}.mp3`);
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * RSS 2.0 with the iTunes and Podcasting 2.0 namespaces (transcript, chapters). No dates: the same sources give the
 * same feed; the guid changes when a track's sound does, so podcast apps fetch only what changed.
 */
function feed(course: Course, lang: string, tracks: ReturnType<typeof narratedTracks>, options: AudioBundleOptions): string {
  const base = options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}/${options.bundlePath}/` : '';
  const url = (file: string): string => `${base}${file.split('/').map(encodeURIComponent).join('/')}`;
  const items = tracks.map(({ lesson, name, narration }, n) =>
    el('item', {},
      el('title', {}, lesson.title),
      el('description', {}, lesson.objectives.join(' ')),
      el('guid', { isPermaLink: 'false' }, `hocso:${course.id}:${lang}:${lesson.id}:${narration.mp3.split('.').slice(-2, -1)[0]}`),
      el('enclosure', { url: url(`${name}.mp3`), length: narration.files.get(narration.mp3)!.length, type: 'audio/mpeg' }),
      el('itunes:duration', {}, String(Math.round(narration.duration))),
      el('itunes:episode', {}, String(n + 1)),
      narration.vtt ? el('podcast:transcript', { url: url(`transcripts/${name}.vtt`), type: 'text/vtt', language: narration.language }) : undefined,
      el('podcast:transcript', { url: url(`transcripts/${name}.txt`), type: 'text/plain', language: narration.language }),
      narration.chapters.length ? el('podcast:chapters', { url: url(`${name}.chapters.json`), type: 'application/json+chapters' }) : undefined,
    ),
  );
  return xmlDocument(
    el('rss', { version: '2.0', 'xmlns:itunes': 'http://www.itunes.com/dtds/podcast-1.0.dtd', 'xmlns:podcast': 'https://podcastindex.org/namespace/1.0' },
      el('channel', {},
        el('title', {}, course.title),
        el('description', {}, course.description),
        el('language', {}, lang),
        ...(base ? [el('link', {}, base)] : []),
        el('itunes:author', {}, course.title),
        el('itunes:explicit', {}, 'false'),
        el('itunes:type', {}, 'serial'),
        ...items,
      ),
    ),
  );
}
