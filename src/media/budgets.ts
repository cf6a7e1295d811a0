// Size budgets (hocso.config.yaml `media`): a lesson weighs its page plus every file under files/ the page links
// (all image variants); a bundle or package weighs all its files (a package: its zip). Over budget is an error that
// names the heaviest files.
import type { Diagnostic, Place } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { lessonsOf, type Course } from '../model/course.js';
import { FILES_DIR, lessonPagePath } from '../model/layout.js';
import type { FileTree } from '../output/atomic-dir.js';
import type { MediaBudgets } from '../project/config.js';

const HEAVIEST_SHOWN = 3;

export function checkBudgets(files: FileTree, course: Course, budgets: MediaBudgets | undefined, output: { name: string; zipBytes?: number; at: Place }): Diagnostic[] {
  if (!budgets) return [];
  const diagnostics: Diagnostic[] = [];
  const size = (p: string): number => sizeOf(files.get(p)!);
  if (budgets.maxLessonBytes !== undefined) {
    for (const lesson of lessonsOf(course)) {
      const page = lessonPagePath(lesson.id);
      const html = files.get(page);
      if (html === undefined) continue;
      const used = [page, ...linkedFiles(text(html)).filter((f) => files.has(f))];
      const total = used.reduce((n, f) => n + size(f), 0);
      if (total > budgets.maxLessonBytes) {
        diagnostics.push(diagnose('media/over-budget', lesson.at, `lesson \`${lesson.id}\` weighs ${bytes(total)}, over media.maxLessonBytes (${bytes(budgets.maxLessonBytes)}); heaviest: ${heaviest(used, size)}`));
      }
    }
  }
  if (budgets.maxPackageBytes !== undefined) {
    const all = [...files.keys()];
    const total = output.zipBytes ?? all.reduce((n, f) => n + size(f), 0);
    if (total > budgets.maxPackageBytes) {
      diagnostics.push(diagnose('media/over-budget', output.at, `${output.name} weighs ${bytes(total)}, over media.maxPackageBytes (${bytes(budgets.maxPackageBytes)}); heaviest: ${heaviest(all, size)}`));
    }
  }
  return diagnostics;
}

/** files/… paths a lesson page links (src, href, srcset, poster), decoded. */
function linkedFiles(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/\.\.\/(files\/[^"'\s,<>]+)/g)) {
    try {
      found.add(decodeURIComponent(match[1]!));
    } catch {
      found.add(match[1]!);
    }
  }
  return [...found].filter((f) => f.startsWith(`${FILES_DIR}/`));
}

function heaviest(paths: readonly string[], size: (p: string) => number): string {
  return [...paths]
    .sort((a, b) => size(b) - size(a) || a.localeCompare(b))
    .slice(0, HEAVIEST_SHOWN)
    .map((p) => `${p} (${bytes(size(p))})`)
    .join(', ');
}

function sizeOf(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function text(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
