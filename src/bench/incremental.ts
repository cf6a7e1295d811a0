// Incremental rebuilds: how long `hocso build` takes after a one-lesson edit and with no change, on catalogs of N
// lessons in courses of PER_COURSE (a national catalog is many courses, not one course of thousands of lessons), and,
// for contrast, on the one-course corpus where every package holds all N lessons.
//
//   npm run bench -- --incremental                 N = 1000 and 5000
//   npm run bench -- --incremental 1000 5000 20000 other sizes; --runs=N edits per size (default 3)
//
// Each size: a cold build (web + SCORM 2004) fills the build cache; then --runs times, one lesson of another course
// gets a new paragraph and the rebuild is timed (it must write exactly that course's 2 outputs); then --runs
// rebuilds with no change are timed (they must write nothing). Every build is a new Node process, timed from spawn
// to exit. Medians are reported.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChild } from './child.js';
import { generateCatalog, generateCorpus, lessonFileName } from './corpus.js';

export const PER_COURSE = 50;
const TARGETS = ['-t', 'web', '-t', 'scorm2004'];

export interface IncrementalRow {
  layout: 'catalog' | 'one course';
  lessons: number;
  courses: number;
  coldMs: number;
  editMs: number[];
  noChangeMs: number[];
  editMedianMs: number;
  noChangeMedianMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timedBuild(bin: string, dir: string, cacheDir: string, expect: RegExp, what: string): Promise<number> {
  const r = await runChild([bin, 'build', ...TARGETS], dir, { ...process.env, HOCSO_CACHE_DIR: cacheDir, CI: '1', NO_COLOR: '1' });
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
  if (!expect.test(r.stderr)) throw new Error(`${what}: expected ${expect} in its report:\n${r.stderr.slice(-2000)}`);
  return r.ms;
}

async function measure(bin: string, dir: string, layout: IncrementalRow['layout'], lessons: number, courses: string[], runs: number): Promise<IncrementalRow> {
  const cacheDir = path.join(dir, '.cache');
  const units = courses.length * 2;
  const coldMs = await timedBuild(bin, dir, cacheDir, new RegExp(`: ${units} written`), `cold build N=${lessons}`);
  const editMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const course = courses[(r * 7) % courses.length]!;
    const file = path.join(dir, 'courses', course, 'lessons', lessonFileName(1 + ((r * 13) % Math.min(lessons, PER_COURSE))));
    fs.appendFileSync(file, `\nĐoạn văn thêm vào lần sửa thứ ${r + 1}.\n`);
    editMs.push(await timedBuild(bin, dir, cacheDir, new RegExp(`: 2 written${units > 2 ? `, ${units - 2} unchanged` : ''}`), `rebuild after an edit, N=${lessons}`));
  }
  const noChangeMs: number[] = [];
  for (let r = 0; r < runs; r++) noChangeMs.push(await timedBuild(bin, dir, cacheDir, /nothing written/, `no-change rebuild, N=${lessons}`));
  return { layout, lessons, courses: courses.length, coldMs, editMs, noChangeMs, editMedianMs: median(editMs), noChangeMedianMs: median(noChangeMs) };
}

export async function runIncrementalBench(bin: string, root: string, sizes: number[], runs: number, seed: number, keep: boolean): Promise<IncrementalRow[]> {
  const rows: IncrementalRow[] = [];
  for (const n of sizes) {
    const dir = path.join(root, `catalog-${n}`);
    const courses = generateCatalog(dir, n, PER_COURSE, seed);
    console.log(`\nincremental, catalog N=${n} (${courses.length} courses of ${PER_COURSE}):`);
    const row = await measure(bin, dir, 'catalog', n, courses, runs);
    console.log(`  cold ${row.coldMs.toFixed(0)} ms; after one edit (ms): ${row.editMs.map((v) => v.toFixed(0)).join(', ')}; no change (ms): ${row.noChangeMs.map((v) => v.toFixed(0)).join(', ')}`);
    rows.push(row);
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const n of sizes) {
    const dir = path.join(root, `one-course-${n}`);
    generateCorpus(dir, n, seed);
    console.log(`\nincremental, one course of N=${n}:`);
    const row = await measure(bin, dir, 'one course', n, ['bench'], runs);
    console.log(`  cold ${row.coldMs.toFixed(0)} ms; after one edit (ms): ${row.editMs.map((v) => v.toFixed(0)).join(', ')}; no change (ms): ${row.noChangeMs.map((v) => v.toFixed(0)).join(', ')}`);
    rows.push(row);
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function printIncrementalReport(rows: IncrementalRow[]): void {
  console.log(`\nincremental rebuilds (web + SCORM 2004, ${os.availableParallelism()} cores; medians; each a new process):`);
  console.log('layout      |     N | courses | cold build ms | after one-lesson edit ms | no change ms | edit / cold');
  for (const r of rows) {
    console.log(`${r.layout.padEnd(11)} | ${String(r.lessons).padStart(5)} | ${String(r.courses).padStart(7)} | ${r.coldMs.toFixed(0).padStart(13)} | ${r.editMedianMs.toFixed(0).padStart(24)} | ${r.noChangeMedianMs.toFixed(0).padStart(12)} | ${(r.editMedianMs / r.coldMs).toFixed(3)}`);
  }
}
