// imsmanifest.xml for SCORM 1.2 (IMS CP 1.1.2 + ADL CP 1.2). LOM goes to external files linked with adlcp:location:
// IMS MD 1.2.1's schema cannot be compiled by libxml2, and a manifest that references it inline could not be checked.
import { packageHref } from '../../model/layout.js';
import { el, xmlDocument, type XmlElement } from '../../xml/xml-builder.js';
import { imsmdLom, type LomRecord } from './lom.js';
import { type PackagePlan, type PlanItem, type PlanResource } from './plan.js';

const IMSCP = 'http://www.imsproject.org/xsd/imscp_rootv1p1p2';
const ADLCP = 'http://www.adlnet.org/xsd/adlcp_rootv1p2';

/** The schema files SCORM 1.2 expects at the package root (from schemas/xsd/scorm12). */
export const SCORM12_SCHEMA_FILES = ['adlcp_rootv1p2.xsd', 'ims_xml.xsd', 'imscp_rootv1p1p2.xsd', 'imsmd_rootv1p2p1.xsd'];

export const metadataPath = (name: string): string => `metadata/${name}.xml`;

/** The manifest and its metadata files (path → XML). */
export function scorm12Manifest(plan: PackagePlan, course: LomRecord, lessons: ReadonlyMap<string, LomRecord>): Map<string, string> {
  const out = new Map<string, string>();
  const metadata = (name: string, record: LomRecord): XmlElement => {
    out.set(metadataPath(name), xmlDocument(imsmdLom(record)));
    return el('metadata', {}, el('schema', {}, 'ADL SCORM'), el('schemaversion', {}, '1.2'), el('adlcp:location', {}, metadataPath(name)));
  };
  const item = (i: PlanItem): XmlElement =>
    el(
      'item',
      { identifier: i.identifier, identifierref: i.resource?.identifier },
      el('title', {}, i.title),
      i.children.map(item),
      // AICC script: every listed item must be passed or completed first.
      i.prerequisites.length > 0 && el('adlcp:prerequisites', { type: 'aicc_script' }, i.prerequisites.join('&')),
      i.masteryScore !== undefined && el('adlcp:masteryscore', {}, String(Math.round(i.masteryScore * 100))),
    );
  const resource = (r: PlanResource): XmlElement =>
    el(
      'resource',
      { identifier: r.identifier, type: 'webcontent', 'adlcp:scormtype': r.href ? 'sco' : 'asset', href: r.href && packageHref(r.href) },
      r.lesson && metadata(r.lesson.id, lessons.get(r.lesson.id)!),
      r.files.map((f) => el('file', { href: packageHref(f) })),
      r.dependencies.map((d) => el('dependency', { identifierref: d })),
    );
  const manifest = el(
    'manifest',
    {
      identifier: plan.identifier,
      version: '1.0',
      xmlns: IMSCP,
      'xmlns:adlcp': ADLCP,
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': `${IMSCP} imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd ${ADLCP} adlcp_rootv1p2.xsd`,
    },
    metadata('course', course),
    el('organizations', { default: plan.organizationId }, el('organization', { identifier: plan.organizationId }, el('title', {}, course.title), plan.items.map(item))),
    el('resources', {}, plan.resources.map(resource)),
  );
  out.set('imsmanifest.xml', xmlDocument(manifest));
  return out;
}
