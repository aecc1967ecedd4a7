// What Fn Mesh knows about Fn: apps, functions and triggers, the same for both Fn APIs. Pure.

/** `v2`: current Fn (apps, fns, triggers). `v1`: the 2018 API (apps and routes). */
export type FnApiVersion = 'v2' | 'v1';

export interface FnApp {
  readonly id?: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, unknown>>;
}

export interface FnTrigger {
  readonly id?: string;
  readonly name: string;
  readonly type: string;
  /** Path below the app, e.g. `/hello`. */
  readonly source: string;
  /** Endpoint the server advertises for this trigger, if any. */
  readonly endpoint?: string;
}

export interface FnFunction {
  readonly id?: string;
  readonly appName: string;
  readonly appId?: string;
  /** v2: the function name; v1: the route path without its leading slash. */
  readonly name: string;
  readonly image: string;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  readonly idleTimeoutSeconds?: number;
  readonly annotations: Readonly<Record<string, unknown>>;
  readonly triggers: readonly FnTrigger[];
  /** v2: the `/invoke/<id>` endpoint the server advertises, if any. */
  readonly invokeEndpoint?: string;
}

/** A list that may have been cut short at a limit. */
export interface Listing<T> {
  readonly items: readonly T[];
  /** True when more items exist than were read. */
  readonly truncated: boolean;
}

function joinPath(base: string, ...segments: string[]): string {
  return `${base.replace(/\/+$/, '')}/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

function sourceSegments(source: string): string[] {
  return source.split('/').filter((s) => s.length > 0);
}

/**
 * The URL that invokes `fn`: through its first HTTP trigger when it has one (v2 `/t/<app>/<source>`),
 * otherwise `/invoke/<fnID>`; 2018 servers use `/r/<app>/<route>`. `invokeBase` (the lb node) wins
 * over the endpoints the server advertises, which win over the API URL.
 */
export function invokeUrlFor(fn: FnFunction, api: FnApiVersion, apiUrl: string, invokeBase?: string): string | undefined {
  if (api === 'v1') {
    const route = fn.triggers[0]?.source ?? `/${fn.name}`;
    return joinPath(invokeBase ?? apiUrl, 'r', fn.appName, ...sourceSegments(route));
  }
  const trigger = fn.triggers.find((t) => t.type === 'http');
  if (trigger) {
    if (!invokeBase && trigger.endpoint) {
      return trigger.endpoint;
    }
    return joinPath(invokeBase ?? apiUrl, 't', fn.appName, ...sourceSegments(trigger.source));
  }
  if (!invokeBase && fn.invokeEndpoint) {
    return fn.invokeEndpoint;
  }
  return fn.id ? joinPath(invokeBase ?? apiUrl, 'invoke', fn.id) : undefined;
}

/** One-line summary for a tree item: image, memory, timeout. */
export function describeFunction(fn: FnFunction): string {
  const parts = [fn.image || '(no image)'];
  if (fn.memoryMb !== undefined) {
    parts.push(`${fn.memoryMb} MB`);
  }
  if (fn.timeoutSeconds !== undefined) {
    parts.push(`${fn.timeoutSeconds}s`);
  }
  return parts.join(' · ');
}
