// The local side of port-forward tunnels: follows the Service to a new pod when the one in use is
// gone, and closes a forward whose client left while it was opening. The forward itself (the API
// server's WebSocket) is given by the test; the TCP side is real.
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { startTunnelServer, type ForwardSocket, type TunnelTarget } from '../../../src/kube/tunnelServer';

class FakeForward extends EventEmitter implements ForwardSocket {
  closed = false;
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

/** Connects, sends `body`, and resolves with everything read until the server ends the connection. */
function request(port: number, body = 'ping'): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(body));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('port-forward tunnel server', () => {
  it('looks for a ready pod again when the pod in use is gone, without a Retry', async () => {
    const pods = ['fn-old', 'fn-new'];
    let alive = 'fn-old';
    const picks: boolean[] = [];
    const server = await startTunnelServer({
      namespace: 'fn-system',
      pickTarget: (fresh) => {
        picks.push(fresh);
        return Promise.resolve({ pod: alive, port: 8080 });
      },
      forward: (target: TunnelTarget, output, _errors, input) => {
        if (target.pod !== alive) {
          return Promise.reject(Object.assign(new Error(`pods "${target.pod}" not found`), { code: 404 }));
        }
        const ws = new FakeForward();
        input.once('data', (d: Buffer) => output.end(`${target.pod} got ${d.toString()}`));
        return Promise.resolve(ws);
      },
    });
    try {
      assert.equal(await request(server.port), 'fn-old got ping');
      alive = pods[1] ?? ''; // the Deployment replaced the pod
      assert.equal(await request(server.port), 'fn-new got ping', 'the first request after the restart already succeeds');
      assert.equal(server.target.pod, 'fn-new');
      assert.equal(await request(server.port), 'fn-new got ping');
      assert.deepEqual(picks, [false, true]);
    } finally {
      await server.close();
    }
  });

  it('closes the forward of a client that left while it was opening', async () => {
    let open: ((ws: FakeForward) => void) | undefined;
    const ws = new FakeForward();
    const server = await startTunnelServer({
      namespace: 'fn-system',
      pickTarget: () => Promise.resolve({ pod: 'fn-1', port: 8080 }),
      forward: () => new Promise((resolve) => (open = resolve)),
    });
    try {
      const client = net.connect(server.port, '127.0.0.1');
      await new Promise((resolve) => client.on('connect', resolve));
      while (!open) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      client.destroy();
      while (server.connections > 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      open(ws);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(ws.closed, true, 'the WebSocket is closed, not leaked');
    } finally {
      await server.close();
    }
  });

  it('closes the connection and tries a fresh pod next time when no pod is ready', async () => {
    let ready = true;
    const warnings: string[] = [];
    const server = await startTunnelServer({
      namespace: 'fn-system',
      log: { warn: (m) => void warnings.push(m) },
      pickTarget: () => (ready ? Promise.resolve({ pod: 'fn-1', port: 8080 }) : Promise.reject(new Error('no ready pod behind Service fn-system/fn'))),
      forward: () => Promise.reject(new Error('pods "fn-1" not found')),
    });
    try {
      ready = false;
      assert.equal(await request(server.port), '');
    } finally {
      await server.close();
    }
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /port-forward to fn-system\/fn-1:8080 failed \(pods "fn-1" not found\); looking for a ready pod again/);
    assert.match(warnings[1] ?? '', /no ready pod behind Service fn-system\/fn/);
  });
});
