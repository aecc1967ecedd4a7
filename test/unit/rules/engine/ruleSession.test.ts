import * as assert from 'node:assert/strict';
import type { ClusterFacts, WorkloadFact } from '../../../../src/rules/clusterFacts';
import { RuleSession } from '../../../../src/rules/engine/ruleSession';
import { isRuleText, needsParsing } from '../../../../src/rules/engine/ruleTexts';
import type { ParseOptions } from '../../../../src/rules/yamlDocuments';
import { parseYaml } from '../../../../src/rules/yamlDocuments';
import { schemas, yaml } from '../helpers/rules';

const destinationRule = (namespace: string): string =>
  yaml(
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    `metadata: {name: web, namespace: ${namespace}}`,
    'spec:',
    '  host: web',
    '  subsets:',
    '  - name: v1',
    '    labels: {version: v1}',
  );

const pod = (namespace: string, version: string, hasSidecar = true): WorkloadFact => ({
  kind: 'Pod',
  name: `web-${namespace}`,
  namespace,
  labels: { app: 'web', version },
  hasSidecar,
});

const facts = (workloads: WorkloadFact[]): ClusterFacts => ({
  services: [
    { name: 'web', namespace: 'a', selector: { app: 'web' } },
    { name: 'web', namespace: 'b', selector: { app: 'web' } },
  ],
  workloads,
  namespaces: [],
  resources: [],
});

function countingSession(): { session: RuleSession; parsed: string[] } {
  const parsed: string[] = [];
  const session = new RuleSession(schemas, {
    parse: (text: string, options?: ParseOptions) => {
      parsed.push(text);
      return parseYaml(text, options);
    },
  });
  return { session, parsed };
}

describe('rules/engine/ruleSession', () => {
  it('tells rule texts and texts the index reads from other YAML', () => {
    assert.ok(isRuleText(destinationRule('a')));
    assert.ok(!isRuleText('apiVersion: v1\nkind: Service\n'));
    assert.ok(needsParsing('apiVersion: v1\nkind: Service\nmetadata: {name: web}\n'));
    assert.ok(needsParsing('---\napiVersion: apps/v1\nkind: "Deployment"\n'));
    assert.ok(!needsParsing('on: push\njobs:\n  build: {runs-on: ubuntu-latest}\n'));
    assert.ok(!needsParsing('kind: ServiceAccount\n'));
  });

  it('parses nothing while text changes, then only what needs it, once, after the pause', () => {
    const { session, parsed } = countingSession();
    const workflow = 'on: push\njobs:\n  build: {runs-on: ubuntu-latest}\n';
    session.setFile('ci.yaml', workflow);
    session.setFile('rules.yaml', destinationRule('a').replace('v1', 'v0'));
    session.setFile('rules.yaml', destinationRule('a'));
    session.setFile('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\n');
    assert.equal(parsed.length, 0, 'setFile must not parse');
    const { validate } = session.flush();
    assert.deepEqual(validate, ['rules.yaml']);
    assert.equal(parsed.length, 2);
    assert.ok(!parsed.includes(workflow), 'non-rule YAML without indexed kinds is never parsed');
    assert.equal(session.workspace.file('ci.yaml'), undefined);
    session.setFile('ci.yaml', `${workflow}# edited\n`);
    assert.deepEqual(session.flush().validate, [], 'an edit to unrelated YAML re-validates nothing');
    assert.equal(parsed.length, 2);
  });

  it('validates like validateText and carries each problem’s quick fixes', () => {
    const { session } = countingSession();
    session.setFile('vs.yaml', yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web}', 'spec:', '  hosts: [web]', '  http:', '  - route:', '    - destination: {host: web, subset: v9}'));
    session.setFile('dr.yaml', destinationRule('default'));
    const { validate } = session.flush();
    assert.deepEqual(validate.sort(), ['dr.yaml', 'vs.yaml']);
    const result = session.validate('vs.yaml', true);
    const unknownSubset = result.problems.findIndex((p) => p.code === 'FNM301');
    assert.ok(unknownSubset >= 0, JSON.stringify(result.problems));
    assert.equal(result.fixes.length, result.problems.length);
    assert.ok(result.fixes[unknownSubset].length > 0, 'the missing subset has a quick fix');
    assert.deepEqual(session.fixesFor('vs.yaml', result.problems[unknownSubset]), result.fixes[unknownSubset], 'on demand: the same fixes');
    assert.deepEqual(session.validate('vs.yaml').fixes, [], 'without fixes unless asked');
  });

  it('a file that stops holding rules is reported as removed', () => {
    const { session } = countingSession();
    session.setFile('r.yaml', destinationRule('a'));
    session.flush();
    session.setFile('r.yaml', 'just: data\n');
    assert.deepEqual(session.flush(), { validate: [], removed: ['r.yaml'] });
    assert.equal(session.hasRuleFiles, false);
  });

  it('a pod change re-validates only the rule files whose checks read its namespace', () => {
    const { session } = countingSession();
    session.setFile('a.yaml', destinationRule('a'));
    session.setFile('b.yaml', destinationRule('b'));
    session.setCluster(facts([pod('a', 'v1'), pod('b', 'v1')]));
    assert.deepEqual(session.flush().validate.sort(), ['a.yaml', 'b.yaml']);

    session.setCluster(facts([pod('a', 'v1'), pod('b', 'v2')]));
    assert.deepEqual(session.flush().validate, ['b.yaml'], 'labels changed in namespace b only');
    assert.equal(session.validate('b.yaml').problems.filter((p) => p.code === 'FNM601').length, 1);

    session.setCluster(facts([pod('a', 'v1'), pod('b', 'v2')]));
    assert.deepEqual(session.flush().validate, [], 'same facts again (a pod status update): nothing');

    session.setCluster(facts([pod('a', 'v1', false), pod('b', 'v2')]));
    assert.deepEqual(session.flush().validate, ['a.yaml'], 'a sidecar change in namespace a');

    const moreServices = { ...facts([pod('a', 'v1', false), pod('b', 'v2')]), services: [] };
    session.setCluster(moreServices);
    assert.deepEqual(session.flush().validate.sort(), ['a.yaml', 'b.yaml'], 'Services feed every check');
  });
});
