// WebVTT captions (https://www.w3.org/TR/webvtt1/): checked before a build so that a caption file a browser would
// drop — whole (no WEBVTT header, not UTF-8) or cue by cue (a bad timing line) — is reported at its own line, and
// normalized so the bundle's copy is byte-stable whatever editor wrote it.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';

export interface WebVttCue {
  /** Seconds. */
  start: number;
  end: number;
  /** The payload lines joined with \n (tags such as <i> and <v Speaker> kept as written). */
  text: string;
  /** 1-based line of the timing line (`00:01.000 --> 00:04.000`). */
  line: number;
}

export interface WebVttProblem {
  /** 1-based line of the VTT file. */
  line: number;
  message: string;
  /** Errors make browsers drop the file or a cue; warnings are shown as written but likely unintended. */
  severity: 'error' | 'warning';
}

export interface ParsedWebVtt {
  cues: WebVttCue[];
  problems: WebVttProblem[];
}

// hh:mm:ss.ttt or mm:ss.ttt; minutes and seconds are two digits, 00–59, then exactly three decimals. (The syntax
// asks for two-digit hours, but browsers' parsers accept one, as in 1:02:03.000, so it is accepted here too.)
const TIMESTAMP = /^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$/;

/** Seconds of a WebVTT timestamp, or a sentence saying what is wrong with it. */
export function parseTimestamp(text: string): number | string {
  const m = TIMESTAMP.exec(text);
  if (!m) {
    if (/^(?:\d+:)?\d+:\d+,\d+$/.test(text)) return `\`${text}\` uses a comma before the milliseconds (as SRT does): WebVTT needs a dot, e.g. \`${text.replace(',', '.')}\``;
    if (/^(?:\d+:)?\d+:\d+$/.test(text)) return `\`${text}\` has no milliseconds: write \`${text}.000\``;
    if (/^\d:\d{2}\.\d{3}$/.test(text)) return `\`${text}\`: write minutes with two digits, \`0${text}\``;
    if (/^(?:\d+:)?\d{2}:\d{2}\.\d{1,2}$/.test(text)) return `\`${text}\`: write the milliseconds with three digits, e.g. \`${text.replace(/\.(\d+)$/, (_, d: string) => `.${d.padEnd(3, '0')}`)}\``;
    return `\`${text}\` is not a timestamp: write mm:ss.ttt or hh:mm:ss.ttt, e.g. 00:01.500`;
  }
  const [, h, mm, ss, ms] = m;
  if (Number(mm) > 59 || Number(ss) > 59) return `\`${text}\` is not a valid time: minutes and seconds go from 00 to 59`;
  return Number(h ?? 0) * 3600 + Number(mm) * 60 + Number(ss) + Number(ms) / 1000;
}

/** A time as captions show it: m:ss.ttt (h:mm:ss.ttt from an hour on). */
export function formatTimestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * Parses a WebVTT file as a browser does, collecting every problem with its line instead of silently dropping cues.
 * `file` names the file in messages only.
 */
