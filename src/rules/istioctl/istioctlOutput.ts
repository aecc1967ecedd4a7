// Reads what istioctl prints: `istioctl analyze -o json` (a JSON array of messages with code,
// level, message, origin and reference) and `istioctl validate` (text, one `* Kind/ns/name: why`
// line per invalid object), and places each finding on a range of a workspace file: the line
// istioctl references, else the metadata.name of the object it names. Pure; no process here.
import { namespaceOf } from '../hosts';
import type { Range } from '../problems';
import { asRecord, asString } from '../resources';
import type { YamlFile } from '../yamlDocuments';

export type IstioLevel = 'error' | 'warning' | 'info';

export interface IstioFinding {
  /** IST code (`IST0101`), or `validate` for `istioctl validate` errors. */
  readonly code: string;
  readonly level: IstioLevel;
  readonly message: string;
  /** The object the finding is about, when istioctl names one. */
  readonly origin?: { readonly kind: string; readonly namespace?: string; readonly name: string };
  /** File and 1-based line istioctl points at, when it does. */
  readonly reference?: { readonly file: string; readonly line: number };
  /** Istio's page for the code. */
  readonly documentationUrl: string;
}

/** Istio's documentation page of an analyzer code. */
export function istioDocsUrl(code: string): string {
  return /^IST\d{4}$/.test(code)
    ? `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/`
    : 'https://istio.io/latest/docs/reference/config/networking/';
}

/** `VirtualService demo/web`, `networking.istio.io/v1 VirtualService demo/web`, `Gateway gw`. */
export function parseOrigin(origin: string): IstioFinding['origin'] {
  const parts = origin.trim().split(/\s+/);
  if (parts.length < 2) {
    return undefined;
  }
  const id = parts[parts.length - 1];
  const kind = parts[parts.length - 2];
  const slash = id.indexOf('/');
  return slash < 0 ? { kind, name: id } : { kind, namespace: id.slice(0, slash), name: id.slice(slash + 1) };
}

/** `file.yaml:12` (1-based line), as analyze prints references. */
export function parseReference(reference: string): IstioFinding['reference'] {
  const m = /^(.*):(\d+)$/.exec(reference.trim());
  return m ? { file: m[1], line: Number(m[2]) } : undefined;
}

const levels: Record<string, IstioLevel> = { error: 'error', warning: 'warning', info: 'info' };

/** Findings of `istioctl analyze -o json`; throws with the start of the text when it is not that JSON. */
export function parseAnalyzeJson(stdout: string): IstioFinding[] {
  let data: unknown;
  try {
    data = JSON.parse(stdout.trim() === '' ? '[]' : stdout);
  } catch {
    throw new Error(`istioctl analyze did not print JSON: ${stdout.slice(0, 200)}`);
  }
  if (!Array.isArray(data)) {
    throw new Error('istioctl analyze printed JSON that is not a list of messages');
  }
  return data.map((item) => {
    const m = asRecord(item);
    const code = asString(m.code) ?? 'IST????';
    const origin = asString(m.origin);
    const reference = asString(m.reference);
    return {
      code,
      level: levels[(asString(m.level) ?? '').toLowerCase()] ?? 'info',
      message: asString(m.message) ?? '',
      origin: origin ? parseOrigin(origin) : undefined,
      reference: reference ? parseReference(reference) : undefined,
      documentationUrl: (asString(m.documentationUrl) ?? istioDocsUrl(code)).replace(/\?ref=[^&]*$/, ''),
    };
  });
}

/** Errors printed by `istioctl validate` (`* VirtualService/demo/web: weight -10 < 0`). */
export function parseValidateText(output: string): IstioFinding[] {
  const findings: IstioFinding[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*\*\s+([A-Za-z]+)\/([^/:\s]*)\/([^:\s]+):\s*(.*)$/.exec(line) ?? /^\s*\*\s+([A-Za-z]+)\/()([^:\s]+):\s*(.*)$/.exec(line);
    if (m) {
      findings.push({
        code: 'validate',
        level: 'error',
        message: m[4].trim(),
        origin: { kind: m[1], namespace: m[2] || undefined, name: m[3] },
        documentationUrl: istioDocsUrl('validate'),
      });
    }
  }
  return findings;
}

export interface PlacedFinding {
  /** Key of the file (as in `files`). */
  readonly file: string;
  readonly range: Range;
}

/**
 * Where a finding belongs among `files` (key: the path given to istioctl): the referenced line
 * (trimmed), else the metadata.name of the named object (namespace defaulted as istioctl does
 * with `defaultNamespace`), else undefined (a cluster object, or one istioctl names differently).
 */
export function placeFinding(finding: IstioFinding, files: ReadonlyMap<string, YamlFile>, defaultNamespace = 'default'): PlacedFinding | undefined {
  const ref = finding.reference;
  if (ref) {
    for (const [key, file] of files) {
      if (key === ref.file || key.endsWith(`/${ref.file}`) || ref.file.endsWith(key)) {
        const lines = file.text.split('\n');
        const text = lines[ref.line - 1] ?? '';
        const start = text.length - text.trimStart().length;
        const end = text.trimEnd().length;
        return { file: key, range: { start: { line: ref.line - 1, character: start }, end: { line: ref.line - 1, character: Math.max(start, end) } } };
      }
    }
  }
  const origin = finding.origin;
  if (!origin) {
    return undefined;
  }
  for (const [key, file] of files) {
    for (const doc of file.documents) {
      const value = asRecord(doc.value);
      const metadata = asRecord(value.metadata);
      if (
        asString(value.kind) === origin.kind &&
        asString(metadata.name) === origin.name &&
        (origin.namespace === undefined || namespaceOf(asString(metadata.namespace), defaultNamespace) === origin.namespace)
      ) {
        return { file: key, range: doc.valueRange(['metadata', 'name']) };
      }
    }
  }
  return undefined;
}
