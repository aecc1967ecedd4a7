// The Fn API's JSON as the model sees it: API v2 and 2018 v1 answers converted into the shapes of
// model.ts, and the error every Fn API call throws. Shared by the read half (fnClient.ts) and the
// write half (fnWriter.ts). Pure: no `vscode`.
import type { FnApp, FnFunction, FnTrigger } from './model';

/** A JSON object as the Fn API sends and receives it. */
export type Json = Record<string, unknown>;

/** Every failure of an Fn API call: unreachable server, HTTP error status, malformed answer. */
export class FnApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FnApiError';
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function annotations(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function toV2App(a: Json): FnApp {
  return { id: str(a.id), name: str(a.name) ?? '', annotations: annotations(a.annotations) };
}

export function toV1App(a: Json): FnApp {
  return { name: str(a.name) ?? '', annotations: annotations(a.annotations) };
}

export function toV2Fn(app: FnApp, f: Json): FnFunction {
  const ann = annotations(f.annotations);
  return {
    id: str(f.id),
    appId: app.id,
    appName: app.name,
    name: str(f.name) ?? '',
    image: str(f.image) ?? '',
    memoryMb: num(f.memory),
    timeoutSeconds: num(f.timeout),
    idleTimeoutSeconds: num(f.idle_timeout),
    annotations: ann,
    triggers: [],
    invokeEndpoint: str(ann['fnproject.io/fn/invokeEndpoint']),
  };
}

export function toV2Trigger(t: Json): { fnId: string; trigger: FnTrigger } {
  const ann = annotations(t.annotations);
  return {
    fnId: str(t.fn_id) ?? '',
    trigger: {
      id: str(t.id),
      name: str(t.name) ?? '',
      type: str(t.type) ?? 'http',
      source: str(t.source) ?? '',
      endpoint: str(ann['fnproject.io/trigger/httpEndpoint']),
    },
  };
}

export function toV1Route(app: FnApp, r: Json): FnFunction {
  const path = str(r.path) ?? '';
  return {
    appName: app.name,
    name: path.replace(/^\/+/, ''),
    image: str(r.image) ?? '',
    memoryMb: num(r.memory),
    timeoutSeconds: num(r.timeout),
    idleTimeoutSeconds: num(r.idle_timeout),
    annotations: annotations(r.annotations),
    triggers: [{ name: path, type: 'http', source: path }],
  };
}
