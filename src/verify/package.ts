import { statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { displayPath } from '../paths.js';
import { UsageError } from '../project/config.js';
import { checkCmi5, CMI5_MANIFEST, type XapiFacts } from './cmi5-package.js';
import { readFolder } from './folder-reader.js';
import { resolveHref } from './package-paths.js';
import { inspectScormFiles, type InspectOptions, type ScormSummary } from './scorm-package.js';
import { checkTincan, TINCAN_MANIFEST } from './tincan-package.js';
import { printable, readZip, type PackageContents } from './zip-reader.js';

// `hocso verify` for any package: the manifest at the root decides the kind. imsmanifest.xml → SCORM, cmi5.xml →
// cmi5, tincan.xml → Tin Can. A package with several of them is checked as each kind it claims to be (LMSs pick the
// one they support), and a file is unused only when no kind uses it.

export type PackageKind = 'scorm' | 'cmi5' | 'tincan';
export const PACKAGE_KINDS: readonly PackageKind[] = ['scorm', 'cmi5', 'tincan'];
export const MANIFEST_OF: Record<PackageKind, string> = { scorm: 'imsmanifest.xml', cmi5: CMI5_MANIFEST, tincan: TINCAN_MANIFEST };
const KIND_TITLE: Record<PackageKind, string> = { scorm: 'SCORM', cmi5: 'cmi5', tincan: 'Tin Can' };

export interface PackageSummary extends ScormSummary {
  /** The first kind found (SCORM, then cmi5, then Tin Can); undefined when the package has no manifest at its root. */
  kind?: PackageKind;
  /** Every kind whose manifest is at the root. */
  kinds: PackageKind[];
  /** The kinds whose manifest could be read as such (a known SCORM version, a cmi5 <courseStructure>, a <tincan>). */
  recognized: PackageKind[];
  /** What the summary line calls it, e.g. "SCORM 2004 4th Edition", "cmi5", "SCORM 1.2 + cmi5"; undefined when no manifest could be read. */
  title?: string;
  aus: number;
  blocks: number;
  activities: number;
}

export interface PackageVerification {
  diagnostics: Diagnostic[];
  summary: PackageSummary;
}

/** Schema files a tool may copy beside the manifest: never unused. */
const SCHEMA_FILE = /^[^/]+\.(?:xsd|dtd)$/i;
/** Beyond this, unused files are summed up in one warning instead of one each. */
const UNUSED_SHOWN = 20;

/** Why there is no manifest at the root: none anywhere, one in a subfolder (the folder was zipped), or a wrongly cased name. */
function missingManifest(files: ReadonlyMap<string, Uint8Array>, label: string): Diagnostic {
  const names = new Map(PACKAGE_KINDS.map((k) => [MANIFEST_OF[k], k]));
  const found = [...files.keys()]
    .filter((f) => names.has(path.posix.basename(f).toLowerCase()))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  const first = found[0];
  if (first === undefined) {
    return diagnose('package/manifest-missing', { file: label }, 'no imsmanifest.xml, cmi5.xml or tincan.xml in the package: this is not a SCORM package, nor a cmi5 or Tin Can (xAPI) one', {
      hint: 'A package has its manifest at its root: imsmanifest.xml (SCORM), cmi5.xml (cmi5) or tincan.xml (Tin Can); zip the contents of the package folder, not the folder itself.',
    });
  }
  const wanted = path.posix.basename(first).toLowerCase();
  const kind = names.get(wanted)!;
  const hint = kind === 'scorm' ? undefined : `${wanted} must be at the root of the package: zip the contents of the package folder, not the folder itself.`;
  const message = first.includes('/')
    ? `${wanted} is not at the root of the package but in ${printable(path.posix.dirname(first) + '/')}: zip the contents of that folder instead`
    : `the manifest is named ${printable(first)}; LMSs look for exactly ${wanted}`;
  return diagnose('package/manifest-missing', { file: label }, message, { hint });
}

const TEXT_FILE = /\.(?:html?|xhtml|css|m?js|json|svg|xml|txt|vtt)$/i;
const utf8 = new TextDecoder('utf-8');

/** References a page or style sheet makes precisely (attributes, url(), @import, JS imports), as written. */
function references(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:src|href|poster|data|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
    const value = m[1] ?? m[2] ?? m[3] ?? '';
    found.push(...value.split(',').map((part) => part.trim().split(/\s+/)[0] ?? ''));
  }
  for (const m of text.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi)) found.push(m[1] ?? m[2] ?? m[3] ?? '');
  for (const m of text.matchAll(/(?:@import|\bimport|\bfrom)\s*\(?\s*(?:"([^"]*)"|'([^']*)')/g)) found.push(m[1] ?? m[2] ?? '');
  return found.filter((r) => r !== '' && !/^(?:#|data:|javascript:|mailto:|tel:|blob:)/i.test(r));
}

function decodeName(name: string): string {
  try { return decodeURIComponent(name); } catch { return name; }
}

/**
 * The files an LMS's launches use: the launch files, then every file a reached page, style sheet or script links to
 * or merely names (a script that builds `"media/" + name` still names the file), followed through text files.
 */
export function filesReachedFrom(launches: readonly string[], files: ReadonlyMap<string, Uint8Array>): Set<string> {
  const byName = new Map<string, string[]>();
  for (const file of files.keys()) {
    const name = path.posix.basename(file);
    byName.set(name, [...(byName.get(name) ?? []), file]);
  }
  const used = new Set<string>();
  const queue: string[] = [];
  const use = (file: string): void => { if (files.has(file) && !used.has(file)) { used.add(file); queue.push(file); } };
  for (const launch of launches) use(launch);
  while (queue.length) {
    const file = queue.shift()!;
    if (!TEXT_FILE.test(file)) continue;
    const text = utf8.decode(files.get(file)!);
    const folder = path.posix.dirname(file);
    for (const ref of references(text)) {
      const resolved = resolveHref(folder === '.' ? [] : [folder], ref);
      if (resolved.kind === 'inside') use(resolved.path);
    }
    for (const [token] of text.matchAll(/[^\s"'`()<>\\=,;:?#*|{}[\]&]+/g)) {
      const name = token.slice(token.lastIndexOf('/') + 1);
      if (name === '') continue;
      for (const named of byName.get(name) ?? byName.get(decodeName(name)) ?? []) use(named);
    }
  }
  return used;
}

function withSeparator(label: string, options: InspectOptions): string {
  return `${label}${options.folder ? '/' : '!/'}`;
}

/** Verifies a package already in memory: files is path → bytes, label names it in diagnostics. */
export function inspectPackageFiles(files: ReadonlyMap<string, Uint8Array>, label: string, options: InspectOptions = {}): PackageVerification {
  const summary: PackageSummary = { kinds: [], recognized: [], scos: 0, aus: 0, blocks: 0, activities: 0, files: files.size };
  const kinds = PACKAGE_KINDS.filter((k) => files.has(MANIFEST_OF[k]));
  if (kinds.length === 0) {
    // A manifest the reader had to leave out was reported already.
    if (PACKAGE_KINDS.some((k) => options.skipped?.has(MANIFEST_OF[k]))) return { diagnostics: [], summary };
    return { diagnostics: [missingManifest(files, label)], summary };
  }
  summary.kind = kinds[0];
  summary.kinds = kinds;
  const prefix = withSeparator(label, options);
  const skipped = options.skipped ?? new Set<string>();

  // SCORM alone: exactly what SCORM verification always said.
  if (kinds.length === 1 && kinds[0] === 'scorm') {
    const scorm = inspectScormFiles(files, label, options);
    return { diagnostics: scorm.diagnostics, summary: { ...summary, ...scorm.summary, recognized: scorm.summary.version ? ['scorm'] : [], title: scorm.summary.version } };
  }

  const diagnostics: Diagnostic[] = [];
  const titles: string[] = [];
  /** Per kind, the files it does not use; a file is reported only when every kind leaves it unused. */
  const unusedByKind: Set<string>[] = [];
  const manifests = new Set(kinds.map((k) => MANIFEST_OF[k]));
  const unusedOf = (facts: XapiFacts): Set<string> => {
    if (!facts.launchesComplete) return new Set();
    const used = filesReachedFrom(facts.launches, files);
    return new Set([...files.keys()].filter((f) => !used.has(f) && !manifests.has(f) && !SCHEMA_FILE.test(f)));
  };
  let scormUnlisted: Diagnostic[] = [];

  if (kinds.includes('scorm')) {
    const scorm = inspectScormFiles(files, label, options);
    summary.version = scorm.summary.version;
    summary.scos = scorm.summary.scos;
    if (scorm.summary.version) { titles.push(scorm.summary.version); summary.recognized.push('scorm'); }
    scormUnlisted = scorm.diagnostics.filter((d) => d.ruleId === 'package/unlisted-file' && d.file.startsWith(prefix));
    diagnostics.push(...scorm.diagnostics.filter((d) => !scormUnlisted.includes(d)));
    unusedByKind.push(new Set(scormUnlisted.map((d) => d.file.slice(prefix.length))));
  }
  if (kinds.includes('cmi5')) {
    const cmi5 = checkCmi5(files, { manifest: `${prefix}${CMI5_MANIFEST}` }, skipped);
    diagnostics.push(...cmi5.diagnostics);
    summary.aus = cmi5.aus;
    summary.blocks = cmi5.blocks;
    if (cmi5.recognized) { titles.push(KIND_TITLE.cmi5); summary.recognized.push('cmi5'); }
    unusedByKind.push(unusedOf(cmi5));
  }
  if (kinds.includes('tincan')) {
    const tincan = checkTincan(files, { manifest: `${prefix}${TINCAN_MANIFEST}` }, skipped);
    diagnostics.push(...tincan.diagnostics);
    summary.activities = tincan.activities;
    if (tincan.recognized) { titles.push(KIND_TITLE.tincan); summary.recognized.push('tincan'); }
    unusedByKind.push(unusedOf(tincan));
  }
  if (titles.length) summary.title = titles.join(' + ');

  const unused = [...unusedByKind[0]!].filter((f) => unusedByKind.every((set) => set.has(f))).sort();
  if (kinds.includes('scorm')) {
    // SCORM's own wording ("no resource of the manifest lists this file") for the files no kind uses.
    diagnostics.push(...scormUnlisted.filter((d) => unused.includes(d.file.slice(prefix.length))));
  } else {
    const launchers = [kinds.includes('cmi5') && 'AU', kinds.includes('tincan') && 'launch page'].filter(Boolean).join(' or ');
    for (const file of unused.slice(0, UNUSED_SHOWN)) {
      diagnostics.push(diagnose('package/unused-file', { file: `${prefix}${file}` }, `no ${launchers} uses this file: nothing an LMS launches links to it or names it, directly or through its pages, styles and scripts`));
    }
    if (unused.length > UNUSED_SHOWN) {
      const rest = unused.slice(UNUSED_SHOWN);
      const manifest = `${prefix}${MANIFEST_OF[kinds[0]!]}`;
      diagnostics.push(diagnose('package/unused-file', { file: manifest }, `${rest.length} more files are used by no launch: ${rest.slice(0, 5).map(printable).join(', ')}${rest.length > 5 ? ', …' : ''}`));
    }
  }
  return { diagnostics, summary };
}

function withReadProblems(contents: PackageContents, label: string, folder: boolean): PackageVerification {
  const read = contents.problems.map((p) => diagnose(`package/${p.kind}`, { file: label }, p.message, { severity: p.severity }));
  const unreadable = contents.problems.some((p) => p.kind === 'not-a-zip' || (p.kind === 'zip-bomb' && contents.files.size === 0));
  if (unreadable) return { diagnostics: read, summary: { kinds: [], recognized: [], scos: 0, aus: 0, blocks: 0, activities: 0, files: 0 } };
  const skipped = new Set(contents.problems.flatMap((p) => p.skipped ?? []));
  const inspected = inspectPackageFiles(contents.files, label, { folder, skipped });
  return { diagnostics: [...read, ...inspected.diagnostics], summary: inspected.summary };
}

/** Reads a zip safely (nothing is written to disk) and verifies it, whatever kind of package it is. */
export async function inspectPackageZip(zip: Uint8Array | string, label: string): Promise<PackageVerification> {
  return withReadProblems(await readZip(zip), label, false);
}

/** What `hocso build` calls for every zip it writes (SCORM, cmi5, xapi). */
export async function verifyPackageZip(zip: Uint8Array, label: string): Promise<Diagnostic[]> {
  return (await inspectPackageZip(zip, label)).diagnostics;
}

/** True for the file names that stand for their folder on the command line (a manifest of any kind). */
export function isManifestName(file: string): boolean {
  return PACKAGE_KINDS.some((k) => MANIFEST_OF[k] === path.basename(file));
}

/** Reads (safely) and checks any supported package: SCORM (imsmanifest.xml), cmi5 (cmi5.xml), Tin Can (tincan.xml). A zip, a folder, or a manifest path (its folder). */
export async function inspectPackage(target: string, cwd: string): Promise<PackageVerification> {
  const full = path.resolve(cwd, target);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    throw new UsageError(`no such file or folder: ${target}`);
  }
  if (stat.isFile() && isManifestName(full)) return inspectPackage(path.dirname(full), cwd);
  const label = displayPath(full, cwd);
  if (stat.isDirectory()) return withReadProblems(readFolder(full), label, true);
  if (!stat.isFile()) throw new UsageError(`${target} is neither a zip file nor a folder`);
  return inspectPackageZip(full, label);
}
