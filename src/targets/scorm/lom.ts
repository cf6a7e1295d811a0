// Learning-object metadata for packages: one record shape, written as IMS MD 1.2.1 (SCORM 1.2) or IEEE LOM 1.0
// (SCORM 2004). Competencies become a classification per framework, one taxon path per competence (area → code).
import { competencesOf, type Framework } from '../../frameworks/framework.js';
import type { CompetencyRef, Course, Lesson } from '../../model/course.js';
import { el, type XmlElement } from '../../xml/xml-builder.js';

export interface LomRecord {
  title: string;
  description: string;
  language: string;
  keywords: string[];
  classifications: { framework: string; title: string; competences: { area: { code: string; title: string }; code: string; title: string }[] }[];
}

export const IMSMD_NAMESPACE = 'http://www.imsglobal.org/xsd/imsmd_rootv1p2p1';
export const LOM_NAMESPACE = 'http://ltsc.ieee.org/xsd/LOM';

export function courseRecord(course: Course, lang: string, frameworks: ReadonlyMap<string, Framework>): LomRecord {
  const refs = course.modules.flatMap((m) => m.lessons.flatMap((l) => l.competencies));
  return { title: course.title, description: course.description, language: lang, keywords: course.keywords, classifications: classify(refs, lang, frameworks) };
}

export function lessonRecord(lesson: Lesson, lang: string, frameworks: ReadonlyMap<string, Framework>): LomRecord {
  return { title: lesson.title, description: lesson.objectives.join('\n'), language: lang, keywords: lesson.keywords, classifications: classify(lesson.competencies, lang, frameworks) };
}

function classify(refs: readonly CompetencyRef[], lang: string, frameworks: ReadonlyMap<string, Framework>): LomRecord['classifications'] {
  const english = lang.toLowerCase().startsWith('en');
  const text = (t: { vi: string; en: string }): string => (english ? t.en : t.vi);
  const byFramework = new Map<string, Set<string>>();
  for (const ref of refs) byFramework.set(ref.framework, (byFramework.get(ref.framework) ?? new Set()).add(ref.code));
  return [...byFramework].map(([id, codes]) => {
    const framework = frameworks.get(id)!;
    return {
      framework: id,
      title: text(framework.title),
      competences: competencesOf(framework)
        .filter((c) => codes.has(c.code))
        .map((c) => {
          const area = framework.areas.find((a) => a.code === c.area)!;
          return { area: { code: area.code, title: text(area.title) }, code: c.code, title: text(c.title) };
        }),
    };
  });
}

/** IMS Meta-data 1.2.1, as a stand-alone document (SCORM 1.2 links it with adlcp:location). */
export function imsmdLom(record: LomRecord): XmlElement {
  const ls = (text: string, lang = record.language): XmlElement => el('langstring', { 'xml:lang': lang }, text);
  const vocabulary = (name: string, value: string): XmlElement => el(name, {}, el('source', {}, ls('LOMv1.0', 'x-none')), el('value', {}, ls(value, 'x-none')));
  return el(
    'lom',
    { xmlns: IMSMD_NAMESPACE },
    el(
      'general',
      {},
      el('title', {}, ls(record.title)),
      el('language', {}, record.language),
      record.description ? el('description', {}, ls(record.description)) : undefined,
      record.keywords.map((k) => el('keyword', {}, ls(k))),
    ),
    record.classifications.map((c) =>
      el(
        'classification',
        {},
        vocabulary('purpose', 'Educational Objective'),
        c.competences.map((competence) =>
          el(
            'taxonpath',
            {},
            el('source', {}, ls(`${c.framework}: ${c.title}`)),
            el('taxon', {}, el('id', {}, competence.area.code), el('entry', {}, ls(competence.area.title)), el('taxon', {}, el('id', {}, competence.code), el('entry', {}, ls(competence.title)))),
          ),
        ),
      ),
    ),
  );
}

/** IEEE LOM 1.0 (the 2004 binding), placed inline in the manifest's metadata. */
export function ieeeLom(record: LomRecord): XmlElement {
  const str = (text: string): XmlElement => el('string', { language: record.language }, text);
  return el(
    'lom',
    { xmlns: LOM_NAMESPACE },
    el(
      'general',
      {},
      el('title', {}, str(record.title)),
      el('language', {}, record.language),
      record.description ? el('description', {}, str(record.description)) : undefined,
      record.keywords.map((k) => el('keyword', {}, str(k))),
    ),
    record.classifications.map((c) =>
      el(
        'classification',
        {},
        el('purpose', {}, el('source', {}, 'LOMv1.0'), el('value', {}, 'competency')),
        c.competences.map((competence) =>
          el(
            'taxonPath',
            {},
            el('source', {}, str(`${c.framework}: ${c.title}`)),
            el('taxon', {}, el('id', {}, competence.area.code), el('entry', {}, str(competence.area.title))),
            el('taxon', {}, el('id', {}, competence.code), el('entry', {}, str(competence.title))),
          ),
        ),
      ),
    ),
  );
}
