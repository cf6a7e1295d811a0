import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose } from '../diagnostics/rules.js';
import { parseXml, problemElement, startTagLines, validateDocument, type XmlProblem, type XsdSet } from '../xml/xsd.js';
import { checkManifest, type ManifestDialect, type PackageLabels } from './manifest-checks.js';
import { printable } from './zip-reader.js';
import { childrenNamed, removeElementsIn, toTree, xmlText, type XNode } from './xml-tree.js';

// `hocso verify`: any SCORM 1.2 or 2004 package, ours or another tool's, zipped or extracted.

export interface ScormSummary {
  /** "SCORM 1.2", "SCORM 2004 4th Edition"…, when the manifest says. */
  version?: string;
  scos: number;
  files: number;
}

export interface ScormVerification {
  diagnostics: Diagnostic[];
  summary: ScormSummary;
}

const MANIFEST = 'imsmanifest.xml';

interface Flavor extends ManifestDialect {
  set: XsdSet;
  title: string;
}

const SCORM12 = { cp: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2', adlcp: 'http://www.adlnet.org/xsd/adlcp_rootv1p2', scormTypeAttribute: 'scormtype' };
const SCORM2004 = { cp: 'http://www.imsglobal.org/xsd/imscp_v1p1', adlcp: 'http://www.adlnet.org/xsd/adlcp_v1p3', scormTypeAttribute: 'scormType' };

/** Inline metadata the vendored schemas cannot check: libxml2 cannot compile IMS MD 1.2.1, and no LOM schema is vendored. */
const METADATA_NAMESPACES = new Set(['http://www.imsglobal.org/xsd/imsmd_rootv1p2p1', 'http://www.imsglobal.org/xsd/imsmd_v1p2', 'http://ltsc.ieee.org/xsd/LOM']);
/** Sets whose wildcards are `strict`, so inline metadata without a schema would fail; 4th Edition's are `lax`. */
const STRICT_WILDCARDS = new Set<XsdSet>(['scorm12', 'scorm2004-3ed']);

/** SCORM version from the root namespace and <schemaversion>; a problem when the manifest is no SCORM manifest. */
function detectFlavor(root: XNode): { flavor?: Flavor; problem?: { message: string; severity?: 'warning' } } {
  if (root.name !== 'manifest') return { problem: { message: `the root element is <${root.name}>, not <manifest>` } };
  const cp = root.ns;
  const schemaVersion = childrenNamed(root, cp, 'metadata').flatMap((m) => childrenNamed(m, cp, 'schemaversion'))[0]?.text;
  if (cp === SCORM12.cp) return { flavor: { ...SCORM12, set: 'scorm12', title: 'SCORM 1.2' } };
  if (cp !== SCORM2004.cp) return { problem: { message: `<manifest> is in the namespace "${cp}", which is neither SCORM 1.2's nor SCORM 2004's IMS CP namespace` } };
  if (schemaVersion === '2004 4th Edition') return { flavor: { ...SCORM2004, set: 'scorm2004-4ed', title: 'SCORM 2004 4th Edition' } };
  if (schemaVersion === '2004 3rd Edition' || schemaVersion === 'CAM 1.3') return { flavor: { ...SCORM2004, set: 'scorm2004-3ed', title: `SCORM 2004 ${schemaVersion === 'CAM 1.3' ? '(CAM 1.3)' : '3rd Edition'}` } };
  return {
    flavor: { ...SCORM2004, set: 'scorm2004-4ed', title: 'SCORM 2004' },
    problem: { severity: 'warning', message: `${schemaVersion === undefined ? 'no <schemaversion> in the manifest <metadata>' : `unknown <schemaversion> "${schemaVersion}"`}; checked as SCORM 2004 4th Edition` },
  };
}

/** Where the manifest is when it is not at the root (a zipped folder, or a wrongly cased name). */
function misplacedManifest(files: ReadonlyMap<string, Uint8Array>): string {
  const found = [...files.keys()].filter((f) => path.posix.basename(f).toLowerCase() === MANIFEST).sort((a, b) => a.split('/').length - b.split('/').length);
  const first = found[0];
  if (first === undefined) return `no ${MANIFEST} in the package: this is not a SCORM package`;
  if (!first.includes('/')) return `the manifest is named ${printable(first)}; LMSs look for exactly ${MANIFEST}`;
  return `${MANIFEST} is not at the root of the package but in ${printable(path.posix.dirname(first) + '/')}: zip the contents of that folder instead`;
}

const NOT_AN_ID = /attribute '[\w:]+': '[^']*' is not a valid value of the atomic type 'xs:ID'\.$/;

