import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean, nearest } from '../diagnostics/did-you-mean.js';
import { diagnose, type RuleId } from '../diagnostics/rules.js';
import { isValidLanguageTag } from '../i18n/language-tag.js';
import { CMI5_NAMESPACE, parseXml, problemElement, startTagLines, validateDocument } from '../xml/xsd.js';
import { nearMatcher, resolveHref } from './package-paths.js';
import { printable } from './zip-reader.js';
import { childrenNamed, toTree, walk, XML_NAMESPACE, xmlText, type XNode } from './xml-tree.js';

// cmi5 packages (cmi5.xml, the course structure of the cmi5 spec): well-formed, valid against the official
// CourseStructure.xsd, then what the XSD cannot say: ids that are unique absolute IRIs, AU urls that exist in the
// package, objective references that resolve, friendlier messages for masteryScore, moveOn, launchMethod and lang.
// The few helpers Tin Can packages need too (IRIs, language tags, launch URLs) are exported from here.

export const CMI5_MANIFEST = 'cmi5.xml';

/** Where diagnostics go: the manifest's label (`PKG.zip!/cmi5.xml`). */
export interface ManifestLabel {
  manifest: string;
}

/** What a cmi5 or Tin Can check found: problems, and the package files an LMS launches (for the unused-file check). */
export interface XapiFacts {
  diagnostics: Diagnostic[];
  /** Package paths of the relative launch URLs that exist: where the search for used files starts. */
  launches: string[];
  /** False when the manifest could not be read as this kind at all (the summary then names no kind). */
  recognized: boolean;
  /**
   * True when the manifest was checked to its end and every relative launch URL names a file of the package; otherwise
   * what the launches use is unknown, and no file is called unused.
   */
  launchesComplete: boolean;
}

export interface Cmi5Facts extends XapiFacts {
  aus: number;
  blocks: number;
}

/** An absolute IRI (RFC 3987): a scheme, a colon, then no spaces or characters IRIs exclude. */
export function isAbsoluteIri(value: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f-\u009f]+$/u.test(value);
}

/** Why a value is not an absolute IRI, for messages. */
export function iriProblem(value: string): string {
  if (value === '') return 'is empty';
  if (/\s/.test(value)) return 'contains spaces (write them as %20)';
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value)) return 'has no scheme (such as https:), so it is not an absolute IRI';
  return 'contains characters IRIs exclude (<>"{}|\\^` or control characters)';
}

/** Reports every `lang` and `xml:lang` attribute that is not a well-formed BCP 47 tag; `allowEmpty` for Tin Can's "unknown". */
export function checkLanguageTags(root: XNode, report: (rule: RuleId, line: number, message: string, attribute?: string) => void, allowEmpty: boolean): void {
  for (const { node } of walk(root)) {
    for (const [key, shown] of [['lang', 'lang'], [`{${XML_NAMESPACE}}lang`, 'xml:lang']] as const) {
      const tag = node.attrs.get(key);
      if (tag === undefined || (allowEmpty && tag.trim() === '')) continue;
      if (tag.trim() === '') report('package/language-tag', node.line, `<${node.name} ${shown}="${tag}">: the language tag is empty`, 'lang');
      else if (!isValidLanguageTag(tag.trim())) report('package/language-tag', node.line, `<${node.name} ${shown}="${tag}">: "${tag}" is not a well-formed BCP 47 language tag${tag.includes('_') ? ` (BCP 47 uses hyphens: ${tag.trim().replace(/_/g, '-')})` : ''}`, 'lang');
    }
  }
}

export type LaunchUrl =
  | { kind: 'external' }
  | { kind: 'found'; path: string }
  | { kind: 'problem'; message: string };

/** A launch URL (AU url, Tin Can launch) checked against the package: absolute http(s) is left alone, a relative one must exist. */
export function checkLaunchUrl(raw: string, files: ReadonlyMap<string, Uint8Array>, skipped: ReadonlySet<string>, near: (wanted: string) => string | undefined): LaunchUrl {
  const url = raw.trim();
  const resolved = resolveHref([], url);
  if (resolved.kind === 'external') return { kind: 'external' };
  if (resolved.kind === 'outside') return { kind: 'problem', message: `"${url}" ${resolved.reason}` };
  const path = resolved.path;
  const shown = url === path ? printable(url) : `${printable(url)} → ${printable(path)}`;
  if (path.endsWith('/')) {
    const index = `${path}index.html`;
    if (files.has(index)) return { kind: 'found', path: index };
    return { kind: 'problem', message: `${shown} names a folder, not a file` };
  }
  // A file the reader left out (unsafe, unreadable) was reported already: not missing as well.
  if (files.has(path) || skipped.has(path)) return { kind: 'found', path };
  const match = near(path);
  return { kind: 'problem', message: `${shown} is not in the package${match ? ` (the package has ${printable(match)}: names are case-sensitive on an LMS)` : ''}` };
}

