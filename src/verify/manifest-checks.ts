import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean, nearest } from '../diagnostics/did-you-mean.js';
import { diagnose, type RuleId } from '../diagnostics/rules.js';
import { parseXml } from '../xml/xsd.js';
import { nearMatcher, resolveHref } from './package-paths.js';
import { printable } from './zip-reader.js';
import { walk, XML_NAMESPACE, type XNode } from './xml-tree.js';

// The checks the XSDs cannot make: identifiers unique across the manifest, references that resolve, and files
// that exist (and are listed). Works on the plain tree of any SCORM 1.2 or 2004 manifest.

export const IMSSS = 'http://www.imsglobal.org/xsd/imsss';

/** What differs between SCORM versions for these checks. */
export interface ManifestDialect {
  /** Namespace of <manifest>, <item>, <resource>… */
  cp: string;
  adlcp: string;
  /** `scormtype` in 1.2, `scormType` in 2004. */
  scormTypeAttribute: string;
}

export interface ManifestFacts {
  diagnostics: Diagnostic[];
  scos: number;
}

/** Where diagnostics go: the manifest's label, and the label of any other file of the package. */
export interface PackageLabels {
  manifest: string;
  entry: (path: string) => string;
}

const ID_ELEMENTS = new Set(['manifest', 'organization', 'item', 'resource']);
/** Schema files a package may carry for the LMS's (or a tool's) validator: never listed, never a problem. */
const SCHEMA_FILE = /^(?:(?:common|extend|unique|vocab)\/[^/]+|[^/]+)\.(?:xsd|dtd)$/i;
/** Beyond this, unlisted files are summed up in one warning instead of one each. */
const UNLISTED_SHOWN = 20;

/** An href as written, and the package path it resolves to when that differs (xml:base, %20, ?query). */
const shownPath = (href: string, resolved: string): string => (href === resolved ? printable(href) : `${printable(href)} → ${printable(resolved)}`);

const describe = (node: XNode): string => `<${node.name}${node.attrs.has('identifier') ? ` identifier="${node.attrs.get('identifier')}"` : ''}>`;

