import * as assert from 'node:assert/strict';
import { textAt, validate, yaml } from '../helpers/rules';

describe('rules/checks/deprecated (FNM113)', () => {
  it('flags deprecated VirtualService fields at their keys, with the replacement', () => {
    const text = yaml(
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata: {name: web}',
      'spec:',
      '  hosts: [web]',
      '  http:',
      '  - fault:',
      '      delay: {percent: 10, fixedDelay: 1s}',
      '    route: [{destination: {host: web}}]',
    );
    const problems = validate(text).filter((p) => p.code === 'FNM113');
    assert.deepEqual(problems.map((p) => [textAt(text, p), p.message, p.severity]), [['percent', 'fault.delay.percent is deprecated; use fault.delay.percentage.value', 'warning']]);
  });

  it('flags deprecated DestinationRule fields in every traffic policy, and not their replacements', () => {
    const text = yaml(
      'apiVersion: networking.istio.io/v1',
      'kind: DestinationRule',
      'metadata: {name: web}',
      'spec:',
      '  host: web',
      '  trafficPolicy:',
      '    loadBalancer: {simple: LEAST_CONN}',
      '    outlierDetection: {consecutive5xxErrors: 5}',
      '  subsets:',
      '  - name: v1',
      '    labels: {version: v1}',
      '    trafficPolicy:',
      '      portLevelSettings:',
      '      - port: {number: 80}',
      '        loadBalancer: {simple: LEAST_REQUEST, warmupDurationSecs: 10s}',
    );
    const problems = validate(text).filter((p) => p.code === 'FNM113');
    assert.deepEqual(problems.map((p) => `${p.range.start.line} ${textAt(text, p)}`), ['6 simple', '14 warmupDurationSecs']);
  });

  it('is silent on a current VirtualService', () => {
    const text = yaml('apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: web}', 'spec:', '  hosts: [web]', '  http:', '  - fault: {delay: {percentage: {value: 10}, fixedDelay: 1s}}', '    route: [{destination: {host: web}}]');
    assert.deepEqual(validate(text), []);
  });
});
