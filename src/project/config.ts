import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isValidLanguageTag } from '../i18n/language-tag.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { displayPath } from '../paths.js';
import { checkYaml } from '../schemas/checked-yaml.js';
import { readSourceText } from '../source/text-file.js';
import { LocatedYaml } from '../source/yaml-document.js';

export const CONFIG_FILE_NAME = 'hocso.config.yaml';
export const TARGETS = ['web', 'scorm12', 'scorm2004', 'cmi5', 'xapi', 'audio', 'video', 'epub', 'print', 'text'] as const;
export type Target = (typeof TARGETS)[number];

export interface CourseEntry {
  /** Absolute path of the course folder. */
  dir: string;
  line: number;
  column: number;
}

export interface ProjectConfig {
  /** Absolute path of hocso.config.yaml. */
  file: string;
  /** The folder holding it: every path is shown relative to it. */
  root: string;
  courses: CourseEntry[];
  frameworksDir: string;
  outputDir: string;
  targets: Target[];
  /** Languages to build, each with its fallback chain; empty means each course's source language. */
  languages: LanguageSetting[];
  /** Where out/ is published (feeds, QR codes); undefined: not published (relative links). */
  publicUrl?: string;
  /** Base of xAPI / cmi5 activity IRIs; undefined: not set (a placeholder is used). */
  iriBase?: string;
  /** Media budgets in bytes (docs/images.md); absent: no limit. */
  media?: MediaBudgets;
  /** Text-to-speech voices and an optional external engine. */
  narration?: NarrationSettings;
}

export interface NarrationSettings {
  /** Language tag → eSpeak NG voice name, or `none`. */
  voices?: Record<string, string>;
  /** An external engine for some languages: argv template with {text}, {output}, {lang}. */
  command?: { run: string; languages: string[] };
}

export interface MediaBudgets {
  maxLessonBytes?: number;
  maxPackageBytes?: number;
}

export interface LanguageSetting {
  tag: string;
  /** Where a missing lesson or text comes from, in order (the course's source language is always last). */
  fallback: string[];
}

/** A problem that stops hocso before any content is read (exit code 2). */
export class UsageError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** The config file: the one given, else hocso.config.yaml in `from` or the nearest parent. */
export function findConfigFile(from: string, explicit?: string): string {
  if (explicit) {
    const file = path.resolve(from, explicit);
    if (!existsSync(file)) throw new UsageError(`config file not found: ${explicit}`, 'Check the path given to --config.');
    return statSync(file).isDirectory() ? findConfigFile(file) : file;
  }
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new UsageError(`no ${CONFIG_FILE_NAME} in ${from} or any parent folder`, 'Run `hocso init` to create a project, or pass --config FILE.');
}

export function loadConfig(file: string): { config?: ProjectConfig; diagnostics: Diagnostic[] } {
  const root = path.dirname(file);
  const shown = displayPath(file, root);
  const yaml = new LocatedYaml(readSourceText(file));
  const problems = checkYaml(yaml, 'config', shown, { syntax: 'config/yaml-syntax', schema: 'config/schema' });
  if (problems.length) return { diagnostics: problems };
  const data = yaml.data as { courses: string[]; frameworks?: string; output?: string; targets?: Target[]; languages?: (string | { tag: string; fallback?: string[] })[]; iriBase?: string; publicUrl?: string; media?: MediaBudgets; narration?: NarrationSettings };
  const diagnostics: Diagnostic[] = [];
  const courses: CourseEntry[] = [];
  data.courses.forEach((entry, i) => {
    const dir = path.resolve(root, entry);
    const at = yaml.positionOf(['courses', i]);
    if (!existsSync(path.join(dir, 'course.yaml'))) {
      diagnostics.push(diagnose('config/course-missing', { file: shown, ...at }, `no course.yaml in \`${entry}\``));
      return;
    }
    courses.push({ dir, ...at });
  });
  const languages = (data.languages ?? []).map((item): LanguageSetting => (typeof item === 'string' ? { tag: item, fallback: [] } : { tag: item.tag, fallback: item.fallback ?? [] }));
  languages.forEach((setting, i) => {
    const keys = typeof data.languages![i] === 'string' ? ['languages', i] : ['languages', i, 'tag'];
    for (const [tag, at] of [[setting.tag, keys], ...setting.fallback.map((f, j) => [f, ['languages', i, 'fallback', j]] as const)] as const) {
      if (!isValidLanguageTag(tag)) diagnostics.push(diagnose('course/language-tag', { file: shown, ...yaml.positionOf([...at]) }, `\`${tag}\` is not a valid BCP 47 language tag`));
    }
    if (languages.findIndex((l) => l.tag === setting.tag) !== i) diagnostics.push(diagnose('config/duplicate-language', { file: shown, ...yaml.positionOf(keys) }, `\`${setting.tag}\` is listed twice`));
  });
  return {
    config: {
      file,
      root,
      courses,
      frameworksDir: path.resolve(root, data.frameworks ?? 'content/frameworks'),
      outputDir: path.resolve(root, data.output ?? 'out'),
      targets: data.targets ?? ['web'],
      languages,
      ...(data.iriBase ? { iriBase: data.iriBase } : {}),
      ...(data.publicUrl ? { publicUrl: data.publicUrl } : {}),
      ...(data.media ? { media: data.media } : {}),
      ...(data.narration ? { narration: data.narration } : {}),
    },
    diagnostics,
  };
}
