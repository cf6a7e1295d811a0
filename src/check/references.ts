import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import type { Reference } from '../source/lesson-body.js';

export interface AnchorIndex {
  /** Absolute lesson file → the anchors its page has (heading slugs, quiz ids). */
  anchorsOf(lessonFile: string): ReadonlySet<string> | undefined;
}

/** Links and media: inside the course, existing, safe, with alt text, and anchors that exist. */
export function checkReferences(references: readonly Reference[], lessonFile: string, anchors: AnchorIndex): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const ref of references) {
    const what = ref.kind === 'link' ? 'link' : ref.kind;
    const r = ref.resolution;
    switch (r.to) {
      case 'outside':
        diagnostics.push(diagnose('link/outside-course', ref.at, `${what} \`${ref.url}\` points outside the course folder`));
        break;
      case 'missing':
        diagnostics.push(ref.kind === 'link'
          ? diagnose('link/broken', ref.at, `link \`${ref.url}\` points to a file that does not exist`)
          : diagnose('media/missing', ref.at, `${what} \`${ref.url}\` not found`));
        break;
      case 'unsafe':
        diagnostics.push(diagnose('link/unsafe-url', ref.at, `${what} \`${ref.url}\` uses a scheme that is not allowed`));
        break;
      case 'remote':
        diagnostics.push(diagnose('media/remote', ref.at, `${what} \`${ref.url}\` is on another site`));
        break;
      case 'anchor':
      case 'lesson': {
        const target = r.to === 'anchor' ? lessonFile : r.lessonFile;
        const anchor = r.anchor;
        if (anchor && !anchors.anchorsOf(target)?.has(anchor)) {
          diagnostics.push(diagnose('link/anchor', ref.at, `link \`${ref.url}\`: no heading with the anchor \`#${anchor}\``));
        }
        break;
      }
      default:
        break;
    }
    if (ref.kind === 'image' && !ref.alt?.trim()) {
      diagnostics.push(diagnose('media/alt-missing', ref.at, `image \`${ref.url}\` has no alt text`));
    }
  }
  return diagnostics;
}
