import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hocso, tempDir, treeHashes, type RunResult } from '../helpers/project.js';
import {
  declareSize, lineOf, renameEntry, scorm12ExternalMetadata, scorm12InlineLom, scorm2004FourthEdition, scorm2004ThirdEdition,
  setFlag, writeFiles, zipBytes, type PackageFiles,
} from '../helpers/scorm-fixtures.js';

interface Reported {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
  hint: string;
}

/** Writes the zip into its own temp folder and runs verify there, as a user would: JSON, and pretty unless told not to. */
async function verifyZip(files: PackageFiles | Buffer, options: { pretty?: boolean } = {}): Promise<{ result: RunResult; json: { errors: number; warnings: number; diagnostics: Reported[] } }> {
  const dir = tempDir('hocso-verify-');
  writeFileSync(path.join(dir, 'goi.zip'), Buffer.isBuffer(files) ? files : await zipBytes(files));
  const json = hocso(['verify', 'goi.zip', '--format', 'json'], dir);
  return { result: options.pretty === false ? json : hocso(['verify', 'goi.zip'], dir), json: JSON.parse(json.stdout) };
}

const manifestOf = (files: PackageFiles): string => files['imsmanifest.xml'] as string;
const withManifest = (files: PackageFiles, edit: (manifest: string) => string): PackageFiles => ({ ...files, 'imsmanifest.xml': edit(manifestOf(files)) });
const noStackTrace = (result: RunResult): void => expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe('hocso verify accepts well-formed packages from other tools', () => {
  const styles: [string, () => PackageFiles, string, number][] = [
    ['SCORM 1.2 with inline IMS MD metadata', scorm12InlineLom, 'SCORM 1.2', 1],
    ['SCORM 1.2 with metadata in external files, a shared asset and dependencies', scorm12ExternalMetadata, 'SCORM 1.2', 2],
    ['SCORM 2004 3rd Edition with two organizations and a sequencing collection', scorm2004ThirdEdition, 'SCORM 2004 3rd Edition', 2],
    ['SCORM 2004 4th Edition with xml:base, encoded and remote hrefs, and a shared asset', scorm2004FourthEdition, 'SCORM 2004 4th Edition', 2],
  ];

  it.each(styles)('%s', async (_name, fixture, version, scos) => {
    const files = fixture();
    const { result, json } = await verifyZip(files);
    expect(json.errors).toBe(0);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`✓ goi.zip: ${version}, ${scos} SCO${scos === 1 ? '' : 's'}, ${Object.keys(files).length} files`);
    if (fixture === scorm12InlineLom) {
      // libxml2 cannot compile IMS MD 1.2.1: the inline LOM is left out of validation, and verify says so.
      expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/metadata-not-checked', severity: 'warning', file: 'goi.zip!/imsmanifest.xml', line: lineOf(manifestOf(files), '<imsmd:lom>') })]);
    } else expect(json.diagnostics).toEqual([]);
  });

  it('an extracted folder (not zipped), labelled with real paths', () => {
    const dir = tempDir('hocso-verify-');
    writeFiles(path.join(dir, 'goi'), scorm2004FourthEdition());
    const result = hocso(['verify', 'goi'], dir);
    expect(result.stderr).toMatch(/^✓ goi: SCORM 2004 4th Edition, 2 SCOs, \d+ files\n$/);
    expect(result.code).toBe(0);
    writeFileSync(path.join(dir, 'goi', 'notes.txt'), 'draft');
    const json = JSON.parse(hocso(['verify', 'goi/imsmanifest.xml', '--format', 'json'], dir).stdout) as { diagnostics: Reported[] };
    expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/unlisted-file', severity: 'warning', file: 'goi/notes.txt' })]);
  });

  it('several packages in one run', async () => {
    const dir = tempDir('hocso-verify-');
    writeFileSync(path.join(dir, 'a.zip'), await zipBytes(scorm12ExternalMetadata()));
    writeFileSync(path.join(dir, 'b.zip'), await zipBytes(scorm2004ThirdEdition()));
    const result = hocso(['verify', 'a.zip', 'b.zip'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('✓'))).toHaveLength(2);
  });
});

interface ManifestCase {
  name: string;
  files: PackageFiles;
  rule: string;
  /** The text of the manifest line the diagnostic must point at. */
  at: string;
  message?: RegExp;
}

