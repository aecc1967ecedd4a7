import * as assert from 'node:assert/strict';
import { isLoopbackServer } from '../../../../src/kube/objects/objectApiClient';

describe('object API client', () => {
  it('asks for uncompressed answers only from a server on this machine', () => {
    for (const server of ['https://127.0.0.1:6443', 'https://127.3.4.5', 'https://localhost:16443/', 'https://[::1]:6443']) {
      assert.ok(isLoopbackServer(server), server);
    }
    for (const server of ['https://10.0.0.1:6443', 'https://api.example.test', 'https://127.0.0.1.example.test', 'https://[::2]', 'not a url', '', undefined]) {
      assert.ok(!isLoopbackServer(server), String(server));
    }
  });
});