/**
 * XSD problems as diagnostics. A duplicate identifier is also an invalid xs:ID for libxml2: the clearer
 * package/duplicate-identifier at that line stands for both; other xs:ID errors get the rule spelled out.
 */
function schemaDiagnostics(problems: readonly XmlProblem[], checks: readonly Diagnostic[], file: string): Diagnostic[] {
  const duplicateLines = new Set(checks.filter((d) => d.ruleId === 'package/duplicate-identifier').map((d) => d.line));
  return problems
    .filter((p) => !(NOT_AN_ID.test(p.message) && duplicateLines.has(p.line)))
    .map((p) => diagnose('package/schema', { file, line: p.line, column: p.column }, NOT_AN_ID.test(p.message) ? `${p.message} An identifier starts with a letter or _ and holds no spaces or colons.` : p.message));
}

export interface InspectOptions {
  /** Label files as label/path (a folder) instead of label!/path (a zip). */
  folder?: boolean;
  /** Paths the reader left out (already reported): not called missing again. */
  skipped?: ReadonlySet<string>;
}

/** Verifies a package already in memory. */
export function inspectScormFiles(files: ReadonlyMap<string, Uint8Array>, label: string, options: InspectOptions = {}): ScormVerification {
  const separator = options.folder ? '/' : '!/';
  const labels: PackageLabels = { manifest: `${label}${separator}${MANIFEST}`, entry: (p) => `${label}${separator}${p}` };
  const summary: ScormSummary = { scos: 0, files: files.size };
  const manifest = files.get(MANIFEST);
  if (!manifest && options.skipped?.has(MANIFEST)) return { diagnostics: [], summary };
  if (!manifest) return { diagnostics: [diagnose('package/manifest-missing', { file: label }, misplacedManifest(files))], summary };

  const parsed = parseXml(manifest, MANIFEST);
  if (!parsed.doc) return { diagnostics: parsed.problems.map((p) => diagnose('package/manifest-syntax', { file: labels.manifest, line: p.line, column: p.column }, p.message)), summary };
  const doc = parsed.doc;
  try {
    const diagnostics: Diagnostic[] = [];
    const source = xmlText(manifest);
    const startLine = startTagLines(source);
    const root = toTree(doc, source);
    const { flavor, problem } = detectFlavor(root);
    if (problem) diagnostics.push(diagnose('package/unknown-version', { file: labels.manifest, line: root.line }, problem.message, { severity: problem.severity }));
    if (!flavor) return { diagnostics, summary };
    summary.version = flavor.title;

    if (STRICT_WILDCARDS.has(flavor.set)) {
      const lines = removeElementsIn(doc, METADATA_NAMESPACES).map((e) => startLine(e.line, e.name));
      if (lines.length) {
        diagnostics.push(diagnose('package/metadata-not-checked', { file: labels.manifest, line: lines[0] }, `inline metadata (${lines.length} element${lines.length === 1 ? '' : 's'}, lines ${lines.join(', ')}) was not checked against a schema: libxml2 cannot compile the IMS metadata schema${flavor.set === 'scorm12' ? ' SCORM 1.2 uses' : ''}, and the ${flavor.title} package schema demands one`));
      }
    }
    const facts = checkManifest(root, flavor, files, labels, options.skipped);
    summary.scos = facts.scos;
    const schemaProblems = validateDocument(doc, flavor.set).map((p) => ({ ...p, line: startLine(p.line, problemElement(p.message)) }));
    diagnostics.push(...schemaDiagnostics(schemaProblems, facts.diagnostics, labels.manifest), ...facts.diagnostics);
    return { diagnostics, summary };
  } finally {
    doc.dispose();
  }
}

