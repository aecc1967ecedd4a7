// Fn's func.yaml (the file `fn deploy` reads): the function name, its HTTP triggers and its
// limits, as the Fn server validates them when the function and triggers are created
// (fnproject/fn api/models: Fn.ValidateName and Validate, Trigger.Validate). Checked so the
// mistakes show in the editor instead of as a failed deploy.
//
// Note: Fn Mesh's routing accepts a narrower set of function names (routing/names.ts, the one
// rule for what Fn Mesh can route) than the server; a name the server takes but routing does not
// is reported as information (FNM801), since such a function deploys but cannot be routed.
import { fnNameProblem } from '../routing/names';
import type { RuleCode, Severity } from './codes';
import type { Problem, YamlPath } from './problems';
import { asArray, asRecord, isRecord } from './resources';
import type { YamlDocument } from './yamlDocuments';
import { problem } from './yamlDocuments';

/** Fn server limits (api/models/fn.go, error.go). Memory in MB, timeouts in seconds. */
export const fnLimits = { maxNameLength: 255, maxMemoryMb: 8 * 1024, maxTimeoutS: 300, maxIdleTimeoutS: 3600 } as const;

/** Whether a file name is a func.yaml (`func.yaml` or `func.yml`, in any folder). */
export function isFuncYaml(uri: string): boolean {
  return /(^|[/\\])func\.ya?ml$/i.test(uri.replace(/[?#].*$/, ''));
}

/** Characters Go's url.PathEscape leaves alone in a path segment: what the Fn server accepts in a function name. */
const pathSegmentSafe = /^[A-Za-z0-9\-_.~$&+,;=:@]*$/;
/** What the server accepts in app and trigger names: letters, numbers, `_`, `-` (Unicode letters too). */
const triggerNameSafe = /^[\p{L}\p{N}_-]*$/u;

/** Problems of one func.yaml document. */
export function checkFuncYaml(doc: YamlDocument): Problem[] {
  const problems: Problem[] = [];
  const at = (code: RuleCode, message: string, path: YamlPath, severity?: Severity): void => {
    const p = problem(code, message, doc.valueRange(path), { path, documentIndex: doc.index });
    problems.push(severity ? { ...p, severity } : p);
  };
  if (!isRecord(doc.value)) {
    return problems;
  }
  const func = doc.value;
  const name = func.name;
  if (name !== undefined) {
    const text = typeof name === 'string' ? name : JSON.stringify(name);
    if (text === '') {
      at('FNM801', 'The function name is empty', ['name']);
    } else if (Buffer.byteLength(text, 'utf8') > fnLimits.maxNameLength) {
      at('FNM801', `The function name is ${Buffer.byteLength(text, 'utf8')} bytes long; Fn allows at most ${fnLimits.maxNameLength}`, ['name']);
    } else if (!pathSegmentSafe.test(text)) {
      at('FNM801', `Fn refuses the function name '${text}': it must not need escaping in a URL path (no spaces, '/', '?', '#', '%' or non-ASCII letters)`, ['name']);
    } else if (fnNameProblem(text) !== undefined) {
      at('FNM801', `Fn accepts '${text}', but Fn Mesh routes only names of letters, digits, '_' and '-'`, ['name'], 'info');
    }
  }
  limit(func.memory, ['memory'], 1, fnLimits.maxMemoryMb, 'memory (MB)', at);
  limit(func.timeout, ['timeout'], 1, fnLimits.maxTimeoutS, 'timeout (seconds)', at);
  limit(func.idle_timeout, ['idle_timeout'], 1, fnLimits.maxIdleTimeoutS, 'idle_timeout (seconds)', at);
  const seen = new Set<string>();
  asArray(func.triggers).forEach((t, i) => {
    const trigger = asRecord(t);
    const path: YamlPath = ['triggers', i];
    const type = trigger.type === undefined ? 'http' : typeof trigger.type === 'string' ? trigger.type : JSON.stringify(trigger.type);
    if (type !== 'http') {
      at('FNM802', `Fn has no trigger type '${type}'; the only one is http`, [...path, 'type']);
    }
    const source = trigger.source;
    if (typeof source !== 'string' || source === '') {
      at('FNM802', 'An HTTP trigger needs a source, the path it answers on (for example /hello)', source === undefined ? path : [...path, 'source']);
    } else if (!source.startsWith('/')) {
      at('FNM802', `The trigger source must start with '/': write /${source}`, [...path, 'source']);
    } else if (seen.has(`${type} ${source}`)) {
      at('FNM802', `Another trigger of this function already answers on ${source}`, [...path, 'source']);
    } else {
      seen.add(`${type} ${source}`);
    }
    const triggerName = trigger.name;
    if (typeof triggerName === 'string' && (triggerName.length > fnLimits.maxNameLength || !triggerNameSafe.test(triggerName) || triggerName === '')) {
      at('FNM802', `Fn refuses the trigger name '${triggerName}': use 1 to ${fnLimits.maxNameLength} letters, digits, '_' or '-'`, [...path, 'name']);
    }
  });
  return problems;
}

type At = (code: RuleCode, message: string, path: YamlPath) => void;

/** 0 or absent means the server default; otherwise a whole number in [min, max]. */
function limit(value: unknown, path: YamlPath, min: number, max: number, what: string, at: At): void {
  if (value === undefined || value === null || value === 0) {
    return;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    at('FNM803', `Fn accepts a ${what} between ${min} and ${max}, not ${JSON.stringify(value)}`, path);
  }
}
