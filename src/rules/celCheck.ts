// The CRDs' own validation rules (`x-kubernetes-validations`, CEL), kept by the schema generator
// and evaluated here with a maintained CEL library (@marcbachmann/cel-js) rather than re-coded
// one by one: e.g. an HTTPRoute backendRef to a Service needs a port. Like the API server, the
// rules see the object with the schema's defaults applied. Transition rules (`oldSelf`) need the
// old object and are skipped; a rule the library cannot parse, or that fails at evaluation
// (an extension function it lacks, a missing field), is skipped too and counted
// (see `celRuleStats`), so a regression shows in the tests rather than as false alarms.
import type * as Cel from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import type { YamlPath } from './problems';
import { isRecord } from './resources';
import type { JsonSchema } from './schemaStore';

// The package is ESM only; esbuild bundles it, and Node 20.19+ loads it with require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cel = require('@marcbachmann/cel-js') as typeof Cel;

export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
}

type Program = (context: Record<string, unknown>) => unknown;

/** Per rule text: its program, or why it is skipped. */
const programs = new Map<string, Program | 'transition' | 'unparsed'>();

/** How many distinct rules were parsed, skipped as transition rules, or could not be parsed. */
export const celRuleStats = { compiled: 0, transition: 0, unparsed: 0, evaluationErrors: 0 };

function programOf(rule: string): Program | undefined {
  let program = programs.get(rule);
  if (program === undefined) {
    if (/\boldSelf\b/.test(rule)) {
      program = 'transition';
      celRuleStats.transition++;
    } else {
      try {
        program = cel.parse(rule);
        celRuleStats.compiled++;
      } catch {
        program = 'unparsed';
        celRuleStats.unparsed++;
      }
    }
    programs.set(rule, program);
  }
  return typeof program === 'function' ? program : undefined;
}

/** Whether the library parses `rule` (and it is not a transition rule). */
export function celRuleCompiles(rule: string): boolean {
  return programOf(rule) !== undefined;
}

export type CelReport = (message: string, path: YamlPath, rule: CelRule) => void;

/** Evaluates every CEL rule of `schema` on `value` (an object's root) and reports the rules that fail. */
export function checkCelRules(schema: JsonSchema, value: unknown, path: YamlPath, report: CelReport): void {
  if (hasRules(schema)) {
    walk(schema, withDefaults(schema, value), path, report);
  }
}

const rulesBelow = new WeakMap<JsonSchema, boolean>();

/** Whether `schema` or a schema below it carries CEL rules (memoized: schemas never change). */
function hasRules(schema: JsonSchema): boolean {
  let known = rulesBelow.get(schema);
  if (known === undefined) {
    rulesBelow.set(schema, false); // guards against cycles while computing
    const children = [...Object.values(schema.properties ?? {}), ...(schema.items ? [schema.items] : []), ...(schema.allOf ?? [])];
    if (typeof schema.additionalProperties === 'object') {
      children.push(schema.additionalProperties);
    }
    known = (schema['x-kubernetes-validations']?.length ?? 0) > 0 || children.some(hasRules);
    rulesBelow.set(schema, known);
  }
  return known;
}

function walk(schema: JsonSchema, value: unknown, path: YamlPath, report: CelReport): void {
  if (value === undefined || value === null || !hasRules(schema)) {
    return;
  }
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const program = programOf(rule.rule);
    if (!program) {
      continue;
    }
    let result: unknown;
    try {
      result = program({ self: value });
    } catch {
      celRuleStats.evaluationErrors++;
      continue;
    }
    if (result === false) {
      report(rule.message ?? `Fails the CRD rule ${rule.rule}`, [...path, ...fieldPathOf(rule.fieldPath)], rule);
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => walk(schema.items as JsonSchema, item, [...path, i], report));
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[key] ?? (isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (childSchema && Object.prototype.hasOwnProperty.call(value, key)) {
        walk(childSchema, child, [...path, key], report);
      }
    }
  }
  for (const part of schema.allOf ?? []) {
    walk(part, value, path, report);
  }
}

/** `value` with the schema's `default`s filled in where a field is absent (as the API server does). */
export function withDefaults(schema: JsonSchema, value: unknown): unknown {
  if (Array.isArray(value)) {
    return schema.items ? value.map((v) => withDefaults(schema.items as JsonSchema, v)) : value;
  }
  if (!isRecord(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[key];
    out[key] = childSchema ? withDefaults(childSchema, child) : child;
  }
  for (const [key, childSchema] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && childSchema.default !== undefined) {
      out[key] = withDefaults(childSchema, structuredClone(childSchema.default));
    }
  }
  return out;
}

/** `.a.b`, `.a['b']` or `.a[0]` as path segments; unknown forms point at the rule's node. */
function fieldPathOf(fieldPath: string | undefined): YamlPath {
  if (!fieldPath) {
    return [];
  }
  const segments: (string | number)[] = [];
  const re = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\['([^']*)'\]/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < fieldPath.length && (m = re.exec(fieldPath)) !== null) {
    segments.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
  }
  return re.lastIndex === fieldPath.length ? segments : [];
}
