// Shared by the scale benchmarks: the compiled sources, plain HTTP(S) GETs for the baselines
// (keep-alive, one request at a time), medians and the machine's load.
import * as http from 'node:http';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
/** A module of the compiled sources (`npm run compile-tests`), e.g. `fn/fnClient.js`. */
export const out = (p) => require(path.join(root, 'out', 'src', p));

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
export const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
export const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

/** GETs `url` and parses the JSON answer; `options` are extra request options (agent, TLS). */
export function getJson(url, options = {}) {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    lib
      .get(url, { ...options, headers: { ...options.headers, accept: 'application/json' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(new Error(`GET ${url}: ${res.statusCode} ${text.slice(0, 200)}`));
            return;
          }
          resolve(JSON.parse(text));
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The admin kubeconfig ($KUBECONFIG) loaded the way Fn Mesh loads it, and Fn Mesh's client on it. */
export async function kube() {
  const file = (process.env.KUBECONFIG ?? '').split(':')[0];
  if (!file) {
    throw new Error('KUBECONFIG is not set: eval "$(scripts/controlplane.sh env)"');
  }
  const { loadKubeconfig } = out('kube/kubeconfig.js');
  const { createKubeClient } = out('kube/objects/objectApiClient.js');
  const { config } = await loadKubeconfig({ explicitPath: file, env: {}, homeDir: os.homedir() });
  return { config, client: await createKubeClient(config) };
}

/** Request options (server URL, TLS material, a keep-alive agent) for plain HTTPS calls as the kubeconfig's user. */
export async function kubeHttpsOptions(config) {
  const opts = {};
  await config.applyToHTTPSOptions(opts);
  const server = config.getCurrentCluster().server;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: opts.ca, cert: opts.cert, key: opts.key });
  return { server, options: { agent, headers: opts.headers } };
}
