import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

export interface YamlSyntaxError {
  message: string;
  line: number;
  column: number;
}

/** A parsed YAML text that can say where any value came from, so schema errors point at lines, not JSON pointers. */
export class LocatedYaml {
  readonly data: unknown;
  readonly errors: YamlSyntaxError[];
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(text: string, private readonly lineOffset = 0) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.errors = this.doc.errors.map((e) => {
      const message = firstLine(e.message);
      const opened = openingOf(text, message, e.pos[0]);
      const pos = this.lines.linePos(opened ?? e.pos[0]);
      const shown = opened === undefined ? message : `this ${text[opened]} is never closed${text[opened] === '[' ? ' with ]' : text[opened] === '{' ? ' with }' : ''} (${message})`;
      return { message: shown, line: pos.line + lineOffset, column: pos.col };
    });
    this.data = this.errors.length ? undefined : this.doc.toJS({ maxAliasCount: 100 });
  }

  /** Where the value at this path (a JSON pointer or a list of keys) starts; the closest existing ancestor if it is absent. */
  positionOf(path: string | readonly (string | number)[]): Position {
    const keys = typeof path === 'string' ? pointerToKeys(path) : path;
    let node: unknown = this.doc.contents;
    let found: unknown = node;
    for (const key of keys) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(key));
        node = pair?.value ?? pair?.key;
      } else if (isSeq(node)) {
        node = node.items[Number(key)];
      } else {
        break;
      }
      if (!node) break;
      found = node;
    }
    const range = (found as YamlNode | null)?.range;
    if (!range) return { line: 1 + this.lineOffset, column: 1 };
    const pos = this.lines.linePos(range[0]);
    return { line: pos.line + this.lineOffset, column: pos.col };
  }
}

function pointerToKeys(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The parser notices an unclosed quote or bracket where the text ends; the author needs the place it was opened.
 */
function openingOf(text: string, message: string, at: number): number | undefined {
  const opener = /closing "quote/.test(message) ? '"' : /closing 'quote/.test(message) ? "'" : /end with a \]/.test(message) ? '[' : /end with a \}/.test(message) ? '{' : undefined;
  if (!opener) return undefined;
  const index = text.lastIndexOf(opener, Math.max(0, at - 1));
  return index === -1 ? undefined : index;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
