// The local side of a port-forward: a TCP server on 127.0.0.1 that opens one forward per client
// connection to a pod chosen by `pickTarget`. A pod that is gone (restarted, rescheduled: the
// forward is refused) is looked up again and the connection retried once on the new one, so the
// tunnel follows the Service's pods by itself. A client that leaves while its forward is being
// opened has the forward closed as soon as it opens: nothing is left open. Pure: no `vscode`.
import * as net from 'node:net';
import { Writable } from 'node:stream';
import { describeError } from '../common/errors';

/** A pod and container port to forward to. */
export interface TunnelTarget {
  readonly pod: string;
  readonly port: number;
}

/** The part of an open forward (client-node's WebSocket) that the tunnel uses. */
export interface ForwardSocket {
  on(event: 'close' | 'error', listener: () => void): void;
  close(): void;
}

export interface TunnelServerOptions {
  /** The pod to forward to; `fresh` asks to look again rather than reuse the last answer. Rejects when none is ready. */
  pickTarget(fresh: boolean): Promise<TunnelTarget>;
  /**
   * Opens a forward that writes the pod's bytes to `output`, the kubelet's error channel to
   * `errors`, and reads `input`; rejects when the API server refuses it (e.g. 404: pod gone).
   */
  forward(target: TunnelTarget, output: net.Socket, errors: Writable, input: net.Socket): Promise<ForwardSocket>;
  /** `namespace/` prefix for messages. */
  readonly namespace: string;
  readonly log?: { warn(message: string): void };
}

export interface TunnelServer {
  readonly port: number;
  /** The pod last forwarded to. */
  readonly target: TunnelTarget;
  /** Open client connections (for tests and the log). */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts the server after picking a first target (so a Service without a ready pod fails here). */
export async function startTunnelServer(options: TunnelServerOptions): Promise<TunnelServer> {
  let target = await options.pickTarget(false);
  let stale = false;
  const where = (t: TunnelTarget): string => `${options.namespace}/${t.pod}:${t.port}`;
  const sockets = new Set<net.Socket>();

  const current = async (): Promise<TunnelTarget> => {
    if (stale) {
      stale = false;
      target = await options.pickTarget(true);
    }
    return target;
  };

  const connect = async (socket: net.Socket): Promise<void> => {
    // The error channel carries the kubelet's message (e.g. an unmapped port); client-node keeps
    // the WebSocket open after it, so the connection is closed here rather than left hanging.
    const errorsFor = (t: TunnelTarget): Writable =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          const text = chunk.toString('utf8').trim();
          if (text) {
            options.log?.warn(`port-forward to ${where(t)}: ${text}`);
            stale = true; // the next connection looks for a ready pod again
            socket.destroy();
          }
          done();
        },
      });
    let t = await current();
    let ws: ForwardSocket;
    try {
      ws = await options.forward(t, socket, errorsFor(t), socket);
    } catch (first) {
      if (socket.destroyed) {
        return;
      }
      options.log?.warn(`port-forward to ${where(t)} failed (${describeError(first)}); looking for a ready pod again`);
      t = target = await options.pickTarget(true);
      ws = await options.forward(t, socket, errorsFor(t), socket);
    }
    if (socket.destroyed) {
      ws.close(); // the client left while the forward was opening
      return;
    }
    ws.on('close', () => socket.end());
    ws.on('error', () => socket.destroy());
    socket.on('close', () => ws.close());
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    connect(socket).catch((err: unknown) => {
      stale = true;
      options.log?.warn(`port-forward to ${options.namespace} failed: ${describeError(err)}`);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    get target() {
      return target;
    },
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