export function parseWebVtt(text: string, file: string): ParsedWebVtt {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const cues: WebVttCue[] = [];
  const problems: WebVttProblem[] = [];
  const problem = (line: number, message: string, severity: WebVttProblem['severity'] = 'error'): void => {
    problems.push({ line, message, severity });
  };

  // The header: "WEBVTT", alone or followed by a space or tab and any text, then header lines up to a blank line.
  let i = 0;
  const first = lines[0] ?? '';
  if (!/^WEBVTT(?:[ \t].*)?$/.test(first)) {
    const looksSrt = /^\d+$/.test(first.trim()) && /-->/.test(lines[1] ?? '');
    problem(
      1,
      first.trim() === ''
        ? `${file} must start with the line \`WEBVTT\` (the first line is empty)`
        : looksSrt
          ? `${file} must start with the line \`WEBVTT\`: this looks like an SRT file (numbered cues, commas in the times); convert it to WebVTT`
          : `${file} must start with the line \`WEBVTT\`, not \`${clip(first)}\`; browsers ignore the whole file without it`,
    );
    // Parse on as if the header were there, so the cues' own problems are reported too; an SRT-style first cue is
    // not mistaken for header text.
    if (!/-->/.test(first) && !/-->/.test(lines[1] ?? '')) i = 1;
  } else i = 1;
  if (i === 1) {
    for (; i < lines.length && lines[i] !== ''; i++) {
      if (lines[i]!.includes('-->')) {
        problem(i + 1, 'a blank line must separate the `WEBVTT` header from the first cue');
        break;
      }
    }
  }

  let previous: WebVttCue | undefined;
  let sawCue = false;
  while (i < lines.length) {
    // Skip blank lines between blocks, then take the block: every line up to the next blank one.
    while (i < lines.length && lines[i] === '') i++;
    if (i >= lines.length) break;
    const start = i;
    while (i < lines.length && lines[i] !== '') i++;
    const block = lines.slice(start, i);
    const head = block[0]!;

    if (/^NOTE(?:[ \t]|$)/.test(head)) continue; // a comment
    if (/^(STYLE|REGION)[ \t]*$/.test(head)) {
      if (sawCue) problem(start + 1, `${head.trim()} blocks must come before the first cue; browsers ignore this one`, 'warning');
      continue;
    }

    // An optional identifier line, then the timing line.
    const timingIndex = head.includes('-->') ? 0 : 1;
    if (timingIndex === 1 && !(block[1] ?? '').includes('-->')) {
      // Two times joined by something else than -->: a mistyped arrow ("->", "—>", "→").
      const mistyped = block.slice(0, 2).findIndex((l) => /^\s*[\d:.,]+\s*(?:-{1,}>|[—–]-?>|→|=>|-- >)\s*[\d:.,]+(?:\s|$)/.test(l));
      if (mistyped >= 0) problem(start + mistyped + 1, `bad timing line \`${clip(block[mistyped]!)}\`: separate the times with \`-->\` (two hyphens and >), e.g. \`00:01.000 --> 00:04.000\``);
      else problem(start + 1, `not a cue: \`${clip(head)}\` is followed by no timing line such as \`00:01.000 --> 00:04.000\` (or a blank line is missing between two cues)`);
      continue;
    }
    const lineNo = start + timingIndex + 1;
    const timing = block[timingIndex]!;
    const payload = block.slice(timingIndex + 1);
    const parsed = parseTiming(timing);
    if (typeof parsed === 'string') {
      problem(lineNo, parsed);
      continue;
    }
    sawCue = true;
    for (let k = 0; k < payload.length; k++) {
      if (payload[k]!.includes('-->')) {
        problem(lineNo + 1 + k, 'a cue\'s text may not contain `-->`: a blank line is probably missing before this timing line');
        break;
      }
    }
    const cue: WebVttCue = { start: parsed.start, end: parsed.end, text: payload.join('\n'), line: lineNo };
    if (cue.end <= cue.start) {
      problem(lineNo, cue.end === cue.start ? `the cue ends when it starts (${formatTimestamp(cue.start)}): it would never be shown` : `the cue ends (${formatTimestamp(cue.end)}) before it starts (${formatTimestamp(cue.start)})`);
      continue;
    }
    if (previous && cue.start < previous.start) {
      problem(lineNo, `cues must be in order of time: this one starts at ${formatTimestamp(cue.start)}, before the cue at line ${previous.line} (${formatTimestamp(previous.start)})`);
    } else if (previous && cue.start < previous.end) {
      problem(lineNo, `this cue starts at ${formatTimestamp(cue.start)}, while the cue at line ${previous.line} is still shown (until ${formatTimestamp(previous.end)}): both appear at once`, 'warning');
    }
    if (!cue.text.trim()) problem(lineNo, 'the cue has no text', 'warning');
    cues.push(cue);
    if (!previous || cue.start >= previous.start) previous = cue;
  }
  return { cues, problems };
}