const base = scorm12ExternalMetadata();
const base2004 = scorm2004FourthEdition();
const manifestCases: ManifestCase[] = [
  (() => {
    const files = { ...base };
    delete files['shared/style.css'];
    return { name: 'a missing file', files, rule: 'package/missing-file', at: '<file href="shared/style.css"/>', message: /<file> of <resource identifier="SHARED">: href "shared\/style\.css" is not in the package$/ };
  })(),
  (() => {
    const files = { ...base2004 };
    delete files['content/dang-nhap/index.html'];
    return { name: 'a missing SCO launch file (after xml:base)', files, rule: 'package/launch-missing', at: '<resource identifier="R-1"', message: /SCO <resource identifier="R-1">: href "index\.html\?start=1" → "content\/dang-nhap\/index\.html" is not in the package/ };
  })(),
  {
    name: 'a file whose name differs only in case',
    files: withManifest(base, (m) => m.replace('<file href="shared/style.css"/>', '<file href="shared/Style.css"/>')),
    rule: 'package/missing-file',
    at: '<file href="shared/Style.css"/>',
    message: /the package has "shared\/style\.css": names are case-sensitive/,
  },
  {
    name: 'a dangling identifierref',
    files: withManifest(base, (m) => m.replace('identifierref="SCO-2"', 'identifierref="SCO-9"')),
    rule: 'package/dangling-identifierref',
    at: '<item identifier="LESSON-2"',
    message: /identifierref "SCO-9" names no resource of the manifest — did you mean `SCO-1`, `SCO-2`\?/,
  },
  {
    name: 'a dependency on an item instead of a resource',
    files: withManifest(base2004, (m) => m.replace('<dependency identifierref="R-SHARED"/>', '<dependency identifierref="I-2"/>')),
    rule: 'package/dangling-identifierref',
    at: '<dependency identifierref="I-2"/>',
    message: /names <item identifier="I-2"> \(line \d+\), not a <resource>/,
  },
  {
    name: 'duplicate identifiers (an item and a resource)',
    files: withManifest(base, (m) => m.replace('<item identifier="LESSON-2"', '<item identifier="SHARED"')),
    rule: 'package/duplicate-identifier',
    at: '<resource identifier="SHARED"',
    message: /identifier "SHARED" of <resource> is already used by <item> at line \d+/,
  },
  {
    name: 'a default organization that does not exist',
    files: withManifest(base2004, (m) => m.replace('<organizations default="ORG">', '<organizations default="ORG-2">')),
    rule: 'package/default-organization',
    at: '<organizations default="ORG-2">',
  },
  {
    name: 'a schema violation (a misspelt element)',
    files: withManifest(base, (m) => m.replace('<title>Bài 2</title>', '<titel>Bài 2</titel>')),
    rule: 'package/schema',
    at: '<titel>',
    message: /Element 'imscp:titel': This element is not expected/,
  },
  {
    name: 'a schema violation on a start tag spanning lines (the line of `<manifest`, not of its `>`)',
    files: withManifest(base2004, (m) => m.replace('identifier="MANIFEST-9F1C" ', '')),
    rule: 'package/schema',
    at: '<manifest ',
    message: /The attribute 'identifier' is required but missing/,
  },
  {
    name: 'an href leaving the package',
    files: withManifest(base, (m) => m.replace('<file href="shared/style.css"/>', '<file href="../../shared/style.css"/>')),
    rule: 'package/href-outside',
    at: '<file href="../../shared/style.css"/>',
    message: /climbs above the package root/,
  },
  {
    name: 'an external metadata file that is missing',
    files: (() => { const files = { ...base }; delete files['metadata/one.xml']; return files; })(),
    rule: 'package/metadata-missing',
    at: '<adlcp:location>metadata/one.xml',
  },
  {
    name: 'a manifest that is not well-formed',
    files: withManifest(base, (m) => m.replace('<title>Bài 1</title>', '<title>Bài 1</titel>')),
    rule: 'package/manifest-syntax',
    at: '<title>Bài 1</titel>',
    message: /mismatch/i,
  },
  {
    name: 'a manifest that is not SCORM',
    files: withManifest(base, (m) => m.replaceAll('http://www.imsproject.org/xsd/imscp_rootv1p1p2', 'http://example.org/cp')),
    rule: 'package/unknown-version',
    at: '<manifest ',
  },
];

