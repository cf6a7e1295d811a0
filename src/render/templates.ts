import path from 'node:path';
import { Eta } from 'eta';
import { TEMPLATES_DIR } from '../paths.js';

const engines = new Map<string, Eta>();

/** The Eta engine for one template set (templates/web, …): escaping on, templates compiled once per process. */
export function templateEngine(set: string): Eta {
  let eta = engines.get(set);
  if (!eta) {
    eta = new Eta({ views: path.join(TEMPLATES_DIR, set), autoEscape: true, autoTrim: false, cache: true });
    engines.set(set, eta);
  }
  return eta;
}

/** JSON that is safe inside a <script> element: no `</script>` or `<!--` can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