/** `start --> end [settings]`, checked. */
function parseTiming(line: string): { start: number; end: number } | string {
  const m = /^(\S+)[ \t]*-->[ \t]*(\S+)(.*)$/.exec(line) ?? /^(\S*?)-->(\S*)(.*)$/.exec(line);
  if (!m) return `bad timing line \`${clip(line)}\`: write \`00:01.000 --> 00:04.000\``;
  const [, from, to, rest] = m;
  if (from === '' || to === '') return `bad timing line \`${clip(line)}\`: write \`00:01.000 --> 00:04.000\``;
  const start = parseTimestamp(from!);
  if (typeof start === 'string') return `bad start time: ${start}`;
  const end = parseTimestamp(to!);
  if (typeof end === 'string') return `bad end time: ${end}`;
  if (rest !== '' && !/^[ \t]/.test(rest!)) return `bad timing line \`${clip(line)}\`: put a space between the end time and the cue settings`;
  return { start, end };
}

function clip(text: string): string {
  const t = text.trim();
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

/**
 * The caption file as the bundle ships it: no BOM, LF line endings, NFC text (composed Vietnamese, as every other
 * source text), one trailing newline. The same captions always give the same bytes.
 */
export function normalizeWebVtt(text: string): string {
  return `${text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC').replace(/\n+$/, '')}\n`;
}

/** The UTF-8 text of a caption file, or the 1-based line of its first byte that is not UTF-8. */
export function decodeWebVtt(bytes: Uint8Array): { text: string } | { badLine: number } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    // Find the first invalid sequence: decode growing prefixes' lines one by one.
    let line = 1;
    let lineStart = 0;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let k = 0; k <= bytes.length; k++) {
      if (k === bytes.length || bytes[k] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(lineStart, k));
        } catch {
          return { badLine: line };
        }
        line++;
        lineStart = k + 1;
      }
    }
    return { badLine: line };
  }
}

/**
 * Diagnostics for one caption file: `media/bad-captions` at the line of the VTT file (`shown`: its path as
 * diagnostics show files, relative to the project root), and `media/captions-past-end` when cues run past the end of
 * the video (`duration`, seconds, when known).
 */
export function checkCaptions(content: Uint8Array | string, shown: string, duration?: number): Diagnostic[] {
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    const decoded = decodeWebVtt(content);
    if ('badLine' in decoded) {
      return [diagnose('media/bad-captions', { file: shown, line: decoded.badLine, column: 1 }, `${shown} is not UTF-8 text (first bad byte on this line): browsers show such captions garbled`, { hint: 'Save the captions as UTF-8 (in most editors: Save as… → Encoding: UTF-8); Vietnamese files saved as Windows-1258 or VNI/TCVN3 show garbled letters.' })];
    }
    text = decoded.text;
  }
  const { cues, problems } = parseWebVtt(text, shown);
  const diagnostics = problems.map((p) => diagnose('media/bad-captions', { file: shown, line: p.line, column: 1 }, p.message, p.severity === 'warning' ? { severity: 'warning' } : {}));
  if (duration !== undefined && Number.isFinite(duration)) {
    // A little slack: a caption held a few frames past the last one is usual.
    const late = cues.filter((c) => c.end > duration + 0.5);
    const firstLate = late[0];
    if (firstLate) {
      const others = late.length > 1 ? ` (and ${late.length - 1} more after it)` : '';
      diagnostics.push(
        diagnose(
          'media/captions-past-end',
          { file: shown, line: firstLate.line, column: 1 },
          `this cue${others} ends at ${formatTimestamp(firstLate.end)}, after the video ends (${formatTimestamp(duration)})`,
        ),
      );
    }
  }
  return diagnostics;
}
