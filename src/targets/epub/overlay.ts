// EPUB 3 Media Overlays: a SMIL document per narrated lesson that plays the narration MP3 and, clip by clip, shows
// (highlights, with media:active-class) the element of the lesson being read. The clips come from the synthesized
// narration's sentence timings; consecutive sentences read from the same element are one clip.
import { el, xmlDocument, type XmlElement } from '../../xml/xml-builder.js';

export interface OverlayClip {
  /** The id of the element in the content document. */
  id: string;
  /** Milliseconds from the start of the audio file; begin < end. */
  begin: number;
  end: number;
  /** Index of the narration chapter the clip belongs to (a heading of the lesson). */
  chapter: number;
}

export interface SentenceTiming {
  /** Seconds. */
  start: number;
  end: number;
  chapter: number;
  /** Where the sentence is read from: a key the content document resolved to an element id. */
  target: string;
}

/**
 * Sentence timings → clips, in order and never overlapping: consecutive sentences of one element (and chapter) are
 * merged; times are whole milliseconds, clamped to the audio's length; a sentence with no sound left is dropped.
 */
export function overlayClips(sentences: readonly SentenceTiming[], idOf: (target: string) => string, durationSeconds: number): OverlayClip[] {
  const limit = Math.floor(durationSeconds * 1000);
  const clips: OverlayClip[] = [];
  let previousEnd = 0;
  for (const sentence of sentences) {
    const id = idOf(sentence.target);
    const begin = Math.max(previousEnd, Math.round(sentence.start * 1000));
    const end = Math.min(limit, Math.round(sentence.end * 1000));
    if (end <= begin) continue;
    const last = clips[clips.length - 1];
    if (last && last.id === id && last.chapter === sentence.chapter) last.end = end;
    else clips.push({ id, begin, end, chapter: sentence.chapter });
    previousEnd = end;
  }
  return clips;
}

/** Total playing time of the clips, in milliseconds (what media:duration states for the overlay). */
export function overlayDuration(clips: readonly OverlayClip[]): number {
  return clips.reduce((total, clip) => total + clip.end - clip.begin, 0);
}

/** A SMIL full clock value, h:mm:ss.fff, from milliseconds. */
export function smilClock(milliseconds: number): string {
  const ms = Math.max(0, Math.round(milliseconds));
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

/**
 * The SMIL document: one <seq> per chapter (its textref: the chapter's first element), one <par> per clip.
 * `textHref` and `audioHref` are relative to the SMIL file.
 */
export function overlaySmil(clips: readonly OverlayClip[], textHref: string, audioHref: string): string {
  const chapters: OverlayClip[][] = [];
  for (const clip of clips) {
    const current = chapters[chapters.length - 1];
    if (current && current[0]!.chapter === clip.chapter) current.push(clip);
    else chapters.push([clip]);
  }
  let n = 0;
  const seqs: XmlElement[] = chapters.map((chapterClips, c) =>
    el('seq', { id: `chapter-${c + 1}`, 'epub:textref': `${textHref}#${chapterClips[0]!.id}` }, chapterClips.map((clip) => {
      n++;
      return el('par', { id: `par-${n}` },
        el('text', { src: `${textHref}#${clip.id}` }),
        el('audio', { src: audioHref, clipBegin: smilClock(clip.begin), clipEnd: smilClock(clip.end) }));
    })),
  );
  return xmlDocument(el('smil', { xmlns: 'http://www.w3.org/ns/SMIL', 'xmlns:epub': 'http://www.idpf.org/2007/ops', version: '3.0' }, el('body', {}, seqs)));
}
