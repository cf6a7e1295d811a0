import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SCHEMAS_DIR } from '../paths.js';
import type { LocatedYaml } from '../source/yaml-document.js';

export const SCHEMA_NAMES = ['config', 'course', 'lesson', 'lesson-variant', 'framework'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

export interface SchemaProblem {
  message: string;
  line: number;
  column: number;
}

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function validatorFor(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const instance = (ajv ??= addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true })));
    const schema = name === 'lesson-variant' ? variantSchema() : JSON.parse(readFileSync(path.join(SCHEMAS_DIR, `${name}.schema.json`), 'utf8'));
    validate = instance.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}

/** A variant's front matter is a lesson's in which only id and title are required: the rest is inherited from the source. */
function variantSchema(): Record<string, unknown> {
  const lesson = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'lesson.schema.json'), 'utf8')) as Record<string, unknown>;
  return { ...lesson, $id: 'https://w3id.org/hocso/schemas/lesson-variant.schema.json', title: 'Lesson variant front matter', required: ['id', 'title'] };
}

/** Validates parsed YAML against one of hocso's schemas; every problem carries the YAML line it comes from. */
export function validateAgainstSchema(name: SchemaName, yaml: LocatedYaml): SchemaProblem[] {
  const validate = validatorFor(name);
  if (validate(yaml.data)) return [];
  return shapeErrors(validate.errors ?? []).map((error) => {
    const pointer = error.keyword === 'additionalProperties' ? `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}` : error.instancePath;
    const { line, column } = yaml.positionOf(pointer);
    return { message: describeError(error), line, column };
  });
}

/** Keeps one message per place: a oneOf failure speaks for the branches that failed under it. */
function shapeErrors(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword !== 'oneOf' && [...oneOfPaths].some((p) => e.instancePath.startsWith(p))) return false;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath ? `\`${error.instancePath.slice(1).replace(/\//g, '.')}\`` : 'the document';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required key \`${String(params.missingProperty)}\`${error.instancePath ? ` in ${where}` : ''}`;
    case 'additionalProperties':
      return `unknown key \`${String(params.additionalProperty)}\`${error.instancePath ? ` in ${where}` : ''}`;
    case 'type': {
      const quoteIt = params.type === 'string' && (typeof error.data === 'number' || typeof error.data === 'boolean');
      return `${where} must be ${article(String(params.type))}${quoteIt ? ` — put ${JSON.stringify(error.data)} in quotes: "${String(error.data)}"` : ''}`;
    }
    case 'enum':
      return `${where} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'format':
      return params.format === 'duration'
        ? `${where} must be an ISO 8601 duration such as PT15M or PT1H30M`
        : `${where} must be a valid ${String(params.format)}`;
    case 'pattern':
      return `${where} does not have the expected form (${patternHelp(error.instancePath)})`;
    case 'oneOf':
      return `${where} must be a code written FRAMEWORK:CODE (optionally @LEVEL) or { code: FRAMEWORK:CODE, level: N }`;
    case 'minItems':
      return `${where} must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'uniqueItems':
      return `${where} lists the same item twice`;
    case 'minimum':
    case 'maximum': {
      const percent = error.keyword === 'maximum' && params.limit === 1 && typeof error.data === 'number' && error.data > 1 && error.data <= 100;
      return `${where} must be ${error.keyword === 'minimum' ? '≥' : '≤'} ${String(params.limit)}${percent ? ` — write ${Number(error.data) / 100} for ${String(error.data)}%` : ''}`;
    }
    case 'minLength':
      return `${where} must not be empty`;
    case 'maxLength':
      return `${where} is longer than ${String(params.limit)} characters`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

// Authors write YAML, so name its shapes: a list, a set of `key: value` lines.
const YAML_SHAPES: Record<string, string> = { array: 'a list', object: 'a set of `key: value` lines', integer: 'a whole number', number: 'a number', string: 'a text', boolean: 'true or false' };

function article(type: string): string {
  return type.split(',').map((t) => YAML_SHAPES[t] ?? `a ${t}`).join(' or ');
}

function patternHelp(pointer: string): string {
  if (/\/id$|^\/id$/.test(pointer) || pointer === '/id') return 'lowercase letters, digits and single hyphens, e.g. lua-dao-otp';
  if (pointer.includes('lessons')) return 'a path to a .md file';
  if (pointer.includes('competencies')) return 'FRAMEWORK:CODE, e.g. tt02:4.2';
  if (pointer === '/iriBase') return 'an absolute IRI, e.g. https://learn.example.vn/xapi';
  if (pointer.startsWith('/prerequisites')) return 'a lesson id: lowercase letters, digits and single hyphens';
  return 'see the schema';
}