describe('hocso verify: manifest problems give a diagnostic at the manifest line, and exit 1', () => {
  it.each(manifestCases)('$name', async ({ files, rule, at, message }) => {
    const { result, json } = await verifyZip(files);
    const line = lineOf(manifestOf(files), at);
    expect(result.code).toBe(1);
    noStackTrace(result);
    expect(result.stderr).toMatch(new RegExp(`goi\\.zip!/imsmanifest\\.xml:${line}:\\d+\\s+error\\s+.*${rule.replace('/', '\\/')}\\n\\s+hint: `));
    expect(result.stderr).toMatch(/✗ goi\.zip: \d+ errors?/);
    const found = json.diagnostics.filter((d) => d.ruleId === rule);
    expect(found).toContainEqual(expect.objectContaining({ ruleId: rule, severity: 'error', file: 'goi.zip!/imsmanifest.xml', line, hint: expect.any(String) }));
    if (message) expect(found.map((d) => d.message).join('\n')).toMatch(message);
  });

  it('a malformed external metadata file is reported in that file, at its line', async () => {
    const { result, json } = await verifyZip({ ...base, 'metadata/one.xml': '<?xml version="1.0"?>\n<lom>\n<general>\n</lom>\n' });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'package/metadata-syntax', file: 'goi.zip!/metadata/one.xml', line: 4 }));
  });

  it('files no resource lists are warnings (exit 0); schema files and metadata are not', async () => {
    const { result, json } = await verifyZip({ ...base, 'lessons/draft.html': 'x', '.DS_Store': 'x' });
    expect(result.code).toBe(0);
    expect(json.diagnostics.map((d) => [d.ruleId, d.file])).toEqual([
      ['package/unlisted-file', 'goi.zip!/.DS_Store'],
      ['package/unlisted-file', 'goi.zip!/lessons/draft.html'],
    ]);
    expect(result.stderr).toContain(`✓ goi.zip: SCORM 1.2, 2 SCOs, ${Object.keys(base).length + 2} files, 2 warnings`);
  });
});

describe('hocso verify: where the manifest is', () => {
  it('no manifest at all', async () => {
    const { result, json } = await verifyZip({ 'index.html': 'x' }, { pretty: false });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/manifest-missing', file: 'goi.zip', line: 1, message: expect.stringContaining('not a SCORM package') })]);
  });

  it('a manifest in a subfolder (the folder was zipped, not its contents)', async () => {
    const nested = Object.fromEntries(Object.entries(base).map(([name, content]) => [`khoa-hoc/${name}`, content]));
    const { result, json } = await verifyZip(nested, { pretty: false });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/manifest-missing', file: 'goi.zip', message: expect.stringContaining('in "khoa-hoc/": zip the contents of that folder instead') })]);
  });
});

/** A zip holding the valid package plus one hostile entry, named by rewriting a placeholder of the same length. */
async function withHostileEntry(placeholder: string, hostile: string): Promise<Buffer> {
  return renameEntry(await zipBytes({ ...base, [placeholder]: 'pwned' }), placeholder, hostile);
}

describe('hocso verify: unsafe zips are rejected before anything is read, and nothing is written', () => {
  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    ['a `../` entry (zip slip)', () => withHostileEntry('xx/xx/evil.txt', '../../evil.txt'), /entry "\.\.\/\.\.\/evil\.txt" contains a `\.\.` segment \(zip slip/],
    ['an absolute entry', () => withHostileEntry('_tmp/hocso-evil.txt', '/tmp/hocso-evil.txt'), /entry "\/tmp\/hocso-evil\.txt" is an absolute path/],
    ['a Windows drive entry', () => withHostileEntry('C_/evil.txt', 'C:/evil.txt'), /starts with a drive letter/],
    ['a backslash entry', () => withHostileEntry('xx/evil.txt', '..\\evil.txt'), /uses a backslash/],
    ['a NUL in an entry name', () => withHostileEntry('evil.txt.html', 'evil.txt\0html'), /contains a NUL character/],
    ['a symbolic link', async () => zipBytes({ ...base, 'link.html': '/etc/passwd' }, { mode: { 'link.html': 0o120777 } }), /entry "link\.html" is a symbolic link/],
  ];

  it.each(cases)('%s', async (_name, make, message) => {
    const root = tempDir('hocso-slip-');
    const dir = path.join(root, 'a', 'b');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'goi.zip'), await make());
    const before = treeHashes(root);
    const result = hocso(['verify', 'goi.zip', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: Reported[] };
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'package/unsafe-path', severity: 'error', file: 'goi.zip', line: 1, message: expect.stringMatching(message) }));
    // The rest of the package is still checked, and nothing at all was written.
    expect(report.diagnostics.filter((d) => d.ruleId !== 'package/unsafe-path')).toEqual([]);
    expect(treeHashes(root)).toEqual(before);
  });

  it('an entry whose local header names another file than the central directory (what naive extractors use)', async () => {
    const zip = await zipBytes({ ...base, 'xx/evil.txt': 'pwned' });
    const local = zip.indexOf('xx/evil.txt'); // the local header comes first
    Buffer.from('../evil.txt').copy(zip, local);
    const { result, json } = await verifyZip(zip, { pretty: false });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'package/unsafe-path', message: 'entry "xx/evil.txt": its local header names a different file ("../evil.txt"), an extraction trick; it was not read' }));
  });

  it('an entry name with terminal escapes is shown escaped', async () => {
    const { json, result } = await verifyZip(await withHostileEntry('xxxx/evil', '\u001b[2J/evil'));
    expect(result.stderr).not.toContain('\u001b[2J');
    expect(json.diagnostics[0]!.message).toContain('"\\u001b[2J/evil"');
  });
});

