// A local TCP port on 127.0.0.1 that reaches a Service's pod through the API server's
// pods/portforward, one WebSocket per connection, as `kubectl port-forward svc/...` does. Pure.
import * as net from 'node:net';
import { Writable } from 'node:stream';
import type { KubeConfig, V1Pod, V1Service } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { UserError } from '../common/errors';
import { clientNode } from './clientNode';

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

/** The part of client-node's WebSocket that the tunnel uses (its own types do not resolve here). */
interface ForwardSocket {
  on(event: 'close' | 'error', listener: () => void): void;
  close(): void;
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
  const pods = (await core.listNamespacedPod({ namespace, labelSelector })).items;
  const pod = pods.find(isReady);
  if (!pod?.metadata?.name) {
    throw new UserError(`no ready pod behind Service ${namespace}/${service} (${pods.length} pod(s) match ${labelSelector})`);
  }
  const podName = pod.metadata.name;
  const podPort = resolveTargetPort(svc, servicePort, pod);
  const forward = new k8s.PortForward(config);

  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // The error channel carries the kubelet's message (e.g. an unmapped port); client-node keeps
    // the WebSocket open after it, so the connection is closed here rather than left hanging.
    const errors = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = chunk.toString('utf8').trim();
        if (text) {
          log?.warn(`port-forward to ${namespace}/${podName}:${podPort}: ${text}`);
          socket.destroy();
        }
        done();
      },
    });
    forward.portForward(namespace, podName, [podPort], socket, errors, socket).then(
      (opened) => {
        if (typeof opened === 'function') {
          return;
        }
        const ws = opened as unknown as ForwardSocket;
        ws.on('close', () => socket.end());
        ws.on('error', () => socket.destroy());
        socket.on('close', () => ws.close());
      },
      (err: unknown) => {
        log?.warn(`port-forward to ${namespace}/${podName}:${podPort} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    target: `${namespace}/pod ${podName}:${podPort} (Service ${service} port ${servicePort})`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
