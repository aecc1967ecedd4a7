import * as assert from 'node:assert/strict';
import { briefs, yaml } from '../helpers/rules';

function vs(...routeLines: string[]): string {
  return yaml(
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata: {name: hello-app}',
    'spec:',
    '  hosts: [hello-app]',
    '  http:',
    '  - route:',
    '    - destination: {host: hello-app}',
    ...routeLines, // from line 8
  );
}

describe('rules/checks/faults', () => {
  it('accepts a fault with delay and abort, and a mirror of 50 percent', () => {
    const text = vs(
      '    fault:',
      '      delay: {fixedDelay: 5s, percentage: {value: 10}}',
      '      abort: {httpStatus: 503, percentage: {value: 0.5}}',
      '    mirror: {host: hello-app}',
      '    mirrorPercentage: {value: 50}',
    );
    assert.deepEqual(briefs(text), []);
  });

  it('FNM501: a fault without delay or abort, at the fault key', () => {
    assert.deepEqual(briefs(vs('    fault: {}')), ['FNM501 8:4-8:9']);
  });

  it('FNM502: fault percentages outside 0-100, new and deprecated fields', () => {
    const text = vs('    fault:', '      delay: {fixedDelay: 1s, percentage: {value: 101}}', '      abort: {httpStatus: 500, percentage: {value: -1}}');
    assert.deepEqual(briefs(text), ['FNM502 9:50-9:53', 'FNM502 10:51-10:53']);
    assert.deepEqual(briefs(vs('    fault:', '      delay: {fixedDelay: 1s, percent: 150}')), ['FNM113 9:30-9:37', 'FNM502 9:39-9:42']);
  });

  it('FNM503: mirror percentages above 100 (mirrorPercentage, mirror_percent, mirrors)', () => {
    const text = vs(
      '    mirror: {host: hello-app}',
      '    mirrorPercentage: {value: 150}',
      '  - route:',
      '    - destination: {host: hello-app}',
      '    mirrors:',
      '    - destination: {host: hello-app}',
      '      percentage: {value: 200}',
    );
    // (The second rule is unreachable, FNM701: not what this test is about.)
    assert.deepEqual(briefs(text).filter((b) => b.startsWith('FNM5')), ['FNM503 9:30-9:33', 'FNM503 14:26-14:29']);
  });

  it('FNM506: an abort status outside 200-599', () => {
    assert.deepEqual(briefs(vs('    fault:', '      abort: {httpStatus: 700}')), ['FNM506 9:26-9:29']);
  });
});