export function checkManifest(root: XNode, dialect: ManifestDialect, files: ReadonlyMap<string, Uint8Array>, labels: PackageLabels, skipped: ReadonlySet<string> = new Set()): ManifestFacts {
  const diagnostics: Diagnostic[] = [];
  const report = (rule: RuleId, line: number, message: string, file = labels.manifest): void => { diagnostics.push(diagnose(rule, { file, line, column: 1 }, message)); };
  const elements = [...walk(root)];
  const isCp = (node: XNode, name: string): boolean => node.ns === dialect.cp && node.name === name;

  // Identifiers: one namespace for organizations, items, resources, (sub-)manifests and sequencing sets.
  const byId = new Map<string, XNode>();
  for (const { node } of elements) {
    const id = node.ns === dialect.cp && ID_ELEMENTS.has(node.name) ? node.attrs.get('identifier') : node.ns === IMSSS && node.name === 'sequencing' ? node.attrs.get('ID') : undefined;
    if (id === undefined) continue;
    const first = byId.get(id.trim());
    if (first) report('package/duplicate-identifier', node.line, `identifier "${id}" of <${node.name}> is already used by <${first.name}> at line ${first.line}`);
    else byId.set(id.trim(), node);
  }

  // References.
  const resourceIds = (): string[] => [...byId].filter(([, node]) => isCp(node, 'resource')).map(([id]) => id);
  const launched = new Map<string, XNode>();
  for (const { node } of elements) {
    const ref = node.attrs.get('identifierref')?.trim();
    if (ref !== undefined && (isCp(node, 'item') || isCp(node, 'dependency'))) {
      const target = byId.get(ref);
      if (!target) report('package/dangling-identifierref', node.line, `${describe(node)}: identifierref "${ref}" names no resource of the manifest${didYouMean(nearest(ref, resourceIds()))}`);
      else if (!isCp(target, 'resource') && !(isCp(target, 'manifest') && isCp(node, 'item'))) report('package/dangling-identifierref', node.line, `${describe(node)}: identifierref "${ref}" names ${describe(target)} (line ${target.line}), not a <resource>`);
      else if (isCp(node, 'item') && isCp(target, 'resource') && !launched.has(ref)) launched.set(ref, node);
    }
    const sequencingRef = node.ns === IMSSS && node.name === 'sequencing' ? node.attrs.get('IDRef')?.trim() : undefined;
    if (sequencingRef !== undefined) {
      const target = byId.get(sequencingRef);
      if (!target || target.ns !== IMSSS) report('package/dangling-identifierref', node.line, `<imsss:sequencing IDRef="${sequencingRef}"> names no sequencing of <imsss:sequencingCollection>`);
    }
  }
  for (const { node } of elements.filter((e) => isCp(e.node, 'organizations'))) {
    const chosen = node.attrs.get('default')?.trim();
    if (chosen === undefined) continue;
    const target = byId.get(chosen);
    if (!target || !isCp(target, 'organization')) report('package/default-organization', node.line, `<organizations default="${chosen}"> names no <organization>${target ? ` (it is ${describe(target)})` : ''}`);
  }

  // Files: every href resolves inside the package and exists; launch files too.
  const listed = new Set<string>();
  const metadataFiles = new Set<string>();
  const near = nearMatcher(files.keys());
  const missing = (path: string): string => {
    const match = near(path);
    return match ? ` (the package has ${printable(match)}: names are case-sensitive on an LMS)` : '';
  };
  const basesOf = (chain: readonly XNode[]): string[] => chain.flatMap((n) => n.attrs.get(`{${XML_NAMESPACE}}base`) ?? []);
  const checkHref = (node: XNode, chain: readonly XNode[], href: string, what: string, rule: RuleId): void => {
    const resolved = resolveHref(basesOf(chain), href);
    if (resolved.kind === 'external') return;
    if (resolved.kind === 'outside') { report('package/href-outside', node.line, `${what} "${href}" ${resolved.reason}`); return; }
    listed.add(resolved.path);
    if (!files.has(resolved.path) && !skipped.has(resolved.path)) report(rule, node.line, `${what} ${shownPath(href, resolved.path)} is not in the package${missing(resolved.path)}`);
  };
  let scos = 0;
  for (const { node, ancestors } of elements) {
    if (isCp(node, 'resource')) {
      const chain = [...ancestors, node];
      const id = node.attrs.get('identifier')?.trim() ?? '';
      const isSco = node.attrs.get(`{${dialect.adlcp}}${dialect.scormTypeAttribute}`)?.trim().toLowerCase() === 'sco';
      if (isSco) scos++;
      const launcher = launched.get(id);
      const role = isSco ? 'SCO' : launcher ? `resource launched by ${describe(launcher)}` : 'resource';
      const href = node.attrs.get('href');
      if (href === undefined || href.trim() === '') {
        if (isSco || launcher) report('package/launch-missing', node.line, `${describe(node)} is a ${role} but has no href to launch`);
      } else checkHref(node, chain, href, `${role} ${describe(node)}: href`, isSco || launcher ? 'package/launch-missing' : 'package/missing-file');
      for (const file of node.children.filter((c) => isCp(c, 'file'))) {
        const fileHref = file.attrs.get('href');
        if (fileHref !== undefined) checkHref(file, [...chain, file], fileHref, `<file> of ${describe(node)}: href`, 'package/missing-file');
      }
    } else if (node.ns === dialect.adlcp && node.name === 'location') {
      const inside = [resolveHref(basesOf(ancestors), node.text), resolveHref([], node.text)];
      const found = inside.find((r) => r.kind === 'inside' && files.has(r.path));
      const first = inside[0]!;
      if (found?.kind === 'inside') { listed.add(found.path); metadataFiles.add(found.path); }
      else if (first.kind === 'outside') report('package/href-outside', node.line, `<adlcp:location> "${node.text}" ${first.reason}`);
      else if (first.kind === 'inside' && !skipped.has(first.path)) report('package/metadata-missing', node.line, `metadata file ${shownPath(node.text, first.path)} is not in the package${missing(first.path)}`);
    }
  }

  for (const path of [...metadataFiles].sort()) {
    const parsed = parseXml(files.get(path)!, path);
    if (parsed.doc) parsed.doc.dispose();
    else for (const problem of parsed.problems) diagnostics.push(diagnose('package/metadata-syntax', { file: labels.entry(path), line: problem.line, column: problem.column }, problem.message));
  }

  const unlisted = [...files.keys()].filter((f) => f !== 'imsmanifest.xml' && !listed.has(f) && !SCHEMA_FILE.test(f)).sort();
  for (const path of unlisted.slice(0, UNLISTED_SHOWN)) report('package/unlisted-file', 1, 'no resource of the manifest lists this file', labels.entry(path));
  if (unlisted.length > UNLISTED_SHOWN) {
    const rest = unlisted.slice(UNLISTED_SHOWN);
    report('package/unlisted-file', 1, `${rest.length} more files are not listed by any resource: ${rest.slice(0, 5).map(printable).join(', ')}${rest.length > 5 ? ', …' : ''}`);
  }
  return { diagnostics, scos };
}
