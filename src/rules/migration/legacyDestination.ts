// Shared pieces of the 2018 (config.istio.io/v1alpha2) to networking.istio.io/v1 migration:
// destinations as hosts and label sets as subset names.
import { clusterDomain } from '../hosts';
import { asRecord, asString, asStringMap } from '../resources';

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

/** A duration as v1 writes it (v1alpha2 used the same Go/protobuf syntax). */
export function durationOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? `${value}s` : undefined;
}
