import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { RawHtmlFact } from '../source/lesson-body.js';

// The sanitizer already strips these from the output; reporting them tells the author their markup did not survive.
const UNSAFE: { pattern: RegExp; what: string }[] = [
  { pattern: /<\s*(script|iframe|object|embed|base|meta|link|style|form)\b/gi, what: 'a <$1> element' },
  { pattern: /\son[a-z]+\s*=/gi, what: 'an event handler attribute' },
  { pattern: /(?:javascript|vbscript)\s*:|data\s*:\s*text\/html/gi, what: 'a script URL' },
];

export function checkRawHtml(facts: readonly RawHtmlFact[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const fact of facts) {
    for (const { pattern, what } of UNSAFE) {
      for (const match of fact.html.matchAll(pattern)) {
        const before = fact.html.slice(0, match.index);
        const lineInHtml = before.split('\n').length - 1;
        const column = lineInHtml === 0 ? fact.at.column + before.length : before.length - before.lastIndexOf('\n');
        const label = what.replace('$1', (match[1] ?? '').toLowerCase());
        diagnostics.push(diagnose('html/unsafe', { file: fact.at.file, line: fact.at.line + lineInHtml, column }, `raw HTML contains ${label} (\`${match[0].trim()}\`); it is removed from the output`));
      }
    }
  }
  return diagnostics;
}
