// Validates Istio and Gateway API documents against the generated CRD schemas with a small
// validator of our own: it covers exactly the keywords those schemas use, points each error at
// the offending key or value, and words `oneOf` groups the way Istio documents them
// ("set only one of exact, prefix, regex"). Documents of other kinds are left alone.
import { checkCelRules } from './celCheck';
import type { RuleCode } from './codes';
import { maxGoDurationNanos, oneMillisecond, parseGoDuration } from './durations';
import type { Problem, YamlPath } from './problems';
import { isRecord, legacyIstioConfig, resourceRef } from './resources';
import type { JsonSchema, SchemaStore } from './schemaStore';
import type { YamlDocument } from './yamlDocuments';
import { problem } from './yamlDocuments';

/** Schema problems of one document (none for documents no schema covers). */
export function checkSchema(doc: YamlDocument, store: SchemaStore): Problem[] {
  const ref = resourceRef(doc.value);
  if (!ref) {
    return [];
  }
  const at = (code: RuleCode, message: string, path: YamlPath, target: Target): Problem =>
    problem(code, message, target === 'key' ? doc.keyRange(path) : doc.valueRange(path), { path, documentIndex: doc.index });
  const schema = store.schemaFor(ref.apiVersion, ref.kind);
  if (!schema) {
    if (ref.group === legacyIstioConfig && (ref.kind === 'RouteRule' || ref.kind === 'DestinationPolicy')) {
      return [at('FNM111', `${ref.kind} (${ref.apiVersion}) was removed from Istio; convert it with Fn Mesh: Migrate`, ['apiVersion'], 'value')];
    }
    const served = store.servedVersions(ref.group, ref.kind);
    return served.length === 0 ? [] : [at('FNM109', `${ref.kind} is served as ${served.join(', ')}, not ${ref.apiVersion}`, ['apiVersion'], 'value')];
  }
  const problems: Problem[] = [];
  if (ref.version !== 'v1') {
    const current = store.servedVersions(ref.group, ref.kind).find((v) => v.endsWith('/v1'));
    if (current) {
      problems.push(at('FNM110', `${ref.apiVersion} is still served; ${current} is current`, ['apiVersion'], 'value'));
    }
  }
  // `status` is written by controllers, never by the user (the API server ignores it on apply):
  // a copy from `kubectl get -o yaml` must not be judged.
  const withoutStatus = isRecord(doc.value) && 'status' in doc.value ? Object.fromEntries(Object.entries(doc.value).filter(([k]) => k !== 'status')) : doc.value;
  validate(schema, withoutStatus, [], (code, message, path, target) => problems.push(at(code, message, path, target)));
  // The CRD's CEL rules only make sense on a structurally valid object.
  if (problems.every((p) => p.severity !== 'error')) {
    checkCelRules(schema, withoutStatus, [], (message, path) => problems.push(at('FNM114', message, path, 'key')));
  }
  return problems;
}

type Target = 'key' | 'value';
type Report = (code: RuleCode, message: string, path: YamlPath, target: Target) => void;

const int32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function validate(schema: JsonSchema, value: unknown, path: YamlPath, report: Report): void {
  if (value === null && !allowsNull(schema)) {
    report('FNM108', `'${String(path[path.length - 1] ?? 'document')}' has no value; the API server drops it`, path, 'key');
    return;
  }
  if (schema.type !== undefined && !hasType(schema.type, value)) {
    const quote = hasType(schema.type, String(value)) && (typeof value === 'number' || typeof value === 'boolean') ? '; quote the value' : '';
    report('FNM102', `Expected ${describeType(schema.type)}, found ${typeName(value)}${quote}`, path, 'value');
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    const close = typeof value === 'string' ? schema.enum.find((e) => typeof e === 'string' && e.toLowerCase() === value.toLowerCase()) : undefined;
    const hint = close === undefined ? `one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` : `'${close as string}'`;
    report('FNM104', `'${String(value)}' is not allowed here; use ${hint}`, path, 'value');
  }
  if (typeof value === 'number') {
    checkNumber(schema, value, path, report);
  } else if (typeof value === 'string') {
    checkString(schema, value, path, report);
  } else if (Array.isArray(value)) {
    checkArray(schema, value, path, report);
  } else if (isRecord(value)) {
    checkObject(schema, value, path, report);
  }
  checkCombinators(schema, value, path, report);
}

