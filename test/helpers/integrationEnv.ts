// What the integration suites need from scripts/test-all.sh: server URLs in the environment, and
// plain REST calls to seed the servers.
import * as assert from 'node:assert/strict';
import { httpRequest } from '../../src/common/http';

/** The value of an environment variable that scripts/test-all.sh sets, or a clear failure. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the integration tests through scripts/test-all.sh, which starts the servers they need`);
  }
  return value;
}

/** A JSON request that must succeed; returns the parsed answer. */
export async function callJson(method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await httpRequest({ method, url, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  assert.ok(res.status >= 200 && res.status < 300, `${method} ${url}: ${res.status} ${res.body}`);
  return res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {};
}
