import { parse } from 'bcp-47';

/** True for a well-formed BCP 47 tag (vi, en, hmn, tyz, cja-Arab …); the parser rejects anything it had to guess at. */
export function isValidLanguageTag(tag: string): boolean {
  let warned = false;
  const schema = parse(tag, { warning: () => { warned = true; return undefined; } });
  return !warned && (schema.language !== null && schema.language !== undefined && schema.language !== '' || schema.privateuse.length > 0 || schema.irregular !== null || schema.regular !== null);
}
