// Requests through the ingress gateway (the Envoy stand-in that istiod configures) for the mesh
// integration tests, counted by the version each proxy stamps on its answer.
import * as http from 'node:http';
import { versionHeader } from '../../../src/routing/nginxConfig';

export interface Answer {
  readonly status: number;
  /** The version the answering proxy stamped (`X-Fn-Mesh-Version`), or `-` (gateway fault, no upstream). */
  readonly version: string;
  readonly body: string;
}

/** One GET of `path` to `gatewayUrl` with `Host: host` and `headers`. */
export function viaGateway(gatewayUrl: string, host: string, headers: Record<string, string> = {}, path = '/'): Promise<Answer> {
  const url = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: Number(url.port), method: 'GET', path, agent: false, timeout: 15_000, headers: { host, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const stamped = res.headers[versionHeader.toLowerCase()];
          resolve({ status: res.statusCode ?? 0, version: typeof stamped === 'string' ? stamped : '-', body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${gatewayUrl}${path} (Host ${host}) timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** `n` requests, `concurrency` at a time; counts by `status version` (e.g. `200 v1`, `503 -`). */
export async function tally(n: number, send: () => Promise<Answer>, concurrency = 8): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      next++;
      const a = await send();
      const key = `${a.status} ${a.version}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return counts;
}

export function countOf(counts: Map<string, number>, key: string): number {
  return counts.get(key) ?? 0;
}

export function show(counts: Map<string, number>): string {
  return [...counts].map(([k, v]) => `${k}: ${v}`).join(', ');
}
