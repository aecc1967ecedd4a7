// Reads what istioctl prints: `istioctl analyze -o json` (a JSON array of messages with code,
// level, message, origin and reference, after any warning lines about files it skipped) and `istioctl validate` (text, one `* Kind/ns/name: why`
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

/** A file (or one document of it) istioctl could not read and left out of the analysis. */
export interface SkippedFile {
  /** The path as istioctl printed it (the one it was given). */
  readonly file: string;
  /** 0-based index of the YAML document in the file. */
  readonly document: number;
  /** istioctl's reason, e.g. `failed converting YAML to JSON: yaml: line 6: …`. */
  readonly reason: string;
}

export interface AnalyzeOutput {
  readonly findings: IstioFinding[];
  /** Files istioctl skipped (it warns and analyzes the rest). */
  readonly skipped: SkippedFile[];
  /** Other lines printed around the JSON (istioctl's log), for the log. */
  readonly logLines: string[];
}

/** `… error processing dir/broken.yaml[0]: failed converting YAML to JSON: … - skipping`. */
export function parseSkipped(line: string): SkippedFile | undefined {
  const m = /\berror processing (.+?)\[(\d+)\]: (.*?)(?:\s+-\s+skipping)?\s*$/.exec(line);
  return m ? { file: m[1], document: Number(m[2]), reason: m[3] } : undefined;
}

/** The JSON value in `lines` that may have log lines before and after it, with where it starts and ends. */
function findJson(lines: readonly string[]): { value: unknown; start: number; end: number } | undefined {
  const ends = lines.flatMap((l, i) => (/[\]}]\s*$/.test(l) ? [i] : [])).reverse();
  for (let start = 0; start < lines.length; start++) {
    if (!/^\s*[[{]/.test(lines[start])) {
      continue;
    }
    for (const end of ends.filter((e) => e >= start)) {
      try {
        return { value: JSON.parse(lines.slice(start, end + 1).join('\n')), start, end };
      } catch {
        // not this span
      }
    }
  }
  return undefined;
}

/**
 * What `istioctl analyze -o json` printed: its findings, the files it skipped and its other log
 * lines. istioctl writes warnings (a file it cannot parse) to stdout before the JSON; those lines
 * are read, not taken for a failure. `stderr` adds the skipped files it lists there. Throws with
 * the start of the text when stdout holds no JSON at all, or JSON that is not a list of messages.
 */
export function parseAnalyzeOutput(stdout: string, stderr = ''): AnalyzeOutput {
  const lines = stdout.split(/\r?\n/);
  const found = stdout.trim() === '' ? { value: [], start: lines.length, end: lines.length } : findJson(lines);
  if (!found) {
    throw new Error(`istioctl analyze did not print JSON: ${stdout.slice(0, 200)}`);
  }
  if (!Array.isArray(found.value)) {
    throw new Error('istioctl analyze printed JSON that is not a list of messages');
  }
  const around = [...lines.slice(0, found.start), ...lines.slice(found.end + 1)].filter((l) => l.trim() !== '');
  const skipped = new Map<string, SkippedFile>();
  for (const line of [...around, ...stderr.split(/\r?\n/)]) {
    const s = parseSkipped(line);
    if (s && !skipped.has(`${s.file}[${s.document}]`)) {
      skipped.set(`${s.file}[${s.document}]`, s);
    }
  }
  return { findings: found.value.map(findingOf), skipped: [...skipped.values()], logLines: around.filter((l) => !parseSkipped(l)) };
}

/** Findings of `istioctl analyze -o json` (log lines around the JSON are left out); throws as parseAnalyzeOutput. */
export function parseAnalyzeJson(stdout: string): IstioFinding[] {
  return parseAnalyzeOutput(stdout).findings;
}

function findingOf(item: unknown): IstioFinding {
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
}

/** The key among `files` (paths given to istioctl) of the file istioctl printed as `printed`. */
export function fileKeyOf(printed: string, files: Iterable<string>): string | undefined {
  for (const key of files) {
    if (key === printed || key.endsWith(`/${printed}`) || printed.endsWith(`/${key}`)) {
      return key;
    }
  }
  return undefined;
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
