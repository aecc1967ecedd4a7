// The per-version proxy: a ConfigMap holding the generated nginx configuration and a Deployment
// `<app>-<version>` running nginx with it; or, in the original simple-proxy style, a Deployment of
// an image that reads `UPSTREAM` and `ROUTE` from its environment. Pure: no `vscode`.
import { createHash } from 'node:crypto';
import { UserError } from '../../common/errors';
import { imageReferenceProblem } from '../../common/imageReference';
import type { RoutedApp, RoutedVersion } from '../model';
import { versionObjectName } from '../names';
import { healthPath, nginxConfig, proxyPort, type NginxConfigOptions } from '../nginxConfig';
import { annotations, managedByLabel, managedByValue, partOfLabel, sidecarInjectLabel, versionMeta, workloadLabels, type KubeObject } from './kubeObject';

export const defaultNginxImage = 'nginx:1.27-alpine';
export const proxyContainerName = 'proxy';
/** The container port name that Services target. */
export const proxyPortName = 'http';
const configFileName = 'fn-mesh.conf';
const configVolumeName = 'nginx-config';
/** The nginx image includes `*.conf` from here in its http block; the mount replaces default.conf. */
const nginxConfDir = '/etc/nginx/conf.d';

export type ProxyStyle =
  | { readonly kind: 'nginx'; readonly image?: string }
  /** The response header naming the version comes only from the nginx style. */
  | { readonly kind: 'simple-proxy'; readonly image: string; readonly port?: number };

export interface ProxyOptions {
  /** Default: nginx with `nginx:1.27-alpine`. */
  readonly style?: ProxyStyle;
  /** Default 1. */
  readonly replicas?: number;
  readonly nginx?: NginxConfigOptions;
}

export interface ConfigMap extends KubeObject {
  readonly data: Readonly<Record<string, string>>;
}

export interface Deployment extends KubeObject {
  readonly spec: {
    readonly replicas: number;
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly template: {
      readonly metadata: { readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
      readonly spec: Readonly<Record<string, unknown>>;
    };
  };
}

function checkImage(image: string): string {
  const problem = imageReferenceProblem(image);
  if (problem) {
    throw new UserError(`Proxy image: ${problem}`);
  }
  return image;
}

export function proxyConfigMapName(app: RoutedApp, version: RoutedVersion): string {
  return `${versionObjectName(app.appName, version.version)}-nginx`;
}

export function proxyConfigMap(app: RoutedApp, version: RoutedVersion, nginx: NginxConfigOptions = {}): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: versionMeta(app, version, proxyConfigMapName(app, version)),
    data: { [configFileName]: nginxConfig(app, version, nginx) },
  };
}

function podLabels(app: RoutedApp, version: RoutedVersion): Record<string, string> {
  return {
    [managedByLabel]: managedByValue,
    [partOfLabel]: app.appName,
    ...workloadLabels(app, version),
    // The pod-level label enables injection even where the namespace is not labelled.
    [sidecarInjectLabel]: 'true',
  };
}

const resources = { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } };

function nginxPod(image: string, configMap: ConfigMap): Record<string, unknown> {
  return {
    containers: [
      {
        name: proxyContainerName,
        image: checkImage(image),
        ports: [{ name: proxyPortName, containerPort: proxyPort, protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: healthPath, port: proxyPortName }, periodSeconds: 5 },
        resources,
        volumeMounts: [{ name: configVolumeName, mountPath: nginxConfDir, readOnly: true }],
      },
    ],
    volumes: [{ name: configVolumeName, configMap: { name: configMap.metadata.name } }],
  };
}

function simpleProxyPod(version: RoutedVersion, image: string, port: number): Record<string, unknown> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`Simple-proxy port must be a whole number from 1 to 65535, not ${port}`);
  }
  return {
    containers: [
      {
        name: proxyContainerName,
        image: checkImage(image),
        env: [
          { name: 'UPSTREAM', value: version.upstream.baseUrl },
          { name: 'ROUTE', value: version.upstream.path },
        ],
        ports: [{ name: proxyPortName, containerPort: port, protocol: 'TCP' }],
        readinessProbe: { tcpSocket: { port: proxyPortName }, periodSeconds: 5 },
        resources,
      },
    ],
  };
}

type PodTemplate = Deployment['spec']['template'];

/**
 * The objects of one version's proxy, ConfigMap first (nginx style) so that the Deployment
 * never starts without its configuration.
 */
export function proxyObjects(app: RoutedApp, version: RoutedVersion, options: ProxyOptions = {}): KubeObject[] {
  const replicas = options.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 100) {
    throw new UserError(`Proxy replicas must be a whole number from 0 to 100, not ${replicas}`);
  }
  const deployment = (template: PodTemplate): Deployment => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: versionMeta(app, version, versionObjectName(app.appName, version.version)),
    spec: { replicas, selector: { matchLabels: workloadLabels(app, version) }, template },
  });
  const labels = podLabels(app, version);
  const style = options.style ?? { kind: 'nginx' };
  if (style.kind === 'simple-proxy') {
    return [deployment({ metadata: { labels }, spec: simpleProxyPod(version, style.image, style.port ?? proxyPort) })];
  }
  const configMap = proxyConfigMap(app, version, options.nginx);
  return [
    configMap,
    deployment({
      // A changed configuration changes the pod template, so the Deployment rolls its pods.
      metadata: { labels, annotations: { [annotations.configHash]: configHash(configMap) } },
      spec: nginxPod(style.image ?? defaultNginxImage, configMap),
    }),
  ];
}

function configHash(configMap: ConfigMap): string {
  return createHash('sha256').update(JSON.stringify(configMap.data)).digest('hex').slice(0, 16);
}
