// Services: `<app>` selecting every version's proxy pods (what Istio routes and clients call), and
// for the Gateway API mode one Service `<app>-<version>` per version (HTTPRoute backends). Pure.
import type { RoutedApp, RoutedVersion } from '../model';
import { versionObjectName } from '../names';
import { appLabel, appMeta, versionMeta, workloadLabels, type KubeObject } from './kubeObject';
import { proxyPortName } from './proxyManifests';

/** Port the Services expose; the port name `http` tells Istio the protocol. */
export const servicePort = 80;

export interface Service extends KubeObject {
  readonly spec: {
    readonly selector: Readonly<Record<string, string>>;
    readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort: string; readonly protocol: 'TCP' }[];
  };
}

const ports = [{ name: 'http', port: servicePort, targetPort: proxyPortName, protocol: 'TCP' as const }];

export function appService(app: RoutedApp): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: appMeta(app, app.appName),
    spec: { selector: { [appLabel]: app.appName }, ports },
  };
}

export function versionServiceName(app: RoutedApp, version: RoutedVersion): string {
  return versionObjectName(app.appName, version.version);
}

export function versionService(app: RoutedApp, version: RoutedVersion): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: versionMeta(app, version, versionServiceName(app, version)),
    spec: { selector: workloadLabels(app, version), ports },
  };
}
