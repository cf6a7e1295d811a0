// SCORM packages written by hand, in the styles other authoring tools use, to test `hocso verify` on packages
// hocso did not make. Each fixture is path → content; zipPackage/folderPackage put one on disk.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { REPO } from './project.js';

export type PackageFiles = Record<string, string | Uint8Array>;

const MTIME = new Date(Date.UTC(2020, 0, 1));

/** The official schema files a tool copies beside the manifest (they are never "unlisted"). */
export function schemaFiles(set: 'scorm12' | 'scorm2004-3ed' | 'scorm2004-4ed'): PackageFiles {
  const dir = path.join(REPO, 'schemas', 'xsd', set);
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name))]));
}

const page = (title: string): string => `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;

/** The 1-based line of the first occurrence of needle. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`fixture does not contain ${needle}`);
  return text.slice(0, at).split('\n').length;
}

const SCORM12_ROOT = `<manifest identifier="com.example.fire-safety" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
          xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">`;

/** SCORM 1.2 as authoring tools export it: inline IMS MD metadata, one SCO launching a player page. */
export function scorm12InlineLom(): PackageFiles {
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
${SCORM12_ROOT}
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <imsmd:lom>
      <imsmd:general>
        <imsmd:title><imsmd:langstring xml:lang="en-US">Fire safety</imsmd:langstring></imsmd:title>
        <imsmd:description><imsmd:langstring xml:lang="en-US">What to do when the alarm rings.</imsmd:langstring></imsmd:description>
      </imsmd:general>
    </imsmd:lom>
  </metadata>
  <organizations default="ORG-FIRE">
    <organization identifier="ORG-FIRE">
      <title>Fire safety</title>
      <item identifier="ITEM-1" identifierref="RES-SCO" isvisible="true">
        <title>Fire safety</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-SCO" type="webcontent" adlcp:scormtype="sco" href="index_lms.html">
      <file href="index_lms.html"/>
      <file href="story_content/data.js"/>
      <file href="story_content/alarm%20bell.mp3"/>
    </resource>
  </resources>
</manifest>
`;
  return {
    'imsmanifest.xml': manifest,
    'index_lms.html': page('Fire safety'),
    'story_content/data.js': 'window.data = {};\n',
    'story_content/alarm bell.mp3': new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]),
    ...schemaFiles('scorm12'),
  };
}

/** SCORM 1.2 with its metadata in external files (adlcp:location), two SCOs and a shared asset resource. */
export function scorm12ExternalMetadata(): PackageFiles {
  const lom = (title: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">
  <general><title><langstring xml:lang="vi">${title}</langstring></title></general>
</lom>
`;
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
${SCORM12_ROOT}
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <adlcp:location>metadata/course.xml</adlcp:location>
  </metadata>
  <organizations default="TOC">
    <organization identifier="TOC" structure="hierarchical">
      <title>An toàn điện</title>
      <item identifier="MODULE-1">
        <title>Phần 1</title>
        <item identifier="LESSON-1" identifierref="SCO-1"><title>Bài 1</title><adlcp:prerequisites type="aicc_script"></adlcp:prerequisites></item>
        <item identifier="LESSON-2" identifierref="SCO-2" parameters="?page=2"><title>Bài 2</title><adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed></item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="SCO-1" type="webcontent" adlcp:scormtype="sco" href="lessons/one.html">
      <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion><adlcp:location>metadata/one.xml</adlcp:location></metadata>
      <file href="lessons/one.html"/>
      <dependency identifierref="SHARED"/>
    </resource>
    <resource identifier="SCO-2" type="webcontent" adlcp:scormtype="sco" href="lessons/two.html#start">
      <file href="lessons/two.html"/>
      <dependency identifierref="SHARED"/>
    </resource>
    <resource identifier="SHARED" type="webcontent" adlcp:scormtype="asset">
      <file href="shared/scorm-api.js"/>
      <file href="shared/style.css"/>
    </resource>
  </resources>
</manifest>
`;
  return {
    'imsmanifest.xml': manifest,
    'metadata/course.xml': lom('An toàn điện'),
    'metadata/one.xml': lom('Bài 1'),
    'lessons/one.html': page('Bài 1'),
    'lessons/two.html': page('Bài 2'),
    'shared/scorm-api.js': 'var API = null;\n',
    'shared/style.css': 'body { font: 16px sans-serif }\n',
    ...schemaFiles('scorm12'),
  };
}

const SCORM2004_NAMESPACES = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
          xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"`;

/** SCORM 2004 3rd Edition in ADL's sample style: two organizations, sequencing with a shared collection, external metadata. */
export function scorm2004ThirdEdition(): PackageFiles {
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.golf" version="1.3" ${SCORM2004_NAMESPACES}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 3rd Edition</schemaversion>
    <adlcp:location>golf_metadata.xml</adlcp:location>
  </metadata>
  <organizations default="golf_sample_default_org">
    <organization identifier="golf_sample_default_org" adlseq:objectivesGlobalToSystem="false">
      <title>Golf Explained</title>
      <item identifier="item_1" identifierref="resource_1">
        <title>Playing the Game</title>
        <imsss:sequencing IDRef="common_seq_rules">
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="PRIMARYOBJ" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
        <adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>continue</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>
      </item>
      <item identifier="item_2" identifierref="resource_2">
        <title>Etiquette</title>
        <imsss:sequencing IDRef="common_seq_rules"/>
      </item>
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
    </organization>
    <organization identifier="golf_sample_quiz_only">
      <title>Golf Explained: the quiz</title>
      <item identifier="item_quiz" identifierref="resource_2"><title>Etiquette quiz</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="resource_1" type="webcontent" adlcp:scormType="sco" href="Playing/Playing.html">
      <file href="Playing/Playing.html"/>
      <dependency identifierref="common_files"/>
    </resource>
    <resource identifier="resource_2" type="webcontent" adlcp:scormType="sco" href="Etiquette/Course.html">
      <file href="Etiquette/Course.html"/>
      <dependency identifierref="common_files"/>
    </resource>
    <resource identifier="common_files" type="webcontent" adlcp:scormType="asset">
      <file href="shared/APIWrapper.js"/>
    </resource>
  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="common_seq_rules">
      <imsss:deliveryControls tracked="true"/>
    </imsss:sequencing>
  </imsss:sequencingCollection>
</manifest>
`;
  return {
    'imsmanifest.xml': manifest,
    'golf_metadata.xml': '<?xml version="1.0"?>\n<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general/></lom>\n',
    'Playing/Playing.html': page('Playing the Game'),
    'Etiquette/Course.html': page('Etiquette'),
    'shared/APIWrapper.js': 'function findAPI(win) { return null; }\n',
    ...schemaFiles('scorm2004-3ed'),
  };
}

/** SCORM 2004 4th Edition with inline LOM, xml:base on resources and resource, a shared asset, encoded and remote hrefs. */
export function scorm2004FourthEdition(): PackageFiles {
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MANIFEST-9F1C" version="1" ${SCORM2004_NAMESPACES}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
    <lom xmlns="http://ltsc.ieee.org/xsd/LOM">
      <general><title><string language="vi">Dịch vụ công trực tuyến</string></title></general>
    </lom>
  </metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>Dịch vụ công trực tuyến</title>
      <item identifier="I-1" identifierref="R-1"><title>Đăng nhập</title></item>
      <item identifier="I-2" identifierref="R-2" parameters="?lang=vi"><title>Nộp hồ sơ</title></item>
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="R-1" type="webcontent" adlcp:scormType="sco" xml:base="dang-nhap/" href="index.html?start=1">
      <file href="index.html"/>
      <file href="anh%20chup.png"/>
      <dependency identifierref="R-SHARED"/>
    </resource>
    <resource identifier="R-2" type="webcontent" adlcp:scormType="sco" xml:base="nop-ho-so/" href="index.html">
      <file href="index.html"/>
      <file href="https://cdn.example.org/font.woff2"/>
      <dependency identifierref="R-SHARED"/>
    </resource>
    <resource identifier="R-SHARED" type="webcontent" adlcp:scormType="asset" xml:base="../shared/">
      <file href="runtime.js"/>
      <file href="./style.css"/>
    </resource>
  </resources>
</manifest>
`;
  return {
    'imsmanifest.xml': manifest,
    'content/dang-nhap/index.html': page('Đăng nhập'),
    'content/dang-nhap/anh chup.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    'content/nop-ho-so/index.html': page('Nộp hồ sơ'),
    'shared/runtime.js': 'export {};\n',
    'shared/style.css': 'body {}\n',
    ...schemaFiles('scorm2004-4ed'),
  };
}

/** A zip of the files (deflated, fixed timestamps) as bytes. */
export async function zipBytes(files: PackageFiles, options: { mode?: Record<string, number> } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) {
    zip.addBuffer(Buffer.from(content), name, { mtime: MTIME, compress: true, mode: options.mode?.[name] });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export function writeFiles(dir: string, files: PackageFiles): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/**
 * Renames an entry in place, in its local header and the central directory. yazl refuses unsafe names, so
 * tests zip a harmless placeholder of the same length and rewrite it into the hostile name.
 */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error('renameEntry keeps the length');
  const out = Buffer.from(zip);
  let at = out.indexOf(a);
  let count = 0;
  while (at >= 0) { b.copy(out, at); count++; at = out.indexOf(a, at + 1); }
  if (count !== 2) throw new Error(`expected the name twice (local + central), found it ${count} times`);
  return out;
}

/** Overwrites the uncompressed size an entry declares, in both headers (a lying zip bomb). */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const wanted = Buffer.from(name);
  for (let at = 0; at < out.length - 46; at++) {
    const signature = out.readUInt32LE(at);
    if (signature === 0x04034b50 && out.subarray(at + 30, at + 30 + wanted.length).equals(wanted)) out.writeUInt32LE(size, at + 22);
    if (signature === 0x02014b50 && out.subarray(at + 46, at + 46 + wanted.length).equals(wanted)) out.writeUInt32LE(size, at + 24);
  }
  return out;
}

/** Sets general-purpose flag bits of an entry in both headers (bit 0: encrypted). */
export function setFlag(zip: Buffer, name: string, bit: number): Buffer {
  const out = Buffer.from(zip);
  const wanted = Buffer.from(name);
  for (let at = 0; at < out.length - 46; at++) {
    const signature = out.readUInt32LE(at);
    if (signature === 0x04034b50 && out.subarray(at + 30, at + 30 + wanted.length).equals(wanted)) out.writeUInt16LE(out.readUInt16LE(at + 6) | bit, at + 6);
    if (signature === 0x02014b50 && out.subarray(at + 46, at + 46 + wanted.length).equals(wanted)) out.writeUInt16LE(out.readUInt16LE(at + 8) | bit, at + 8);
  }
  return out;
}
