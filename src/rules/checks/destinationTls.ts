// DestinationRule client TLS that does not verify the server: SIMPLE or MUTUAL without
// `caCertificates` (and without a `credentialName` on a rule with a workloadSelector, where the
// secret may carry the CA), at the top level and per port. istioctl reports the same as
// IST0128 NoServerCertificateVerificationDestinationLevel and IST0129 ...PortLevel.
import type { Problem, YamlPath } from '../problems';
import type { Json } from '../resources';
import { asArray, asRecord, asString, isIstio } from '../resources';
import type { FileResource } from '../workspaceIndex';
import type { Check } from './report';
import { report } from './report';

export const checkDestinationTls: Check = (resource) => {
  if (!isIstio(resource.ref, 'DestinationRule')) {
    return [];
  }
  const spec = asRecord(resource.value.spec);
  const selected = spec.workloadSelector !== undefined;
  const problems: Problem[] = [];
  const policy = asRecord(spec.trafficPolicy);
  checkTls(resource, asRecord(policy.tls), ['spec', 'trafficPolicy', 'tls'], selected, problems);
  asArray(policy.portLevelSettings).forEach((p, i) => {
    checkTls(resource, asRecord(asRecord(p).tls), ['spec', 'trafficPolicy', 'portLevelSettings', i, 'tls'], selected, problems);
  });
  return problems;
};

function checkTls(resource: FileResource, tls: Json, path: YamlPath, selected: boolean, problems: Problem[]): void {
  const mode = asString(tls.mode);
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') {
    return;
  }
  const ca = asString(tls.caCertificates) ?? '';
  const credential = asString(tls.credentialName) ?? '';
  if (ca === '' && !(credential !== '' && selected)) {
    const message = `TLS mode ${mode} without caCertificates: the sidecar does not verify the server certificate against a CA you chose`;
    problems.push(report(resource, 'FNM308', message, [...path, 'mode'], { key: true, data: { mode } }));
  }
}
