import { parse } from 'bcp-47';

/** True for a well-formed BCP 47 tag (vi, en, hmn, tyz, cja-Arab …); the parser rejects anything it had to guess at. */
export function isValidLanguageTag(tag: string): boolean {
  let warned = false;
  const schema = parse(tag, { warning: () => { warned = true; return undefined; } });
  return !warned && (schema.language !== null && schema.language !== undefined && schema.language !== '' || schema.privateuse.length > 0 || schema.irregular !== null || schema.regular !== null);
}

// Names as learners and translators write them; ICU knows the big languages, not all of Vietnam's minority ones.
const NAMES: Record<string, string> = {
  vi: 'Tiếng Việt',
  en: 'English',
  hmn: 'Hmoob, Hmong',
  hnj: 'Hmoob Ntsuab, Green Hmong',
  mww: 'Hmoob Dawb, White Hmong',
  blt: 'Tai Dam',
  tyz: 'Tày',
  nut: 'Nùng',
  km: 'ខ្មែរ, Khmer',
  cja: 'Cham, Western',
  cjm: 'Cham, Eastern',
};

/** A tag with its name for messages and reports: `tyz (Tày)`. */
export function languageLabel(tag: string): string {
  const base = tag.split('-')[0]!.toLowerCase();
  let name = NAMES[tag] ?? NAMES[base];
  if (!name) {
    try {
      const icu = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
      if (icu && icu.toLowerCase() !== tag.toLowerCase()) name = icu;
    } catch {
      // not a tag ICU accepts: the tag alone
    }
  }
  return name ? `${tag} (${name})` : tag;
}
