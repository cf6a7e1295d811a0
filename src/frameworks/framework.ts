// A competency framework as data: areas → competences, each with a stable code and titles in Vietnamese and English.

export interface LocalizedText {
  vi: string;
  en: string;
}

export interface Level {
  level: number;
  label?: string;
  tier: LocalizedText;
}

export interface Competence {
  code: string;
  title: LocalizedText;
  description?: LocalizedText;
  verified?: boolean;
  groups?: string[];
  /** The area this competence belongs to. */
  area: string;
}

export interface Area {
  code: string;
  title: LocalizedText;
  verified?: boolean;
  competences: Competence[];
}

export interface Framework {
  id: string;
  title: LocalizedText;
  publisher: LocalizedText;
  version: string;
  source: { document: string; issued?: string; url?: string };
  iriBase: string;
  verified?: boolean;
  levels: Level[];
  areas: Area[];
  /** Where it was loaded from, as shown to users. */
  file: string;
}

export function competencesOf(framework: Framework): Competence[] {
  return framework.areas.flatMap((a) => a.competences);
}

/** The IRI that names a competence in packages and statements. */
export function competenceIri(framework: Framework, code: string): string {
  return `${framework.iriBase}/${code}`;
}

export function levelRange(framework: Framework): { min: number; max: number } {
  const levels = framework.levels.map((l) => l.level);
  return { min: Math.min(...levels), max: Math.max(...levels) };
}
