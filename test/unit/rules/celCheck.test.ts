import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CelRule } from '../../../src/rules/celCheck';
import { celRuleCompiles, withDefaults } from '../../../src/rules/celCheck';
import type { JsonSchema } from '../../../src/rules/schemaStore';
import { schemaFiles } from '../../../src/rules/schemaStore';
import { repoRoot, textAt, validate, yaml } from './helpers/rules';

/** Every CEL rule in the generated schemas, by schema file. */
function rulesOf(file: string): CelRule[] {
  const rules: CelRule[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'x-kubernetes-validations') {
          rules.push(...(value as CelRule[]));
        } else {
          walk(value);
        }
      }
    }
  };
  walk(JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', file), 'utf8')));
  return rules;
}

function route(...backendRefs: string[]): string {
  return yaml('apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: web, namespace: demo}', 'spec:', '  parentRefs: [{name: gw}]', '  rules:', '  - backendRefs:', ...backendRefs);
}

describe('rules/celCheck (FNM114)', () => {
  it('the generated schemas keep the CRDs\' CEL rules, and the library parses every one (counts pin regressions)', () => {
    const counts = Object.fromEntries(
      schemaFiles.map((file) => {
        const rules = rulesOf(file);
        return [file, `${rules.filter((r) => celRuleCompiles(r.rule)).length}/${rules.length}`];
      }),
    );
    assert.deepEqual(counts, { 'virtualservice.json': '0/0', 'destinationrule.json': '3/3', 'gateway.json': '3/3', 'httproute.json': '89/89' });
  });

  it('an HTTPRoute backendRef to a Service without port breaks the CRD rule, reported on that backendRef', () => {
    const text = route('    - {name: web-v1, port: 8080, weight: 90}', '    - {name: web-v2, weight: 10}');
    const problems = validate(text);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.message, textAt(text, p)]), [['FNM114', 'error', 'Must have port for Service reference', '{name: web-v2, weight: 10}']]);
  });

  it('is silent when the rule holds, or does not apply (a backendRef of another kind needs no port)', () => {
    assert.deepEqual(validate(route('    - {name: web-v1, port: 8080}')), []);
    assert.deepEqual(validate(route('    - {group: example.com, kind: Bucket, name: b}')), []);
  });

  it('evaluates rules across fields: a path match of type Exact must start with /', () => {
    const text = yaml(
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata: {name: web}',
      'spec:',
      '  rules:',
      '  - matches:',
      '    - path: {type: Exact, value: "api"}',
      '    backendRefs: [{name: web, port: 8080}]',
    );
    const problems = validate(text).filter((p) => p.code === 'FNM114');
    assert.deepEqual(problems.map((p) => [textAt(text, p), p.range.start.line]), [['path', 6]]);
  });

  it('applies schema defaults before evaluating, as the API server does', () => {
    const schema: JsonSchema = { type: 'object', properties: { kind: { type: 'string', default: 'Service' }, port: { type: 'integer' } } };
    assert.deepEqual(withDefaults(schema, { port: 1 }), { port: 1, kind: 'Service' });
    assert.deepEqual(withDefaults(schema, { kind: 'Other' }), { kind: 'Other' });
  });
});
