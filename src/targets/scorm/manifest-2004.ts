// imsmanifest.xml for SCORM 2004 4th Edition: IMS CP 1.1.4 + ADL CP/SEQ/NAV 1.3 + IMS SS 1.0, LOM inline.
// Sequencing: flow and choice on every cluster; each lesson's primary objective is satisfied by its quiz score
// (minNormalizedMeasure = mastery score); a prerequisite is a global objective the required lesson writes and the
// dependent lesson reads, with a precondition that disables it until that objective is satisfied.
import type { Course } from '../../model/course.js';
import { packageHref } from '../../model/layout.js';
import { el, xmlDocument, type XmlElement } from '../../xml/xml-builder.js';
import { ieeeLom, type LomRecord } from './lom.js';
import { leafItems, type PackagePlan, type PlanItem, type PlanResource } from './plan.js';

const IMSCP = 'http://www.imsglobal.org/xsd/imscp_v1p1';
const ADLCP = 'http://www.adlnet.org/xsd/adlcp_v1p3';
const ADLSEQ = 'http://www.adlnet.org/xsd/adlseq_v1p3';
const ADLNAV = 'http://www.adlnet.org/xsd/adlnav_v1p3';
const IMSSS = 'http://www.imsglobal.org/xsd/imsss';

/** The schema files SCORM 2004 4th Edition expects at the package root (from schemas/xsd/scorm2004-4ed). */
export const SCORM2004_SCHEMA_FILES = [
  'XMLSchema.dtd', 'adlcp_v1p3.xsd', 'adlnav_v1p3.xsd', 'adlseq_v1p3.xsd', 'datatypes.dtd', 'imscp_v1p1.xsd', 'imsss_v1p0.xsd',
  'imsss_v1p0auxresource.xsd', 'imsss_v1p0control.xsd', 'imsss_v1p0delivery.xsd', 'imsss_v1p0limit.xsd', 'imsss_v1p0objective.xsd',
  'imsss_v1p0random.xsd', 'imsss_v1p0rollup.xsd', 'imsss_v1p0seqrule.xsd', 'imsss_v1p0util.xsd', 'xml.xsd',
];

export function scorm2004Manifest(plan: PackagePlan, course: Course, courseRecord: LomRecord, lessons: ReadonlyMap<string, LomRecord>): string {
  const globalObjective = (itemIdentifier: string): string => `urn:hocso:${course.id}:${itemIdentifier}`;
  const required = new Set(leafItems(plan.items).flatMap((i) => i.prerequisites));
  const metadata = (record?: LomRecord): XmlElement | undefined => record && el('metadata', {}, ieeeLom(record));
  const flow = (): XmlElement => el('imsss:sequencing', {}, el('imsss:controlMode', { choice: 'true', flow: 'true' }));

  const leafSequencing = (i: PlanItem): XmlElement => {
    const prerequisiteObjective = (id: string): string => `prerequisite-${id}`;
    return el(
      'imsss:sequencing',
      {},
      i.prerequisites.length > 0 &&
        el(
          'imsss:sequencingRules',
          {},
          el(
            'imsss:preConditionRule',
            {},
            // "not satisfied" alone is unknown (so not applied) before the learner tries the required lesson.
            el('imsss:ruleConditions', { conditionCombination: 'any' }, i.prerequisites.flatMap((p) => [
              el('imsss:ruleCondition', { referencedObjective: prerequisiteObjective(p), operator: 'not', condition: 'satisfied' }),
              el('imsss:ruleCondition', { referencedObjective: prerequisiteObjective(p), operator: 'not', condition: 'objectiveStatusKnown' }),
            ])),
            el('imsss:ruleAction', { action: 'disabled' }),
          ),
        ),
      el(
        'imsss:objectives',
        {},
        el(
          'imsss:primaryObjective',
          { objectiveID: `${i.identifier}-passed`, satisfiedByMeasure: i.masteryScore !== undefined ? 'true' : undefined },
          i.masteryScore !== undefined && el('imsss:minNormalizedMeasure', {}, String(i.masteryScore)),
          required.has(i.identifier) && el('imsss:mapInfo', { targetObjectiveID: globalObjective(i.identifier), readSatisfiedStatus: 'false', readNormalizedMeasure: 'false', writeSatisfiedStatus: 'true' }),
        ),
        (i.lesson?.competencies ?? []).map((c) => el('imsss:objective', { objectiveID: `${c.framework}:${c.code}` })),
        i.prerequisites.map((p) =>
          el('imsss:objective', { objectiveID: prerequisiteObjective(p) }, el('imsss:mapInfo', { targetObjectiveID: globalObjective(p), readSatisfiedStatus: 'true', readNormalizedMeasure: 'false' })),
        ),
      ),
    );
  };

  const item = (i: PlanItem): XmlElement =>
    el('item', { identifier: i.identifier, identifierref: i.resource?.identifier }, el('title', {}, i.title), i.children.map(item), i.children.length ? flow() : leafSequencing(i));
  const resource = (r: PlanResource): XmlElement =>
    el(
      'resource',
      { identifier: r.identifier, type: 'webcontent', 'adlcp:scormType': r.href ? 'sco' : 'asset', href: r.href && packageHref(r.href) },
      metadata(r.lesson && lessons.get(r.lesson.id)),
      r.files.map((f) => el('file', { href: packageHref(f) })),
      r.dependencies.map((d) => el('dependency', { identifierref: d })),
    );

  return xmlDocument(
    el(
      'manifest',
      {
        identifier: plan.identifier,
        version: '1.0',
        xmlns: IMSCP,
        'xmlns:adlcp': ADLCP,
        'xmlns:adlseq': ADLSEQ,
        'xmlns:adlnav': ADLNAV,
        'xmlns:imsss': IMSSS,
        'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        'xsi:schemaLocation': `${IMSCP} imscp_v1p1.xsd ${ADLCP} adlcp_v1p3.xsd ${ADLSEQ} adlseq_v1p3.xsd ${ADLNAV} adlnav_v1p3.xsd ${IMSSS} imsss_v1p0.xsd`,
      },
      el('metadata', {}, el('schema', {}, 'ADL SCORM'), el('schemaversion', {}, '2004 4th Edition'), ieeeLom(courseRecord)),
      el(
        'organizations',
        { default: plan.organizationId },
        // Prerequisite objectives belong to this course, not to every course the learner takes.
        el('organization', { identifier: plan.organizationId, 'adlseq:objectivesGlobalToSystem': 'false' }, el('title', {}, course.title), plan.items.map(item), flow()),
      ),
      el('resources', {}, plan.resources.map(resource)),
    ),
  );
}
