import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnose, type RuleId } from '../diagnostics/rules.js';
import type { LocatedYaml } from '../source/yaml-document.js';
import { validateAgainstSchema, type SchemaName } from './validate.js';

/**
 * Syntax first, then the schema: the diagnostics of whichever fails (with YAML lines), or none when the
 * document is valid and its data can be trusted to have the schema's shape.
 */
export function checkYaml(yaml: LocatedYaml, schema: SchemaName, file: string, rules: { syntax: RuleId; schema: RuleId }): Diagnostic[] {
  if (yaml.errors.length) return yaml.errors.map((e) => diagnose(rules.syntax, { file, line: e.line, column: e.column }, e.message));
  return validateAgainstSchema(schema, yaml).map((p) => diagnose(rules.schema, { file, line: p.line, column: p.column }, p.message));
}
