import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasLegacyRules, migrateText } from '../../../src/rules/migrate';
import { subsetName } from '../../../src/rules/migration/legacyDestination';
import { repoRoot, validate, yaml } from './helpers/rules';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'rules', 'migration');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

describe('rules/migrate', () => {
  it('converts the 2018 hello-app rules into the expected VirtualService and DestinationRule (golden file)', () => {
    const result = migrateText(read('hello-app-2018.yaml'));
    assert.equal(result.converted, 3);
    assert.equal(result.yaml, read('hello-app-v1.yaml'));
    assert.deepEqual(
      result.resources.map((r) => r.kind),
      ['VirtualService', 'DestinationRule'],
    );
  });

  it('produces resources that validate clean', () => {
    assert.deepEqual(validate(migrateText(read('hello-app-2018.yaml')).yaml), []);
  });

  it('reports what has no equivalent, with the source document and field', () => {
    const { notes } = migrateText(read('hello-app-2018.yaml'));
    assert.deepEqual(
      notes.map((n) => [n.severity, n.documentIndex, n.path.join('.')]),
      [
        ['warning', 1, 'spec.match.source.name'],
        ['info', 1, 'spec.websocketUpgrade'],
      ],
    );
  });

  it('orders routes by precedence, then matches before catch-alls', () => {
    const rule = (name: string, precedence: number, match: boolean) =>
      yaml(
        'apiVersion: config.istio.io/v1alpha2',
        'kind: RouteRule',
        `metadata: {name: ${name}}`,
        'spec:',
        '  destination: {name: reviews}',
        `  precedence: ${precedence}`,
        ...(match ? ['  match: {request: {headers: {x-user: {exact: jason}}}}'] : []),
        `  route: [{labels: {version: ${name}}}]`,
      );
    const result = migrateText([rule('low', 1, false), rule('catchall', 5, false), rule('pinned', 5, true)].join('---\n'));
    const http = (result.resources[0].spec as { http: { route: { destination: { subset: string } }[] }[] }).http;
    assert.deepEqual(
      http.map((h) => h.route[0].destination.subset),
      ['pinned', 'catchall', 'low'],
    );
    assert.ok(result.notes.some((n) => n.severity === 'info' && /same precedence/.test(n.message)));
  });

  it('turns a DestinationPolicy without labels into the rule-wide traffic policy, and keeps other documents', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: ratings}',
      '---',
      'apiVersion: config.istio.io/v1alpha2',
      'kind: DestinationPolicy',
      'metadata: {name: ratings-lb}',
      'spec:',
      '  destination: {name: ratings, namespace: prod}',
      '  loadBalancing: {name: RANDOM}',
      '  circuitBreaker: {simpleCb: {maxConnections: 5, bogus: 1}}',
      '---',
      'apiVersion: config.istio.io/v1alpha2',
      'kind: EgressRule',
      'metadata: {name: google}',
    );
    const result = migrateText(text);
    assert.deepEqual(result.resources[1], {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'ratings' },
      spec: { host: 'ratings.prod.svc.cluster.local', trafficPolicy: { loadBalancer: { simple: 'RANDOM' }, connectionPool: { tcp: { maxConnections: 5 } } } },
    });
    assert.equal(result.resources[0].kind, 'Service');
    assert.equal(result.resources[2].kind, 'EgressRule');
    assert.deepEqual(
      result.notes.map((n) => n.path.join('.')),
      ['spec.circuitBreaker.simpleCb.bogus', 'kind'],
    );
  });

  it('names subsets after the version label, or after all label values', () => {
    assert.equal(subsetName({ version: 'v1' }), 'v1');
    assert.equal(subsetName({ version: 'v2', track: 'Canary' }), 'v2-canary');
    assert.equal(subsetName({ '': '' }), 'default');
  });

  it('recognises files worth migrating', () => {
    assert.equal(hasLegacyRules(read('hello-app-2018.yaml')), true);
    assert.equal(hasLegacyRules(read('hello-app-v1.yaml')), false);
    assert.equal(hasLegacyRules('{{{ not yaml'), false);
  });

  it('converts a CORS maxAge in days to hours and flags a duration Istio refuses', () => {
    const rule = (maxAge: string) =>
      yaml(
        'apiVersion: config.istio.io/v1alpha2',
        'kind: RouteRule',
        'metadata: {name: web}',
        'spec:',
        '  destination: {name: web}',
        `  corsPolicy: {allowOrigin: [example.com], maxAge: ${maxAge}}`,
      );
    const days = migrateText(rule('1d'));
    const cors = (days.resources[0].spec as { http: { corsPolicy: { maxAge: string } }[] }).http[0].corsPolicy;
    assert.equal(cors.maxAge, '24h');
    assert.deepEqual(days.notes.map((n) => [n.severity, n.path.join('.')]), [['info', 'spec.corsPolicy.maxAge']]);
    assert.deepEqual(validate(days.yaml), []);
    const odd = migrateText(rule('soon'));
    assert.deepEqual(odd.notes.map((n) => [n.severity, n.path.join('.')]), [['warning', 'spec.corsPolicy.maxAge']]);
    assert.deepEqual(validate(odd.yaml).map((p) => p.code), ['FNM504']);
    assert.deepEqual(migrateText(rule('90s')).notes, []);
  });

  it('adds a catch-all route when every RouteRule has a match, as the 2018 mesh routed unmatched requests, and says so', () => {
    const rule = (name: string, version: string) =>
      yaml(
        'apiVersion: config.istio.io/v1alpha2',
        'kind: RouteRule',
        `metadata: {name: ${name}}`,
        'spec:',
        '  destination: {name: reviews}',
        '  match: {request: {headers: {x-user: {exact: jason}}}}',
        `  route: [{labels: {version: ${version}}}]`,
      );
    const result = migrateText(rule('pinned', 'v2'));
    const http = (result.resources[0].spec as { http: unknown[] }).http;
    assert.deepEqual(http[http.length - 1], { route: [{ destination: { host: 'reviews' } }] });
    assert.equal(http.length, 2);
    assert.ok(result.notes.some((n) => n.severity === 'info' && /added a last route without match/.test(n.message)));
    assert.deepEqual(validate(result.yaml), []);
    // With a default rule, nothing is added.
    const withDefault = migrateText([rule('pinned', 'v2'), yaml('apiVersion: config.istio.io/v1alpha2', 'kind: RouteRule', 'metadata: {name: d}', 'spec:', '  destination: {name: reviews}', '  route: [{labels: {version: v1}}]')].join('---\n'));
    assert.equal((withDefault.resources[0].spec as { http: unknown[] }).http.length, 2);
  });
});
