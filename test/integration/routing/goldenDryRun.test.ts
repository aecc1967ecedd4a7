// Every golden manifest set is accepted by the real kube-apiserver (with the Istio and Gateway API
// CRDs and their schemas) in a server-side dry-run: what the golden tests pin is also what a
// cluster takes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { createKubeResources } from '../../../src/routing/cluster/kubeResources';
import type { ObjectToWrite } from '../../../src/kube/objects/types';
import { useTestNamespace } from '../../helpers/controlPlane';

const goldenDir = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'routing', 'golden');

describe('golden manifests in a server-side dry-run (real kube-apiserver)', function () {
  this.timeout(60_000);
  const cluster = useTestNamespace('golden');
  const files = fs.readdirSync(goldenDir).filter((f) => f.endsWith('.yaml'));

  it('finds the golden files', () => {
    assert.ok(files.length >= 8, `golden files: ${files.join(', ')}`);
  });

  for (const file of files) {
    it(`${file} is accepted`, async () => {
      const { client, name } = cluster();
      const objects = yaml
        .loadAll(fs.readFileSync(path.join(goldenDir, file), 'utf8'))
        .map((doc) => {
          const obj = doc as ObjectToWrite & { metadata: Record<string, unknown> };
          return { ...obj, metadata: { ...obj.metadata, namespace: name } };
        });
      const outcome = await createKubeResources(client).apply(objects, { dryRun: true });
      assert.equal(outcome.ok, true, outcome.summary);
      assert.equal(outcome.results.length, objects.length);
    });
  }
});
