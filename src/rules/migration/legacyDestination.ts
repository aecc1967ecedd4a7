// Shared pieces of the 2018 (config.istio.io/v1alpha2) to networking.istio.io/v1 migration:
// destinations as hosts and label sets as subset names.
import { parseGoDuration } from '../durations';
import { clusterDomain } from '../hosts';
import type { YamlPath } from '../problems';
import { asRecord, asString, asStringMap } from '../resources';
import type { NoteSink } from './notes';

/**
 * The v1 host for a v1alpha2 IstioService ({name, namespace, domain, service}): the short name
 * when it lives in the rule's namespace, the fully qualified name otherwise.
 */
export function legacyHost(destination: unknown, ruleNamespace: string | undefined): string | undefined {
  const d = asRecord(destination);
  const service = asString(d.service);
  if (service) {
    return service;
  }
  const name = asString(d.name);
  if (!name) {
    return undefined;
  }
  const namespace = asString(d.namespace);
  if (!namespace || namespace === ruleNamespace) {
    return name;
  }
  return `${name}.${namespace}.svc.${asString(d.domain) ?? clusterDomain}`;
}

/** A subset name for a label set: the `version` label alone names it, else the values joined. */
export function subsetName(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  const raw = entries.length === 1 && labels.version !== undefined ? labels.version : entries.map(([, v]) => v).join('-');
  const name = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return name === '' ? 'default' : name;
}

export function labelsOf(value: unknown): Readonly<Record<string, string>> {
  return asStringMap(value);
}

const longUnits: Readonly<Record<string, number>> = { d: 24, w: 168 };

/**
 * A duration as v1 writes it (Go syntax: 300ms, 1.5s, 2m, 1h). A number means seconds. Days and
 * weeks (`1d`, `2w`), which 2018 files sometimes held and Istio refuses, become hours, with an
 * info note; anything else that does not parse is kept and noted as a warning.
 */
export function durationOf(value: unknown, path?: YamlPath, notes?: NoteSink): string | undefined {
  if (typeof value === 'number') {
    return `${value}s`;
  }
  if (typeof value !== 'string' || parseGoDuration(value) !== undefined) {
    return typeof value === 'string' ? value : undefined;
  }
  const long = /^(\d+(?:\.\d+)?)([dw])$/.exec(value.trim());
  if (long) {
    const hours = `${Number(long[1]) * longUnits[long[2]]}h`;
    if (path) {
      notes?.info(path, `'${value}' is not a duration Istio accepts (no days or weeks): written as ${hours}`);
    }
    return hours;
  }
  if (path) {
    notes?.warn(path, `'${value}' is not a duration Istio accepts (write it like 300ms, 1.5s, 2m or 1h); kept as it is`);
  }
  return value;
}