function checkNumber(schema: JsonSchema, value: number, path: YamlPath, report: Report): void {
  const [min, max] = [schema.minimum, schema.maximum];
  if (schema.format === 'int32' && (value < int32.min || value > int32.max)) {
    report('FNM105', `${value} does not fit a 32-bit integer`, path, 'value');
  } else if (schema.format === 'int64' && !Number.isSafeInteger(value)) {
    report('FNM105', `${value} is too large to be represented exactly`, path, 'value');
  } else if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
    report('FNM105', `${value} is out of range: must be ${range}`, path, 'value');
  }
}

function checkString(schema: JsonSchema, value: string, path: YamlPath, report: Report): void {
  const duration = schema['x-fnmesh-duration'];
  if (duration) {
    const nanos = parseGoDuration(value);
    if (nanos === undefined) {
      report('FNM504', `'${value}' is not a duration (use a number with a unit: 300ms, 1.5s, 2m, 1h)`, path, 'value');
    } else if (Math.abs(nanos) > maxGoDurationNanos) {
      report('FNM504', `'${value}' is longer than any duration can be (at most about 292 years, e.g. 2562047h)`, path, 'value');
    } else if (nanos < oneMillisecond) {
      report('FNM505', `'${value}' is shorter than 1ms`, path, 'value');
    }
    return;
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    report('FNM107', schema.minLength === 1 ? 'Must not be empty' : `Must be at least ${schema.minLength} characters long`, path, 'value');
  } else if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    report('FNM107', `Must be at most ${schema.maxLength} characters long (is ${value.length})`, path, 'value');
  } else if (schema.pattern !== undefined && !matchesPattern(schema.pattern, value)) {
    report('FNM107', `'${value}' does not match the pattern ${schema.pattern}`, path, 'value');
  } else if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) {
    report('FNM107', `'${value}' is not an RFC 3339 date-time`, path, 'value');
  } else if (schema.format === 'byte' && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    report('FNM107', 'Must be base64-encoded', path, 'value');
  }
}

function checkArray(schema: JsonSchema, value: readonly unknown[], path: YamlPath, report: Report): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    report('FNM107', `Needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`, path, 'key');
  } else if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    report('FNM107', `Allows at most ${schema.maxItems} items (has ${value.length})`, path, 'key');
  }
  if (schema.items) {
    value.forEach((item, i) => validate(schema.items as JsonSchema, item, [...path, i], report));
  }
}

function checkObject(schema: JsonSchema, value: Readonly<Record<string, unknown>>, path: YamlPath, report: Report): void {
  const properties = schema.properties ?? {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (childSchema) {
      // A required field left empty is reported once, as missing (below).
      if (!(child === null && schema.required?.includes(key) && !allowsNull(childSchema))) {
        validate(childSchema, child, [...path, key], report);
      }
    } else if (schema.additionalProperties === false) {
      const guess = closest(key, Object.keys(properties));
      report('FNM101', `Unknown field '${key}'${guess ? `; did you mean '${guess}'?` : ''}`, [...path, key], 'key');
    } else if (isRecord(schema.additionalProperties)) {
      validate(schema.additionalProperties, child, [...path, key], report);
    }
  }
  for (const name of schema.required ?? []) {
    const present = value[name];
    if (present === undefined || (present === null && !allowsNull(properties[name] ?? {}))) {
      report('FNM103', `Missing required field '${name}'`, present === null ? [...path, name] : path, 'key');
    }
  }
  if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties) {
    report('FNM107', `Allows at most ${schema.maxProperties} entries`, path, 'key');
  }
}

