import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkCaptions, formatTimestamp, normalizeWebVtt, parseWebVtt } from '../media/webvtt.js';
import { displayPath } from '../paths.js';
import { findSourceFile } from '../source/text-file.js';
import { align, type Alignment } from './align.js';
import { escapeAttribute, type Part, type PcPart } from './inline.js';
import { hasText, segmentLesson, type MediaDirective, type SegmentedLesson, type Unit } from './segment.js';

// The captions of a lesson's clips (`::audio{captions=…}`, `::video{captions=…}`) as translatable units: one per cue,
// `cap/STEM/N` (N: the cue's position in the file, from 1). Only the cue text is translated; its timing, identifier
// and settings are the source file's. A variant's captions are STEM.LANG.vtt beside the source file, written from
// the source file with each cue's text replaced, and its `translation.segments` records the cues' source hashes.

/** A WebVTT file read for translation: its cues as units, or the errors that keep it from being used. */
export interface CaptionsFile {
  file: string;
  shown: string;
  /** The file's normalized text (LF, NFC, no BOM), split into lines. */
  lines: string[];
  units: Unit[];
  /** `media/bad-captions` errors (file:line): the file is not used while it has any. */
  problems: Diagnostic[];
}

/** A captions file one or more of a source lesson's directives use. */
export interface CaptionTrack {
  /** Unit id prefix: `cap/STEM`. */
  prefix: string;
  /** The file name without `.vtt` (and without the source language tag: `huong-dan.vi.vtt` → `huong-dan`). */
  stem: string;
  /** The attribute value as the source lesson writes it. */
  href: string;
  /** Indexes into the source lesson's `media` of the directives that use the file. */
  directives: number[];
  source: CaptionsFile;
}

/** What a variant shows for a track: nothing of its own, STEM.LANG.vtt, or another file (made by hand). */
export interface VariantCaptions {
  kind: 'none' | 'standard' | 'own';
  /** The variant's directives for the track (those that could be found). */
  directives: MediaDirective[];
  /** The variant's captions attribute, when it points at a file of its own. */
  href?: string;
  /** That file, read (absent when it does not exist). */
  file?: CaptionsFile;
}

/** STEM.LANG.vtt beside the source captions file. */
export function translatedCaptionsFile(track: CaptionTrack, lang: string): string {
  return path.join(path.dirname(track.source.file), `${track.stem}.${lang}.vtt`);
}

/** The href of STEM.LANG.vtt, written as the source lesson writes the source file's. */
export function translatedCaptionsHref(track: CaptionTrack, lang: string): string {
  return track.href.replace(/[^/\\]*$/, `${track.stem}.${lang}.vtt`);
}

/** The captions files a source lesson uses, in document order, one track per file. */
export function captionTracks(lesson: SegmentedLesson, lessonFile: string, courseRoot: string, projectRoot: string, sourceLang: string): CaptionTrack[] {
  const tracks: CaptionTrack[] = [];
  const byFile = new Map<string, CaptionTrack>();
  const prefixes = new Set<string>();
  lesson.media.forEach((directive, index) => {
    const href = directive.captions?.value.trim();
    if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || !/\.vtt$/i.test(href)) return; // remote or not WebVTT: validate says so
    const file = path.resolve(path.dirname(lessonFile), href);
    const inside = path.relative(courseRoot, file);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return; // outside the course: validate says so
    const known = byFile.get(file);
    if (known) {
      known.directives.push(index);
      return;
    }
    let stem = path.basename(file).replace(/\.vtt$/i, '');
    const tagged = stem.toLowerCase().lastIndexOf(`.${sourceLang.toLowerCase()}`);
    if (tagged > 0 && tagged + sourceLang.length + 1 === stem.length) stem = stem.slice(0, tagged);
    let prefix = `cap/${stem}`;
    for (let n = 2; prefixes.has(prefix); n++) prefix = `cap/${stem}~${n}`;
    const onDisk = findSourceFile(file);
    const source = onDisk ? tryReadCaptions(onDisk, displayPath(file, projectRoot), prefix) : undefined;
    if (!source) return; // a missing file (or a folder): validate says so
    prefixes.add(prefix);
    const track: CaptionTrack = { prefix, stem, href, directives: [index], source };
    byFile.set(file, track);
    tracks.push(track);
  });
  return tracks;
}

