// The few things hocso reads from and writes into the PDF Chromium prints: the dates of its Info dictionary (made
// reproducible) and the page each named destination lands on (the page numbers of the table of contents).
// Chromium's PDF (Skia) keeps dictionaries as plain text and compresses only streams, so both work on the bytes
// without a PDF library; every edit keeps the file's length, so the cross-reference offsets stay valid.
import { statSync } from 'node:fs';
import path from 'node:path';
import { lessonsOf, type Course } from '../../model/course.js';
import { findSourceFile } from '../../source/text-file.js';

/** `D:YYYYMMDDHHmmSS` of a date, in UTC. */
function pdfStamp(date: Date): string {
  const iso = date.toISOString(); // 2024-05-01T08:30:00.000Z
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/**
 * Sets /CreationDate and /ModDate of the Info dictionary to `date`, in place and at the same length (the string is
 * padded with spaces after its closing parenthesis when the new one is shorter). Returns how many were rewritten.
 */
export function setPdfDates(pdf: Uint8Array, date: Date): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const stamp = pdfStamp(date);
  let count = 0;
  for (const match of text.matchAll(/\/(?:CreationDate|ModDate)\s*(\(D:[^)]*\))/g)) {
    const old = match[1]!;
    const at = match.index! + match[0].length - old.length;
    const full = `(${stamp}+00'00')`;
    const short = `(${stamp}Z)`;
    const value = full.length <= old.length ? full : short.length <= old.length ? short : undefined;
    if (!value) continue;
    pdf.set(Buffer.from(value.padEnd(old.length, ' '), 'latin1'), at);
    count++;
  }
  return count;
}

/**
 * The date the handout carries: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the newest modification
 * time of the files it is made from (course.yaml, the lessons shown, their media), to the second.
 */
export function sourceDate(course: Course, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  const files = [path.join(course.root, path.basename(course.at.file) || 'course.yaml')];
  for (const lesson of lessonsOf(course)) {
    files.push(path.join(course.root, ...lesson.path.split('/')));
    for (const file of lesson.files) files.push(path.join(course.root, ...file.split('/')));
  }
  let newest = 0;
  for (const file of files) {
    const found = findSourceFile(file);
    if (!found) continue;
    try {
      newest = Math.max(newest, Math.floor(statSync(found).mtimeMs / 1000) * 1000);
    } catch {
      // unreadable: not part of the date
    }
  }
  return new Date(newest);
}

/**
 * Named destination → 1-based page number, from the PDF's /Dests dictionary (`/name [PAGE 0 R /XYZ …]`) and the order
 * of its page tree. Chromium writes a destination for every element id that a link of the page points to.
 */
export function destinationPages(pdf: Uint8Array): Map<string, number> {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const objects = new Map<number, string>();
  for (const match of text.matchAll(/(?:^|[\r\n])(\d+) 0 obj\b([\s\S]*?)\bendobj/g)) {
    const body = match[2]!;
    // Streams are skipped: only dictionaries are read.
    const stream = body.indexOf('stream');
    objects.set(Number(match[1]), stream < 0 ? body : body.slice(0, stream));
  }
  const pageOrder = new Map<number, number>();
  const rootRef = /\/Root\s+(\d+)\s+0\s+R/.exec(text);
  const pagesRef = rootRef ? /\/Pages\s+(\d+)\s+0\s+R/.exec(objects.get(Number(rootRef[1])) ?? '') : null;
  const walk = (id: number, depth: number): void => {
    const body = objects.get(id);
    if (!body || depth > 64) return;
    if (/\/Type\s*\/Pages\b/.test(body)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '';
      for (const kid of kids.matchAll(/(\d+)\s+0\s+R/g)) walk(Number(kid[1]), depth + 1);
    } else if (/\/Type\s*\/Page\b/.test(body)) pageOrder.set(id, pageOrder.size + 1);
  };
  if (pagesRef) walk(Number(pagesRef[1]), 0);

  const result = new Map<string, number>();
  for (const body of objects.values()) {
    for (const match of body.matchAll(/\/((?:[^\s/\[\]()<>{}%#]|#[0-9A-Fa-f]{2})+)\s*\[\s*(\d+)\s+0\s+R\s*\/XYZ\b/g)) {
      const page = pageOrder.get(Number(match[2]));
      if (page !== undefined) result.set(match[1]!.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), page);
    }
  }
  return result;
}

/** The number of pages of the PDF (its page tree's leaves). */
export function pageCount(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  return [...text.matchAll(/\/Type\s*\/Page\b(?!s)/g)].length;
}
