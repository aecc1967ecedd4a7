// Reads and edits a function's func.yaml without losing anything else in it: the `yaml`
// package's Document API finds the `name:` value and its exact source range, and only those
// characters are replaced, so comments, quoting and indentation stay byte for byte. Pure.
import { isMap, isScalar, parseDocument, stringify, type Document } from 'yaml';
import { UserError } from '../common/errors';

function load(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? `${file}:${at.line}:${at.col}` : file;
    throw new UserError(`${where}: invalid YAML: ${error.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) {
    throw new UserError(`${file}: expected a mapping with "name:", "version:", "runtime:" … at the top`);
  }
  return doc;
}

/** The `name:` of a func.yaml, or undefined when it has none. */
export function funcYamlName(text: string, file = 'func.yaml'): string | undefined {
  const name = load(text, file).get('name', true);
  return isScalar(name) && typeof name.value === 'string' && name.value !== '' ? name.value : undefined;
}

/** The same func.yaml with `name:` set to `name` (added at the top when missing); all else kept. */
export function setFuncYamlName(text: string, name: string, file = 'func.yaml'): string {
  const doc = load(text, file);
  // stringify quotes what YAML would read as something else (`123`, `true`, `null`).
  const value = stringify(name).trimEnd();
  const existing = doc.get('name', true);
  if (isScalar(existing) && existing.range) {
    const [start, valueEnd] = existing.range;
    return text.slice(0, start) + value + text.slice(valueEnd);
  }
  if (existing !== undefined) {
    throw new UserError(`${file}: "name:" is not a plain value`);
  }
  // No name yet: a new first key, in front of the first existing one (after leading comments).
  const first = isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
  const at = isScalar(first) && first.range ? first.range[0] : text.length;
  return `${text.slice(0, at)}name: ${value}\n${text.slice(at)}`;
}
