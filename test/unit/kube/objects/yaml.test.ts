import * as assert from 'node:assert/strict';
import { loadAll } from 'js-yaml';
import { toYaml } from '../../../../src/kube/objects/yaml';

describe('toYaml', () => {
  it('writes one document per object, separated by ---, that read back equal', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'ConfigMap', data: { 'a.conf': 'line 1\n  line 2\n' } },
      { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } },
    ];
    const text = toYaml(objects);
    assert.equal(text.split('\n').filter((l) => l === '---').length, 1);
    assert.ok(!text.startsWith('---'));
    assert.deepEqual(loadAll(text), objects);
  });

  it('keeps key order as generated', () => {
    const text = toYaml([{ kind: 'K', apiVersion: 'v', metadata: { name: 'n' } }]);
    assert.deepEqual(
      text.split('\n').filter((l) => /^\w/.test(l)),
      ['kind: K', 'apiVersion: v', 'metadata:'],
    );
  });

  it('quotes strings that YAML would otherwise read as booleans or numbers', () => {
    const labels = { inject: 'true', yes: 'yes', port: '80', exp: '1e3', off: 'off', nul: 'null' };
    const [back] = loadAll(toYaml([labels]));
    assert.deepEqual(back, labels);
    assert.ok(toYaml([labels]).includes('inject: "true"'));
  });

  it('writes shared sub-objects out instead of anchors, and never folds long lines', () => {
    const shared = { app: 'hello-app' };
    const long = 'x'.repeat(300);
    const text = toYaml([{ a: shared, b: shared, c: long }]);
    assert.ok(!/[&*]ref_/.test(text), text);
    assert.ok(text.includes(`c: ${long}\n`));
  });

  it('writes multi-line text as a literal block', () => {
    const text = toYaml([{ data: { conf: 'server {\n    listen 8080;\n}\n' } }]);
    assert.ok(text.includes('conf: |\n    server {\n        listen 8080;\n    }\n'), text);
  });

  it('leaves out undefined properties like JSON, and refuses functions', () => {
    assert.equal(toYaml([{ a: undefined, b: 1 }]), 'b: 1\n');
    assert.throws(() => toYaml([{ a: () => 1 }]), /unacceptable kind/);
  });

  it('writes nothing for no objects', () => {
    assert.equal(toYaml([]), '');
  });
});
