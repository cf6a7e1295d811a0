// Helpers of the EPUB tests: the real epubcheck (Debian's 4.2.6 jar, run with Java), the book's files, XML trees.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readZip } from '../../src/verify/zip-reader.js';
import { toTree, walk, type XNode } from '../../src/verify/xml-tree.js';
import { parseXml } from '../../src/xml/xsd.js';

export const NS = {
  opf: 'http://www.idpf.org/2007/opf',
  dc: 'http://purl.org/dc/elements/1.1/',
  xhtml: 'http://www.w3.org/1999/xhtml',
  epub: 'http://www.idpf.org/2007/ops',
  smil: 'http://www.w3.org/ns/SMIL',
} as const;

export interface EpubcheckMessage {
  ID: string;
  severity: 'FATAL' | 'ERROR' | 'WARNING' | 'USAGE' | 'INFO' | 'SUPPRESSED';
  message: string;
  locations: { path: string; line: number; column: number }[];
}

/** How to run epubcheck here: the jar of Debian's package (run with java), or an `epubcheck` launcher. Throws when missing. */
export function epubcheckCommand(): { command: string; args: string[] } {
  const candidates = [process.env.EPUBCHECK_JAR, '/usr/share/java/epubcheck.jar', '/usr/bin/epubcheck'].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    // The JIT's first tier only and the serial collector: epubcheck is a short run, this halves its start-up time.
    if (real.endsWith('.jar')) return { command: 'java', args: ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', real] };
    return { command: real, args: [] };
  }
  throw new Error('epubcheck is not installed: `apt-get install epubcheck` (Debian/Ubuntu: EPUBCheck 4.2.6 and a Java runtime), or set EPUBCHECK_JAR to an epubcheck.jar');
}

/** epubcheck's messages for one book (its JSON report), and its exit code. */
export function epubcheck(file: string): Promise<{ code: number; messages: EpubcheckMessage[]; stderr: string }> {
  const { command, args } = epubcheckCommand();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hocso-epubcheck-'));
  const report = path.join(dir, 'report.json');
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, file, '--json', report], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => reject(new Error(`epubcheck could not run (${error.message}): apt-get install epubcheck`)));
    child.on('close', (code) => {
      try {
        const parsed = JSON.parse(readFileSync(report, 'utf8')) as { messages: EpubcheckMessage[] };
        resolve({ code: code ?? -1, messages: parsed.messages, stderr });
      } catch (error) {
        reject(new Error(`epubcheck wrote no report for ${file} (exit ${code}): ${stderr}${(error as Error).message}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** Runs jobs `limit` at a time, results in input order. */
export async function inBatches<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface Book {
  files: Map<string, Uint8Array>;
  text(name: string): string;
  /** A file of the book parsed as XML (throws with libxml2's messages when it is not well-formed). */
  xml(name: string): XNode;
}

export async function readBook(file: string): Promise<Book> {
  const { files, problems } = await readZip(file);
  if (problems.length) throw new Error(`${file}: ${JSON.stringify(problems)}`);
  const text = (name: string): string => {
    const bytes = files.get(name);
    if (!bytes) throw new Error(`${file} has no ${name}`);
    return Buffer.from(bytes).toString('utf8');
  };
  return { files, text, xml: (name) => parseTree(text(name), name) };
}

export function parseTree(source: string, name = 'doc.xml'): XNode {
  const parsed = parseXml(source, name);
  if (!parsed.doc) throw new Error(`${name} is not well-formed XML: ${JSON.stringify(parsed.problems)}`);
  try {
    return toTree(parsed.doc);
  } finally {
    parsed.doc.dispose();
  }
}

export function elements(root: XNode, name: string, ns: string = NS.xhtml): XNode[] {
  return [...walk(root)].map((w) => w.node).filter((n) => n.name === name && n.ns === ns);
}

export function byId(root: XNode, id: string): XNode | undefined {
  return [...walk(root)].map((w) => w.node).find((n) => n.attrs.get('id') === id);
}

/** All the text under a node (and the alt text of its images), words separated. */
export function deepText(node: XNode): string {
  const alt = node.attrs.get('alt');
  return [node.text, alt ?? '', ...node.children.map(deepText)].filter(Boolean).join(' ');
}

export function hasClass(node: XNode, name: string): boolean {
  return (node.attrs.get('class') ?? '').split(/\s+/).includes(name);
}

/** The metadata of the package document: [property or dc name, value, attributes]. */
export function packageMetadata(opf: XNode): { name: string; value: string; attrs: ReadonlyMap<string, string> }[] {
  const metadata = opf.children.find((c) => c.name === 'metadata')!;
  return metadata.children.map((m) => ({ name: m.ns === NS.dc ? `dc:${m.name}` : m.attrs.get('property') ?? m.name, value: m.text, attrs: m.attrs }));
}

/** "0:01:02.345" / "01:02.345" / "62.345s" → seconds. */
export function clockSeconds(value: string): number {
  if (value.endsWith('s') && !value.includes(':')) return Number(value.slice(0, -1));
  const parts = value.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** The cues of a WebVTT file: start and end in seconds, text with its three escapes decoded. */
export function vttCues(text: string): { start: number; end: number; text: string }[] {
  const cues: { start: number; end: number; text: string }[] = [];
  for (const block of text.split(/\n\n+/)) {
    const lines = block.split('\n');
    const timing = lines.findIndex((l) => l.includes('-->'));
    if (timing < 0) continue;
    const [start, end] = lines[timing]!.split('-->').map((s) => clockSeconds(s.trim().split(/\s/)[0]!));
    cues.push({ start: start!, end: end!, text: lines.slice(timing + 1).join(' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') });
  }
  return cues;
}

/** Words (letters and digits), lower case. */
export function words(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