/** The query parameters the LMS adds to every AU url (cmi5 8.1): an AU url may not carry them itself. */
const LAUNCH_PARAMETERS = new Set(['endpoint', 'fetch', 'actor', 'registration', 'activityId']);
const MOVE_ON = ['NotApplicable', 'Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed'];
const LAUNCH_METHODS = ['AnyWindow', 'OwnWindow'];
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** Namespaces of cmi5 drafts before 1.0: recognized, to say what to change. */
const DRAFT_NAMESPACES = new Set(['http://www.adlnet.gov/cmi5/CourseStructure.xsd', 'https://w3id.org/xapi/profiles/cmi5/CourseStructure.xsd']);

function queryParameters(url: string): string[] {
  const query = /\?([^#]*)/.exec(url)?.[1] ?? '';
  return query.split('&').filter(Boolean).map((pair) => {
    const name = pair.split('=')[0]!;
    try { return decodeURIComponent(name.replace(/\+/g, ' ')); } catch { return name; }
  });
}

/** Friendly diagnostics stand for the schema messages about the same attribute at the same line. */
function attributeOf(message: string): string | undefined {
  return /attribute '(?:[^':]*:)?([^':]+)'/.exec(message)?.[1];
}

/** Checks cmi5.xml (present in `files`) of a package; labels name the manifest in diagnostics. */
export function checkCmi5(files: ReadonlyMap<string, Uint8Array>, labels: ManifestLabel, skipped: ReadonlySet<string> = new Set()): Cmi5Facts {
  const bytes = files.get(CMI5_MANIFEST)!;
  const facts: Cmi5Facts = { diagnostics: [], launches: [], recognized: false, launchesComplete: false, aus: 0, blocks: 0 };
  const parsed = parseXml(bytes, CMI5_MANIFEST);
  if (!parsed.doc) {
    facts.diagnostics = parsed.problems.map((p) => diagnose('package/manifest-syntax', { file: labels.manifest, line: p.line, column: p.column }, p.message));
    return facts;
  }
  const doc = parsed.doc;
  try {
    const source = xmlText(bytes);
    const startLine = startTagLines(source);
    const root = toTree(doc, source);
    const checks: Diagnostic[] = [];
    /** line → attributes a friendly diagnostic already covers. */
    const covered = new Map<number, Set<string>>();
    const report = (rule: RuleId, line: number, message: string, attribute?: string): void => {
      checks.push(diagnose(rule, { file: labels.manifest, line, column: 1 }, message));
      if (attribute) covered.set(line, (covered.get(line) ?? new Set()).add(attribute));
    };

    if (root.name !== 'courseStructure' || root.ns !== CMI5_NAMESPACE) {
      const found = `<${root.name}>${root.ns ? ` in the namespace "${root.ns}"` : ' without a namespace'}`;
      const why = root.name === 'courseStructure' && DRAFT_NAMESPACES.has(root.ns) ? ' (the namespace of a cmi5 draft)' : '';
      report('package/cmi5-schema', root.line, `the root element is ${found}${why}; a cmi5 course structure is <courseStructure xmlns="${CMI5_NAMESPACE}">`);
      facts.diagnostics = checks;
      return facts;
    }
    facts.recognized = true;
    const ns = CMI5_NAMESPACE;
    const is = (node: XNode, name: string): boolean => node.ns === ns && node.name === name;
    const elements = [...walk(root)];

    // Ids: one space of absolute IRIs for the course, blocks, AUs and objectives.
    const ids = new Map<string, XNode>();
    const courseObjectives: string[] = [];
    for (const { node, ancestors } of elements) {
      const parent = ancestors[ancestors.length - 1];
      const isCourse = is(node, 'course') && parent === root;
      const isObjective = is(node, 'objective') && parent !== undefined && is(parent, 'objectives') && ancestors[ancestors.length - 2] === root;
      if (!(isCourse || isObjective || is(node, 'block') || is(node, 'au'))) continue;
      if (is(node, 'au')) facts.aus++;
      if (is(node, 'block')) facts.blocks++;
      const raw = node.attrs.get('id');
      if (raw === undefined) continue; // required by the XSD, which says so
      const id = raw.trim();
      if (isObjective) courseObjectives.push(id);
      if (!isAbsoluteIri(id)) { report('package/not-an-iri', node.line, `<${node.name} id="${raw}">: the id ${iriProblem(id)}`, 'id'); continue; }
      const first = ids.get(id);
      if (first) report('package/duplicate-iri', node.line, `<${node.name}> id "${id}" is already the id of <${first.name}> at line ${first.line}`);
      else ids.set(id, node);
    }

    const near = nearMatcher(files.keys());
    let launchProblem = false;
    for (const { node, ancestors } of elements) {
      if (is(node, 'au')) {
        const au = `<au id="${node.attrs.get('id') ?? ''}">`;
        const moveOn = node.attrs.get('moveOn');
        if (moveOn !== undefined && !MOVE_ON.includes(moveOn.trim())) {
          report('package/cmi5-move-on', node.line, `${au}: moveOn "${moveOn}" is not a cmi5 value${didYouMean(nearest(moveOn.trim(), MOVE_ON, 1))}`, 'moveOn');
        }
        const method = node.attrs.get('launchMethod');
        if (method !== undefined && !LAUNCH_METHODS.includes(method.trim())) {
          report('package/cmi5-launch-method', node.line, `${au}: launchMethod "${method}" is neither AnyWindow nor OwnWindow${didYouMean(nearest(method.trim(), LAUNCH_METHODS, 1))}`, 'launchMethod');
        }
        const mastery = node.attrs.get('masteryScore');
        if (mastery !== undefined) {
          const value = mastery.trim();
          if (!DECIMAL.test(value)) report('package/cmi5-mastery-score', node.line, `${au}: masteryScore "${mastery}" is not a decimal number from 0 to 1`, 'masteryScore');
          else if (Number(value) < 0 || Number(value) > 1) {
            const percent = Number(value) >= 2 && Number(value) <= 100 ? ` (for ${value}% write ${Number(value) / 100})` : '';
            report('package/cmi5-mastery-score', node.line, `${au}: masteryScore ${value} is outside 0..1${percent}`, 'masteryScore');
          }
        }
        const type = node.attrs.get('activityType');
        if (type !== undefined && !isAbsoluteIri(type.trim())) report('package/not-an-iri', node.line, `${au}: activityType "${type}" ${iriProblem(type.trim())}`, 'activityType');
        const url = childrenNamed(node, ns, 'url')[0];
        const href = url?.text.trim();
        if (url && href) {
          const reserved = queryParameters(href).filter((p) => LAUNCH_PARAMETERS.has(p));
          if (reserved.length) report('package/cmi5-au-url', url.line, `${au}: the url carries ${reserved.map((p) => `"${p}"`).join(', ')}, which the LMS adds to every launch itself`);
          const checked = checkLaunchUrl(href, files, skipped, near);
          if (checked.kind === 'found') facts.launches.push(checked.path);
          else if (checked.kind === 'problem') { report('package/cmi5-au-url', url.line, `${au}: url ${checked.message}`); launchProblem = true; }
        }
      } else if (is(node, 'objective') && ancestors.length >= 2 && is(ancestors[ancestors.length - 1]!, 'objectives') && ['au', 'block'].some((name) => is(ancestors[ancestors.length - 2]!, name))) {
        // An AU's or block's reference to a course objective.
        const owner = ancestors[ancestors.length - 2]!;
        const where = `<${owner.name} id="${owner.attrs.get('id') ?? ''}">`;
        const idref = node.attrs.get('idref')?.trim();
        if (idref === undefined || idref === '') report('package/cmi5-objective', node.line, `${where}: <objective> has no idref naming one of the course's objectives`, 'idref');
        else if (!courseObjectives.includes(idref)) {
          const known = courseObjectives.length ? didYouMean(nearest(idref, courseObjectives, 1)) : ' (the course declares no <objectives>)';
          report('package/cmi5-objective', node.line, `${where}: objective idref "${idref}" is not an objective of the course${known}`, 'idref');
        }
      }
    }
    facts.launchesComplete = !launchProblem;
    checkLanguageTags(root, report, false);

    const schema = validateDocument(doc, 'cmi5')
      .map((p) => ({ ...p, line: startLine(p.line, problemElement(p.message)) }))
      .filter((p) => { const attribute = attributeOf(p.message); return !(attribute && covered.get(p.line)?.has(attribute)); })
      .map((p) => diagnose('package/cmi5-schema', { file: labels.manifest, line: p.line, column: p.column }, p.message));
    facts.diagnostics = [...schema, ...checks];
    return facts;
  } finally {
    doc.dispose();
  }
}
