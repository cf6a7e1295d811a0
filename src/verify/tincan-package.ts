import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose, type RuleId } from '../diagnostics/rules.js';
import { parseXml } from '../xml/xsd.js';
import { checkLanguageTags, checkLaunchUrl, iriProblem, isAbsoluteIri, type ManifestLabel, type XapiFacts } from './cmi5-package.js';
import { nearMatcher } from './package-paths.js';
import { childrenNamed, toTree, xmlText, type XNode } from './xml-tree.js';

// Tin Can (xAPI) packages: tincan.xml as Rustici's launch document describes it. No XSD is checked: the schema it
// names (http://projecttincan.com/tincan.xsd) ships in no registry package, so the structure is checked here: the
// root and its namespace, activities with unique absolute IRIs, names, and launch files that exist.

export const TINCAN_MANIFEST = 'tincan.xml';
export const TINCAN_NAMESPACE = 'http://projecttincan.com/tincan.xsd';

export interface TincanFacts extends XapiFacts {
  activities: number;
}

/** Checks tincan.xml (present in `files`) of a package; labels name the manifest in diagnostics. */
export function checkTincan(files: ReadonlyMap<string, Uint8Array>, labels: ManifestLabel, skipped: ReadonlySet<string> = new Set()): TincanFacts {
  const bytes = files.get(TINCAN_MANIFEST)!;
  const facts: TincanFacts = { diagnostics: [], launches: [], recognized: false, launchesComplete: false, activities: 0 };
  const parsed = parseXml(bytes, TINCAN_MANIFEST);
  if (!parsed.doc) {
    facts.diagnostics = parsed.problems.map((p) => diagnose('package/manifest-syntax', { file: labels.manifest, line: p.line, column: p.column }, p.message));
    return facts;
  }
  let root: XNode;
  try {
    root = toTree(parsed.doc, xmlText(bytes));
  } finally {
    parsed.doc.dispose();
  }
  const diagnostics: Diagnostic[] = facts.diagnostics;
  const report = (rule: RuleId, line: number, message: string, severity?: 'warning'): void => {
    diagnostics.push(diagnose(rule, { file: labels.manifest, line, column: 1 }, message, { severity }));
  };

  if (root.name !== 'tincan') {
    report('package/tincan-structure', root.line, `the root element is <${root.name}>, not <tincan xmlns="${TINCAN_NAMESPACE}">`);
    return facts;
  }
  facts.recognized = true;
  if (root.ns !== TINCAN_NAMESPACE) {
    report('package/tincan-structure', root.line, `<tincan> is ${root.ns ? `in the namespace "${root.ns}"` : 'in no namespace'}; LMSs look for xmlns="${TINCAN_NAMESPACE}"`);
  }
  // Go on in the namespace the file uses, so one mistake there does not hide the others.
  const ns = root.ns;
  const groups = childrenNamed(root, ns, 'activities');
  if (groups.length === 0) {
    report('package/tincan-structure', root.line, '<tincan> has no <activities>: it declares nothing to launch or report on');
    return facts;
  }
  const activities = groups.flatMap((g) => childrenNamed(g, ns, 'activity'));
  facts.activities = activities.length;
  if (activities.length === 0) {
    report('package/tincan-structure', groups[0]!.line, '<activities> holds no <activity>');
    return facts;
  }

  const ids = new Map<string, XNode>();
  const near = nearMatcher(files.keys());
  let launchable = 0;
  let launchProblem = false;
  for (const activity of activities) {
    const raw = activity.attrs.get('id');
    const id = raw?.trim();
    const shown = `<activity${raw !== undefined ? ` id="${raw}"` : ''}>`;
    if (id === undefined || id === '') report('package/tincan-structure', activity.line, `${shown} has no id: every activity is named by an absolute IRI`);
    else if (!isAbsoluteIri(id)) report('package/not-an-iri', activity.line, `${shown}: the id ${iriProblem(id)}`);
    else {
      const first = ids.get(id);
      if (first) report('package/duplicate-iri', activity.line, `activity id "${id}" is already the id of the <activity> at line ${first.line}`);
      else ids.set(id, activity);
    }
    const type = activity.attrs.get('type');
    if (type !== undefined && !isAbsoluteIri(type.trim())) report('package/not-an-iri', activity.line, `${shown}: type "${type}" ${iriProblem(type.trim())}`);

    const names = childrenNamed(activity, ns, 'name');
    if (names.length === 0) report('package/tincan-structure', activity.line, `${shown} has no <name>: LMSs and LRS reports show it`);
    else if (names.every((n) => n.text === '')) report('package/tincan-structure', names[0]!.line, `${shown}: its <name> is empty`, 'warning');

    const launches = childrenNamed(activity, ns, 'launch');
    if (launches.length) launchable++;
    for (const element of [...launches, ...childrenNamed(activity, ns, 'resource')]) {
      if (element.text === '') { report('package/tincan-launch', element.line, `${shown}: <${element.name}> is empty`); launchProblem = true; continue; }
      const checked = checkLaunchUrl(element.text, files, skipped, near);
      if (checked.kind === 'found') facts.launches.push(checked.path);
      else if (checked.kind === 'problem') { report('package/tincan-launch', element.line, `${shown}: <${element.name}> ${checked.message}`); launchProblem = true; }
    }
  }
  facts.launchesComplete = !launchProblem && launchable > 0;
  if (launchable === 0) report('package/tincan-structure', groups[0]!.line, 'no <activity> has a <launch>: an LMS has nothing to open');
  checkLanguageTags(root, (rule, line, message) => report(rule, line, message), true);
  return facts;
}
