import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { HeadingFact } from '../source/lesson-body.js';

/** The lesson title is the page's h1, so the body starts at ## and never skips a level going down. */
export function checkHeadings(headings: readonly HeadingFact[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let previous = 1;
  for (const heading of headings) {
    if (heading.depth === 1) {
      diagnostics.push(diagnose('heading/order', heading.at, `\`# ${heading.text}\` is a second page title; the lesson title is already the h1`, { hint: 'Use ## for sections.' }));
    } else if (heading.depth > previous + 1) {
      diagnostics.push(diagnose('heading/order', heading.at, `heading level jumps from ${previous} to ${heading.depth} at \`${heading.text}\``, { hint: `Use ${'#'.repeat(previous + 1)} here.` }));
    }
    previous = heading.depth;
  }
  return diagnostics;
}
