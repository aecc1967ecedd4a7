import * as assert from 'node:assert/strict';
import { briefs, textAt, validate, yaml } from '../helpers/rules';

function dr(...lines: string[]): string {
  return yaml('apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata: {name: api}', 'spec:', '  host: api.example.com', ...lines);
}

describe('rules/checks/destinationTls (FNM308)', () => {
  it('flags SIMPLE and MUTUAL without caCertificates, top level and per port, at the mode key', () => {
    const text = dr(
      '  trafficPolicy:',
      '    tls: {mode: SIMPLE}',
      '    portLevelSettings:',
      '    - port: {number: 443}',
      '      tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem}',
    );
    const problems = validate(text);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, textAt(text, p)]), [
      ['FNM308', 'warning', 'mode'],
      ['FNM308', 'warning', 'mode'],
    ]);
    assert.deepEqual(briefs(text), ['FNM308 6:10-6:14', 'FNM308 9:12-9:16']);
    assert.deepEqual(problems[1].data, { mode: 'MUTUAL' });
  });

  it('accepts caCertificates, ISTIO_MUTUAL, DISABLE, and credentialName on a rule with a workloadSelector', () => {
    assert.deepEqual(briefs(dr('  trafficPolicy:', '    tls: {mode: SIMPLE, caCertificates: /etc/certs/ca.pem}')), []);
    assert.deepEqual(briefs(dr('  trafficPolicy:', '    tls: {mode: ISTIO_MUTUAL}')), []);
    assert.deepEqual(briefs(dr('  trafficPolicy:', '    tls: {mode: DISABLE}')), []);
    assert.deepEqual(briefs(dr('  workloadSelector: {matchLabels: {app: gw}}', '  trafficPolicy:', '    tls: {mode: MUTUAL, credentialName: api-cert}')), []);
    // Without a workloadSelector, a credentialName does not count (istioctl reads it so).
    assert.deepEqual(briefs(dr('  trafficPolicy:', '    tls: {mode: MUTUAL, credentialName: api-cert}')), ['FNM308 6:10-6:14']);
  });
});