describe('hocso verify: zip bombs', () => {
  const zeros = Buffer.alloc(20 * 1024 * 1024);

  it('an entry that would inflate more than 100:1 is rejected from its declared sizes, before inflating', async () => {
    // A file the manifest lists: reported once, as a bomb, not again as missing.
    const { result, json } = await verifyZip({ ...base, 'shared/style.css': zeros });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/zip-bomb', file: 'goi.zip', message: expect.stringMatching(/entry "shared\/style\.css" would inflate \d+:1 \(\d+ bytes → 20\.0 MiB\), over the 100:1 limit/) })]);
    expect(result.stderr).toContain('hint: hocso reads at most 512 MiB per file');
  });

  it('an entry whose headers lie about its size is stopped by the inflate cap', async () => {
    const lying = declareSize(await zipBytes({ ...base, 'media/small.bin': zeros }), 'media/small.bin', 1000);
    const { result, json } = await verifyZip(lying, { pretty: false });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'package/zip-bomb', file: 'goi.zip', message: 'entry "media/small.bin" inflates to more than the 1000 bytes it declares (its headers lie: a zip bomb?); reading stopped at 1000 bytes' }));
  });

  it('a package declaring more than the total limit is not read at all', async () => {
    // Three stored entries declaring 400 MiB each (no ratio to catch), with no data behind them.
    const { result, json } = await verifyZip(bigStoredZip(3, 400 * 1024 * 1024), { pretty: false });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/zip-bomb', message: expect.stringContaining('over the 1024.0 MiB limit; nothing was read') })]);
  });
});

/** A zip whose central directory declares `count` stored entries of `size` bytes each, with no data behind them. */
function bigStoredZip(count: number, size: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const name = Buffer.from(`big${i}.bin`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name);
    centrals.push(central, name);
    offset += local.length + name.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('hocso verify: broken zips and entries', () => {
  it('not a zip at all (a .zip that is text)', async () => {
    const { result, json } = await verifyZip(Buffer.from('<html>404 Not Found</html>'));
    expect(result.code).toBe(1);
    noStackTrace(result);
    expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/not-a-zip', file: 'goi.zip', line: 1, message: expect.stringContaining('not a zip, or truncated') })]);
  });

  it('a truncated zip', async () => {
    const zip = await zipBytes(base);
    const { result, json } = await verifyZip(zip.subarray(0, zip.length - 30), { pretty: false });
    expect(result.code).toBe(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/not-a-zip' })]);
  });

  it('duplicate, encrypted and corrupt entries', async () => {
    const encrypted = await verifyZip(setFlag(await zipBytes(base), 'shared/style.css', 1), { pretty: false });
    expect(encrypted.result.code).toBe(1);
    expect(encrypted.json.diagnostics).toEqual([expect.objectContaining({ ruleId: 'package/unreadable-entry', message: 'entry "shared/style.css" is encrypted; LMSs cannot read it' })]);

    const duplicate = await verifyZip(renameEntry(await zipBytes({ ...base, 'lessons/one.htmx': 'again' }), 'lessons/one.htmx', 'lessons/one.html'), { pretty: false });
    expect(duplicate.result.code).toBe(1);
    expect(duplicate.json.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'package/duplicate-entry', message: expect.stringContaining('entry "lessons/one.html" appears twice') }));

    const corrupt = await verifyZip(corruptCrc(await zipBytes(base), 'lessons/two.html'), { pretty: false });
    expect(corrupt.result.code).toBe(1);
    expect(corrupt.json.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'package/unreadable-entry', message: 'entry "lessons/two.html" is corrupt (CRC-32 mismatch)' }));
  });
});

/** Flips the CRC-32 the central directory records for an entry. */
function corruptCrc(zip: Buffer, name: string): Buffer {
  const out = Buffer.from(zip);
  const wanted = Buffer.from(name);
  for (let at = 0; at < out.length - 46; at++) {
    if (out.readUInt32LE(at) === 0x02014b50 && out.subarray(at + 46, at + 46 + wanted.length).equals(wanted)) out.writeUInt32LE(out.readUInt32LE(at + 16) ^ 0xffffffff, at + 16);
  }
  return out;
}

describe('hocso verify: usage errors exit 2', () => {
  it('a path that does not exist, or is not a zip or folder', () => {
    const dir = writeFiles(tempDir('hocso-verify-'), { 'notes.txt': 'hello' });
    const missing = hocso(['verify', 'nope.zip'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: no such file or folder: nope\.zip\n {2}hint: /);
    const text = hocso(['verify', 'notes.txt'], dir);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^error: notes\.txt is not a zip file or a folder/);
    expect(hocso(['verify'], dir).code).toBe(2);
    expect(hocso(['verify', '.', '--format', 'xml'], dir).code).toBe(2);
  });
});
