#!/usr/bin/env node
// Generates the JSON schemas in schemas/ from the official CRDs, so the schemas are never
// hand-written: Istio's from the Go module istio.io/api, HTTPRoute's from
// sigs.k8s.io/gateway-api. Both modules come from the Go module proxy through `go mod download`
// (safe to run concurrently with other downloads of the same modules).
//
//   node scripts/generate-schemas.mjs          regenerate schemas/*.json
//   node scripts/generate-schemas.mjs --check  fail if the committed files are out of date
//
// What the conversion does, from a CRD's structural OpenAPI v3 schema to JSON Schema draft-07:
// - `nullable: true` becomes a `null` member of `type`;
// - objects with `properties` and no `additionalProperties` get `additionalProperties: false`
//   (the API server prunes or, under strict field validation, rejects unknown fields) unless
//   they carry `x-kubernetes-preserve-unknown-fields`;
// - `x-kubernetes-int-or-string` becomes `anyOf: [integer, string]`;
// - the CEL rule `duration(self) >= duration('1ms')` becomes `x-fnmesh-duration` (Fn Mesh's
//   validator checks Go durations); other CEL rules are kept as `x-kubernetes-validations`
//   (rule, message, messageExpression, fieldPath, reason; Fn Mesh evaluates them with a CEL
//   library, JSON Schema tools ignore the keyword); other `x-kubernetes-*` hints are dropped;
// - apiVersion, kind and metadata (an ObjectMeta subset) are added at the top.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsYaml from 'js-yaml';

const ISTIO_API = { module: 'istio.io/api', version: 'v1.32.0', file: 'kubernetes/customresourcedefinitions.gen.yaml' };
const GATEWAY_API = {
  module: 'sigs.k8s.io/gateway-api',
  version: 'v1.6.3',
  file: 'config/crd/standard/gateway.networking.k8s.io_httproutes.yaml',
};
const OUTPUTS = [
  { source: ISTIO_API, group: 'networking.istio.io', kind: 'VirtualService', file: 'virtualservice.json' },
  { source: ISTIO_API, group: 'networking.istio.io', kind: 'DestinationRule', file: 'destinationrule.json' },
  { source: ISTIO_API, group: 'networking.istio.io', kind: 'Gateway', file: 'gateway.json' },
  { source: GATEWAY_API, group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', file: 'httproute.json' },
];
const COMBINED_FILE = 'fn-mesh-rules.json';
const DURATION_RULE = "duration(self) >= duration('1ms')";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'schemas');
const stats = { celRules: 0, durations: 0 };

function die(message) {
  console.error(`generate-schemas: ERROR: ${message}`);
  process.exit(1);
}

/** Directory of a downloaded Go module (downloads it into the Go module cache if needed). */
function moduleDir({ module, version }) {
  let out;
  try {
    // Run outside any Go module so the repository's tools/ modules play no part.
    out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
  } catch (err) {
    if (err.code === 'ENOENT') {
      die("'go' not found on PATH (Go is needed to download the CRD modules)");
    }
    die(`go mod download ${module}@${version} failed: ${err.stderr || err.message}`);
  }
  const info = JSON.parse(out);
  if (info.Error || !info.Dir) {
    die(`go mod download ${module}@${version}: ${info.Error ?? 'no Dir in output'}`);
  }
  return info.Dir;
}

/** The CRD documents of one source file, by `<group>/<kind>`. */
function loadCrds(source) {
  const file = path.join(moduleDir(source), source.file);
  if (!fs.existsSync(file)) {
    die(`${source.module}@${source.version} has no ${source.file}`);
  }
  const crds = new Map();
  for (const doc of jsYaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (doc?.kind === 'CustomResourceDefinition') {
      crds.set(`${doc.spec.group}/${doc.spec.names.kind}`, doc);
    }
  }
  return crds;
}