function checkCombinators(schema: JsonSchema, value: unknown, path: YamlPath, report: Report): void {
  for (const part of schema.allOf ?? []) {
    validate(part, value, path, report);
  }
  if (schema.oneOf && schema.oneOf.filter((s) => matches(s, value)).length !== 1) {
    const exclusive = exclusiveFields(schema.oneOf);
    // In source order, so the second field written is the one underlined.
    const present = exclusive && isRecord(value) ? Object.keys(value).filter((k) => exclusive.includes(k)) : [];
    if (exclusive && present.length > 1) {
      report('FNM106', `Set only one of ${present.join(', ')}`, [...path, present[1]], 'key');
    } else {
      report('FNM106', 'Matches none or several of the allowed forms', path, 'key');
    }
  }
  if (schema.anyOf && !schema.anyOf.some((s) => matches(s, value))) {
    const needed = schema.anyOf.every((s) => s.required?.length === 1 && Object.keys(s).length === 1);
    if (needed) {
      report('FNM103', `Needs one of ${schema.anyOf.map((s) => s.required?.[0]).join(', ')}`, path, 'key');
    } else {
      const types = schema.anyOf.map((s) => s.type).filter((t) => t !== undefined);
      report('FNM102', types.length > 0 ? `Expected ${types.map(describeType).join(' or ')}, found ${typeName(value)}` : 'Does not match any allowed form', path, 'value');
    }
  }
  if (schema.not && matches(schema.not, value)) {
    report('FNM106', 'This combination of fields is not allowed', path, 'key');
  }
}

/** Whether `value` satisfies `schema` (for branches of oneOf/anyOf/not). */
function matches(schema: JsonSchema, value: unknown): boolean {
  let ok = true;
  validate(schema, value, [], () => {
    ok = false;
  });
  return ok;
}

/**
 * The field names of Istio's "at most one of" pattern: oneOf [not anyOf [required a, required b],
 * required a, required b]; undefined for any other oneOf.
 */
function exclusiveFields(oneOf: readonly JsonSchema[]): string[] | undefined {
  const fields: string[] = [];
  for (const branch of oneOf) {
    if (branch.required?.length === 1 && Object.keys(branch).length === 1) {
      fields.push(branch.required[0]);
    } else if (!branch.not?.anyOf) {
      return undefined;
    }
  }
  return fields.length > 0 ? fields : undefined;
}

function allowsNull(schema: JsonSchema): boolean {
  return Array.isArray(schema.type) && schema.type.includes('null');
}

function hasType(type: string | readonly string[], value: unknown): boolean {
  return (typeof type === 'string' ? [type] : type).some((t) => {
    switch (t) {
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'object':
        return isRecord(value);
      case 'array':
        return Array.isArray(value);
      case 'null':
        return value === null;
      default:
        return typeof value === t;
    }
  });
}

function describeType(type: string | readonly string[]): string {
  const names = (typeof type === 'string' ? [type] : type).filter((t) => t !== 'null');
  return names.map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${t}`)).join(' or ');
}

function typeName(value: unknown): string {
  if (value === null) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  }
  if (typeof value === 'boolean') {
    return `the boolean ${value}`;
  }
  return typeof value === 'string' ? `the string '${value}'` : 'a mapping';
}

const patterns = new Map<string, RegExp | null>();

/** CRD patterns are RE2; the few JavaScript cannot compile are skipped rather than misapplied. */
function matchesPattern(pattern: string, value: string): boolean {
  if (!patterns.has(pattern)) {
    try {
      patterns.set(pattern, new RegExp(pattern));
    } catch {
      patterns.set(pattern, null);
    }
  }
  const re = patterns.get(pattern);
  return !re || re.test(value);
}

/** The closest known name within two edits (or equal ignoring case), for "did you mean". */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) {
    return limit;
  }
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