/** Reads a captions file: `media/bad-captions` errors as `validate` reports them, else its cues as units. */
export function readCaptions(file: string, shown: string, prefix: string): CaptionsFile {
  const bytes = readFileSync(file);
  const problems = checkCaptions(bytes, shown).filter((d) => d.severity === 'error');
  if (problems.length) return { file, shown, lines: [], units: [], problems };
  const text = normalizeWebVtt(new TextDecoder('utf-8').decode(bytes));
  const lines = text.replace(/\n$/, '').split('\n');
  const { cues } = parseWebVtt(text, shown);
  const units: Unit[] = [];
  cues.forEach((cue, i) => {
    const parts = cueParts(cue.text);
    if (!hasText(parts)) return;
    const timing = lines[cue.line - 1] ?? '';
    const before = lines[cue.line - 2];
    const identifier = before !== undefined && before !== '' && !before.includes('-->') && cue.line > 2 ? before : undefined;
    const settings = timing.replace(/^\S+[ \t]*-->[ \t]*\S+/, '').trim();
    const seconds = Math.round((cue.end - cue.start) * 10) / 10;
    const note = `Caption ${i + 1}${identifier ? ` (\`${identifier}\`)` : ''}, shown from ${formatTimestamp(cue.start)} to ${formatTimestamp(cue.end)} (${seconds} s)${settings ? `, settings ${settings}` : ''}: keep it short enough to read in that time. The timing is kept as it is.`;
    units.push({
      id: `${prefix}/${i + 1}`,
      type: 'cue',
      parts,
      line: cue.line,
      slot: { in: 'vtt', first: cue.line, count: cue.text === '' ? 0 : cue.text.split('\n').length, start: cue.start, end: cue.end },
      note,
    });
  });
  return { file, shown, lines, units, problems: [] };
}

/** readCaptions, or undefined for what cannot be read as a file (a folder, a file without permission). */
function tryReadCaptions(file: string, shown: string, prefix: string): CaptionsFile | undefined {
  try {
    return readCaptions(file, shown, prefix);
  } catch {
    return undefined;
  }
}

/** The captions a variant shows for a track. */
export function variantCaptions(track: CaptionTrack, source: SegmentedLesson, variant: { file: string; segmented: SegmentedLesson } | undefined, lang: string, projectRoot: string): VariantCaptions {
  if (!variant) return { kind: 'none', directives: [] };
  const directives = matchDirectives(track, source, variant.segmented, variant.file, lang);
  const own = directives.find((d) => d.captions && !sameFile(path.resolve(path.dirname(variant.file), d.captions.value.trim()), track.source.file));
  if (!own?.captions) return { kind: 'none', directives };
  const href = own.captions.value.trim();
  const file = path.resolve(path.dirname(variant.file), href);
  const kind = sameFile(file, translatedCaptionsFile(track, lang)) ? 'standard' : 'own';
  const onDisk = /\.vtt$/i.test(file) ? findSourceFile(file) : undefined;
  const read = onDisk ? tryReadCaptions(onDisk, displayPath(file, projectRoot), track.prefix) : undefined;
  return { kind, directives, href, ...(read ? { file: read } : {}) };
}

function sameFile(a: string, b: string): boolean {
  return path.resolve(a).normalize('NFC') === path.resolve(b).normalize('NFC');
}

/**
 * A lesson file's directives for a track: the same positions as in the source when the file has as many audio and
 * video directives, else those whose captions are the source's file or STEM.LANG.vtt.
 */
export function matchDirectives(track: CaptionTrack, source: SegmentedLesson, lesson: SegmentedLesson, lessonFile: string, lang: string): MediaDirective[] {
  if (lesson.media.length === source.media.length) return track.directives.filter((k) => lesson.media[k]!.name === source.media[k]!.name).map((k) => lesson.media[k]!);
  const standard = translatedCaptionsFile(track, lang);
  return lesson.media.filter((d) => {
    if (!d.captions) return false;
    const file = path.resolve(path.dirname(lessonFile), d.captions.value.trim());
    return sameFile(file, track.source.file) || sameFile(file, standard);
  });
}

/** Source cues aligned with the variant's: as lesson units, and a cue whose timing changed since is stale too. */
export function alignCues(track: CaptionTrack, current: VariantCaptions, recorded: Readonly<Record<string, string>>): Alignment {
  const alignment = align(track.source.units, current.file && !current.file.problems.length ? current.file.units : undefined, recorded);
  for (const a of alignment.units) {
    if (!a.target || a.unit.slot.in !== 'vtt' || a.target.slot.in !== 'vtt') continue;
    const from = a.target.slot;
    const to = a.unit.slot;
    if (Math.abs(from.start - to.start) < 0.0005 && Math.abs(from.end - to.end) < 0.0005) continue;
    a.retimed = `${formatTimestamp(from.start)} --> ${formatTimestamp(from.end)}, now ${formatTimestamp(to.start)} --> ${formatTimestamp(to.end)}`;
    if (a.status === 'translated') a.status = 'stale';
  }
  return alignment;
}

/**
 * The translated captions: the source file line for line (header, notes, styles, cue identifiers, timings and
 * settings), each cue's text replaced by its translation when it has one. LF, NFC, one final newline.
 */
export function writeCaptions(source: CaptionsFile, texts: ReadonlyMap<string, readonly Part[]>): string {
  const lines = [...source.lines];
  const units = [...source.units].sort((a, b) => (b.slot as { first: number }).first - (a.slot as { first: number }).first);
  for (const unit of units) {
    const parts = texts.get(unit.id);
    if (!parts || unit.slot.in !== 'vtt') continue;
    const rendered = renderCue(parts);
    if (!rendered.trim()) continue;
    lines.splice(unit.slot.first, unit.slot.count, ...rendered.split('\n'));
  }
  return normalizeWebVtt(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------------------------
// Cue text: text, tags (<i>, <b>, <u>, <c.x>, <v Name>, <lang x>, <ruby>, <rt>, timestamps), entities, line breaks.

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00A0', lrm: '\u200E', rlm: '\u200F', quot: '"', apos: "'" };

type Token =
  | { t: 'text'; text: string }
  | { t: 'break' }
  | { t: 'open'; name: string; raw: string }
  | { t: 'close'; name: string; raw: string }
  | { t: 'code'; raw: string; what: PcPart['what'] };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pushText = (t: string): void => {
    if (!t) return;
    const last = tokens[tokens.length - 1];
    if (last?.t === 'text') last.text += t;
    else tokens.push({ t: 'text', text: t });
  };
  text.split('\n').forEach((line, i) => {
    if (i > 0) tokens.push({ t: 'break' });
    const pattern = /<([^>]*)>|&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi;
    let last = 0;
    for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
      pushText(line.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[1] !== undefined) {
        const inner = m[1];
        if (/^\d/.test(inner)) tokens.push({ t: 'code', raw: m[0], what: 'timestamp' });
        else if (inner.startsWith('/')) tokens.push({ t: 'close', name: inner.slice(1).split(/[.\s]/)[0]!.toLowerCase(), raw: m[0] });
        else tokens.push({ t: 'open', name: inner.split(/[.\s]/)[0]!.toLowerCase(), raw: m[0] });
        continue;
      }
      const entity = m[2]!;
      const decoded = entity.startsWith('#') ? safeCodePoint(entity[1]?.toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10)) : NAMED[entity.toLowerCase()];
      if (decoded === undefined) tokens.push({ t: 'code', raw: m[0], what: 'other' });
      else pushText(decoded);
    }
    pushText(line.slice(last));
  });
  return tokens;
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : undefined;
}

const TAG_KIND: Record<string, PcPart['what']> = { i: 'emphasis', b: 'strong', v: 'voice' };

/**
 * A cue's text as parts: a pair of tags around words (`<i>…</i>`, `<v Lan>…</v>`) is a paired code whose words are
 * translated; a tag left open (`<v Lan>` runs to the cue's end), a timestamp, an unknown entity and a line break are
 * standalone codes. Spaces are collapsed within each line.
 */
export function cueParts(text: string): Part[] {
  const tokens = tokenize(text);
  // Pair open and close tags by name, innermost first; what stays unpaired is a standalone code.
  const partner = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((tok, i) => {
    if (tok.t === 'open') stack.push(i);
    else if (tok.t === 'close') {
      const at = stack.map((k) => (tokens[k] as { name: string }).name).lastIndexOf(tok.name);
      if (at < 0) return;
      const opener = stack[at]!;
      stack.length = at; // tags opened inside and never closed stay single codes
      partner.set(opener, i);
      partner.set(i, opener);
    }
  });
  const counter = { next: 1 };
  const build = (from: number, to: number): Part[] => {
    const out: Part[] = [];
    const pushText = (t: string): void => {
      const last = out[out.length - 1];
      if (last?.kind === 'text') last.text += t;
      else out.push({ kind: 'text', text: t });
    };
    for (let i = from; i < to; i++) {
      const tok = tokens[i]!;
      if (tok.t === 'text') pushText(tok.text.replace(/[ \t]+/g, ' '));
      else if (tok.t === 'break') out.push({ kind: 'ph', id: String(counter.next++), what: 'break', original: '\n' });
      else if (tok.t === 'code') out.push({ kind: 'ph', id: String(counter.next++), what: tok.what, original: tok.raw });
      else if (tok.t === 'open' && partner.has(i)) {
        const end = partner.get(i)!;
        const id = String(counter.next++);
        out.push({ kind: 'pc', id, what: TAG_KIND[tok.name] ?? 'other', open: tok.raw, close: (tokens[end] as { raw: string }).raw, children: trimAround(build(i + 1, end)) });
        i = end;
      } else out.push({ kind: 'ph', id: String(counter.next++), what: tok.t === 'open' && tok.name === 'v' ? 'voice' : 'other', original: tok.raw });
    }
    return out;
  };
  return trimAround(build(0, tokens.length));
}

/** Spaces at the ends of the whole text and next to line breaks go (a cue's lines are trimmed when shown). */
function trimAround(parts: Part[]): Part[] {
  const out = parts.map((p, i) => {
    if (p.kind !== 'text') return p;
    let text = p.text;
    const prev = parts[i - 1];
    const next = parts[i + 1];
    if (i === 0 || (prev?.kind === 'ph' && prev.what === 'break')) text = text.replace(/^ +/, '');
    if (i === parts.length - 1 || (next?.kind === 'ph' && next.what === 'break')) text = text.replace(/ +$/, '');
    return { ...p, text };
  });
  return out.filter((p) => p.kind !== 'text' || p.text !== '');
}

function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Parts as cue text: the codes as the source wrote them, text escaped; never an empty line (it would end the cue). */
export function renderCue(parts: readonly Part[]): string {
  const render = (list: readonly Part[]): string => list.map((p) => (p.kind === 'text' ? escapeCueText(p.text) : p.kind === 'ph' ? p.original : p.open + render(p.children) + p.close)).join('');
  return render(parts)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Pointing a lesson file's directives at a captions file.

export interface CaptionsPointer {
  track: CaptionTrack;
  /** The attribute value to write. */
  href: string;
}

/**
 * The lesson text with the `captions=` attribute of each track's directives set to its pointer; the directives that
 * could not be pointed (none found, or one without a captions attribute) are returned, with their lines.
 */
export function pointCaptions(text: string, lessonFile: string, source: SegmentedLesson, pointers: readonly CaptionsPointer[], lang: string): { text: string; unpointed: { track: CaptionTrack; line?: number }[] } {
  const segmented = segmentLesson(text);
  const edits: { start: number; end: number; text: string }[] = [];
  const unpointed: { track: CaptionTrack; line?: number }[] = [];
  for (const p of pointers) {
    const directives = matchDirectives(p.track, source, segmented, lessonFile, lang);
    if (!directives.length) unpointed.push({ track: p.track });
    for (const d of directives) {
      if (!d.captions) {
        unpointed.push({ track: p.track, line: d.line });
        continue;
      }
      if (d.captions.value.trim() !== p.href) edits.push({ start: d.captions.start, end: d.captions.end, text: `"${escapeAttribute(p.href)}"` });
    }
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, unpointed };
}