/** Converts one structural-schema node (see the header comment). */
function convert(node) {
  if (Array.isArray(node)) {
    return node.map(convert);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    } else if (['items', 'additionalProperties', 'not', 'oneOf', 'anyOf', 'allOf'].includes(key)) {
      out[key] = convert(value);
    } else if (key === 'x-kubernetes-validations') {
      for (const rule of value) {
        if (rule.rule === DURATION_RULE) {
          out['x-fnmesh-duration'] = { minimum: '1ms' };
          stats.durations++;
        } else {
          const kept = Object.fromEntries(['rule', 'message', 'messageExpression', 'fieldPath', 'reason'].filter((k) => rule[k] !== undefined).map((k) => [k, rule[k]]));
          (out['x-kubernetes-validations'] ??= []).push(kept);
          stats.celRules++;
        }
      }
    } else if (key === 'x-kubernetes-int-or-string') {
      out.anyOf ??= [{ type: 'integer' }, { type: 'string' }];
    } else if (key !== 'nullable' && key !== 'x-kubernetes-preserve-unknown-fields' && !key.startsWith('x-kubernetes-')) {
      out[key] = value;
    }
  }
  if (node.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  }
  if (out.properties && out.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** The ObjectMeta fields a manifest may carry (apiVersion, kind and metadata are not in Istio's CRD schemas). */
function objectMetaSchema() {
  const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
  return {
    type: 'object',
    description: 'Standard Kubernetes object metadata.',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: {
        type: 'string',
        maxLength: 253,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
        description: 'Name of the resource: a DNS subdomain (lowercase letters, digits, "-" and ".").',
      },
      namespace: {
        type: 'string',
        maxLength: 63,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: 'Namespace of the resource (the current namespace when omitted).',
      },
      labels: { ...stringMap, description: 'Labels: string keys and string values.' },
      annotations: { ...stringMap, description: 'Annotations: string keys and string values.' },
      generateName: { type: 'string' },
      uid: { type: 'string' },
      resourceVersion: { type: 'string' },
      generation: { type: 'integer' },
      creationTimestamp: { type: ['string', 'null'] },
      deletionTimestamp: { type: ['string', 'null'] },
      deletionGracePeriodSeconds: { type: 'integer' },
      finalizers: { type: 'array', items: { type: 'string' } },
      ownerReferences: { type: 'array', items: { type: 'object' } },
      managedFields: { type: 'array', items: { type: 'object' } },
      selfLink: { type: 'string' },
    },
  };
}

/** One output schema: every served version whose schema equals the storage version's. */
function resourceSchema(output, crd) {
  const storage = crd.spec.versions.find((v) => v.storage);
  const same = crd.spec.versions.filter(
    (v) => v.served && JSON.stringify(v.schema.openAPIV3Schema) === JSON.stringify(storage.schema.openAPIV3Schema),
  );
  const differing = crd.spec.versions.filter((v) => v.served && !same.includes(v)).map((v) => v.name);
  if (differing.length > 0) {
    // Would need one schema per version; none of the pinned CRDs needs that today.
    die(`${output.kind}: served versions ${differing.join(', ')} differ from ${storage.name}; split the output`);
  }
  const body = convert(storage.schema.openAPIV3Schema);
  const apiVersions = same.map((v) => `${output.group}/${v.name}`);
  const { source } = output;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${output.kind} (${apiVersions.join(', ')})`,
    $comment: `Generated by scripts/generate-schemas.mjs from ${source.module}@${source.version} ${source.file}. Do not edit.`,
    type: 'object',
    required: [...new Set(['apiVersion', 'kind', 'metadata', ...(body.required ?? [])])],
    additionalProperties: false,
    properties: {
      apiVersion: { type: 'string', enum: apiVersions, description: 'API group and version.' },
      kind: { type: 'string', enum: [output.kind] },
      metadata: objectMetaSchema(),
      ...Object.fromEntries(Object.entries(body.properties).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k))),
    },
  };
}

/** One schema for every rule file: dispatches on apiVersion + kind, leaves other documents alone. */
function combinedSchema(schemas) {
  const definitions = {};
  const allOf = [];
  for (const [file, schema] of schemas) {
    const name = path.basename(file, '.json');
    const definition = { ...schema };
    delete definition.$schema;
    delete definition.$comment;
    definitions[name] = definition;
    allOf.push({
      if: {
        required: ['apiVersion', 'kind'],
        properties: { apiVersion: { enum: schema.properties.apiVersion.enum }, kind: { enum: schema.properties.kind.enum } },
      },
      then: { $ref: `#/definitions/${name}` },
    });
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Fn Mesh route rules (Istio networking and Gateway API HTTPRoute)',
    $comment: 'Generated by scripts/generate-schemas.mjs. Do not edit.',
    definitions,
    allOf,
  };
}

function main() {
  const check = process.argv.includes('--check');
  const crdsBySource = new Map();
  const written = new Map();
  for (const output of OUTPUTS) {
    if (!crdsBySource.has(output.source)) {
      crdsBySource.set(output.source, loadCrds(output.source));
    }
    const crd = crdsBySource.get(output.source).get(`${output.group}/${output.kind}`);
    if (!crd) {
      die(`no CRD for ${output.group}/${output.kind} in ${output.source.module}@${output.source.version}`);
    }
    written.set(output.file, resourceSchema(output, crd));
  }
  written.set(COMBINED_FILE, combinedSchema([...written]));

  let stale = 0;
  fs.mkdirSync(outDir, { recursive: true });
  for (const [file, schema] of written) {
    const target = path.join(outDir, file);
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (current === text) {
      continue;
    }
    stale++;
    if (check) {
      console.error(`generate-schemas: schemas/${file} is out of date`);
    } else {
      fs.writeFileSync(target, text);
      console.log(`generate-schemas: wrote schemas/${file} (${text.length} bytes)`);
    }
  }
  console.log(
    `generate-schemas: ${written.size} schemas, ${stale} ${check ? 'stale' : 'changed'}; ` +
      `${stats.durations} duration fields, ${stats.celRules} other CEL rules kept`,
  );
  if (check && stale > 0) {
    process.exit(1);
  }
}

main();
