import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { TEMPLATES_DIR } from '../paths.js';

export type UiStrings = Record<string, string> & { lang: string };

let table: Record<string, Record<string, string>> | undefined;

/** Interface text for a language: its own entries, then Vietnamese, then English, for anything missing. */
export function uiStrings(lang: string): UiStrings {
  table ??= parse(readFileSync(path.join(TEMPLATES_DIR, 'web', 'strings.yaml'), 'utf8')) as Record<string, Record<string, string>>;
  const primary = lang.toLowerCase().split('-')[0]!;
  const chain = [lang, primary, 'vi', 'en'];
  const merged: Record<string, string> = {};
  for (const key of [...chain].reverse()) Object.assign(merged, table[key] ?? {});
  return { ...merged, lang };
}

/** Fills {name} placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Whole minutes of an ISO 8601 duration (PT20M, PT1H30M, P0DT45M); undefined when it has no time part we can show. */
export function durationMinutes(duration: string | undefined): number | undefined {
  if (!duration) return undefined;
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!match) return undefined;
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  const minutes = Math.round(Number(d) * 1440 + Number(h) * 60 + Number(m) + Number(s) / 60);
  return minutes > 0 ? minutes : undefined;
}

/** Words the synthesized narration says around a lesson's own text (src/media/narration-script.ts). */
export interface NarrationWords {
  /** Read before the objectives. */
  objectives: string;
  /** Starts each step: {n} is its number. */
  step: string;
  /** Starts a quiz question. */
  question: string;
  /** Starts each choice of a question: {letter} is A, B, C … */
  option: string;
  /** Start callouts that have no title of their own. */
  tip: string;
  warning: string;
  note: string;
  /** Starts the description of a picture. */
  figure: string;
}

const NARRATION_WORDS: Record<string, NarrationWords> = {
  vi: {
    objectives: 'Sau bài này, bạn sẽ:',
    step: 'Bước {n}.',
    question: 'Câu hỏi:',
    option: 'Lựa chọn {letter}:',
    tip: 'Mẹo:',
    warning: 'Cảnh báo:',
    note: 'Lưu ý:',
    figure: 'Hình:',
  },
  en: {
    objectives: 'After this lesson you will:',
    step: 'Step {n}.',
    question: 'Question:',
    option: 'Option {letter}:',
    tip: 'Tip:',
    warning: 'Warning:',
    note: 'Note:',
    figure: 'Picture:',
  },
};

/** Narration words for a language: its own, else its primary subtag's, else Vietnamese (like uiStrings). */
export function narrationWords(lang: string): NarrationWords {
  const primary = lang.toLowerCase().split('-')[0]!;
  return NARRATION_WORDS[lang] ?? NARRATION_WORDS[lang.toLowerCase()] ?? NARRATION_WORDS[primary] ?? NARRATION_WORDS.vi!;
}
