// A local TCP port on 127.0.0.1 that reaches a Service's pod through the API server's
// pods/portforward, one WebSocket per connection, as `kubectl port-forward svc/...` does; unlike
// kubectl it follows the Service to a new ready pod when the one in use goes away. Pure.
import type { KubeConfig, V1Pod, V1Service } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { UserError } from '../common/errors';
import { clientNode } from './clientNode';
import { startTunnelServer, type ForwardSocket, type TunnelTarget } from './tunnelServer';

export interface Tunnel {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** What it reaches, e.g. `fn-system/pod fn-5d9c-x:8080 (Service fn port 80)`. */
  readonly target: string;
  close(): Promise<void>;
}

export interface TunnelLog {
  warn(message: string): void;
}


function isReady(pod: V1Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata?.deletionTimestamp &&
    (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** The container port a Service port leads to on `pod` (named target ports are looked up). */
export function resolveTargetPort(svc: V1Service, servicePort: number, pod: V1Pod): number {
  const port = svc.spec?.ports?.find((p) => p.port === servicePort);
  if (!port) {
    throw new UserError(`Service ${svc.metadata?.namespace}/${svc.metadata?.name} has no port ${servicePort}`);
  }
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') {
    return target;
  }
  if (/^\d+$/.test(target)) {
    return Number(target);
  }
  for (const c of pod.spec?.containers ?? []) {
    const named = c.ports?.find((p) => p.name === target);
    if (named) {
      return named.containerPort;
    }
  }
  throw new UserError(`pod ${pod.metadata?.name} has no container port named "${target}"`);
}

/**
 * A local port that reaches `service`'s `servicePort` through a ready pod behind it, found again
 * whenever the one in use goes away. Errors: UserError when the Service has no selector, no ready
 * pod or no such port; client-node's errors when the Service cannot be read.
 */
export async function openServiceTunnel(config: KubeConfig, namespace: string, service: string, servicePort: number, log?: TunnelLog): Promise<Tunnel> {
  const k8s = await clientNode();
  const core = config.makeApiClient(k8s.CoreV1Api);
  const svc = await core.readNamespacedService({ name: service, namespace });
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) {
    throw new UserError(`Service ${namespace}/${service} has no selector: there is no pod to forward to`);
  }
  const labelSelector = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pickTarget = async (): Promise<TunnelTarget> => {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector })).items;
    const pod = pods.find(isReady);
    if (!pod?.metadata?.name) {
      throw new UserError(`no ready pod behind Service ${namespace}/${service} (${pods.length} pod(s) match ${labelSelector})`);
    }
    return { pod: pod.metadata.name, port: resolveTargetPort(svc, servicePort, pod) };
  };
  const forward = new k8s.PortForward(config);
  const server = await startTunnelServer({
    namespace,
    log,
    pickTarget,
    forward: async (target, output, errors, input) => {
      // client-node's WebSocket type does not resolve here: only what ForwardSocket names is used.
      const opened: unknown = await forward.portForward(namespace, target.pod, [target.port], output, errors, input);
      if (typeof opened === 'function') {
        throw new Error('client-node returned a retrying forward, which the tunnel does not use');
      }
      return opened as ForwardSocket;
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    get target() {
      return `${namespace}/pod ${server.target.pod}:${server.target.port} (Service ${service} port ${servicePort})`;
    },
    close: () => server.close(),
  };
}
