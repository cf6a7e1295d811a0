import matter from 'gray-matter';
import { LocatedYaml } from './yaml-document.js';

export interface LessonSource {
  /** The front matter, located so schema errors point at its lines; undefined when the file has none. */
  frontMatter?: LocatedYaml;
  body: string;
  /** 1-based line of the file where `body` starts. */
  bodyLine: number;
}

// gray-matter finds the front matter; the `yaml` library parses it so every value keeps its line.
const locatingEngine = { parse: (text: string) => ({ located: new LocatedYaml(text) }) };

/** Splits a lesson file into its front matter and Markdown body. */
export function splitLesson(text: string): LessonSource {
  if (!/^---[ \t]*\n/.test(text)) return { body: text, bodyLine: 1 };
  // Options make gray-matter skip its cache, which keys on content and would hand back another file's parse.
  const file = matter(text, { engines: { yaml: locatingEngine as never } });
  const located = (file.data as { located?: LocatedYaml }).located;
  const prefix = text.slice(0, text.length - file.content.length);
  return { ...(located ? { frontMatter: located } : {}), body: file.content, bodyLine: prefix.split('\n').length };
}
