import * as assert from 'node:assert/strict';
import { deployArgs, deployEnv } from '../../../src/deploy/fnCli';
import { funcYamlName, setFuncYamlName } from '../../../src/deploy/funcYaml';
import { nextVersionName } from '../../../src/deploy/versionName';

describe('deploy: next version name', () => {
  const cases: [string, string][] = [
    ['v2', 'v3'],
    ['hello-v1', 'hello-v2'],
    ['hello', 'hello-v2'],
    ['v9', 'v10'],
    ['api_v09', 'api_v10'],
    ['fn007', 'fn008'],
    ['hello-2', 'hello-3'],
    ['v99999999999999999999', 'v100000000000000000000'],
  ];
  for (const [from, to] of cases) {
    it(`${from} → ${to}`, () => assert.equal(nextVersionName(from), to));
  }

  it('refuses a name Fn would refuse', () => {
    assert.throws(() => nextVersionName('hello world'), /Fn function name "hello world" contains " " at position 6/);
    assert.throws(() => nextVersionName(''), /Fn function name is empty/);
  });
});

describe('deploy: func.yaml edit', () => {
  const funcYaml = [
    '# hello, version 1',
    'schema_version: 20180708',
    'name: hello-v1 # the function name',
    'version: 0.0.3',
    'runtime: node',
    'entrypoint: node func.js',
    'triggers:',
    '- name: hello',
    '  type: http',
    '  source: /hello # keep this path',
    '',
  ].join('\n');

  it('reads the name', () => assert.equal(funcYamlName(funcYaml), 'hello-v1'));

  it('replaces the name and keeps every comment and every other line', () => {
    const edited = setFuncYamlName(funcYaml, 'hello-v2');
    assert.equal(edited, funcYaml.replace('name: hello-v1 #', 'name: hello-v2 #'));
  });

  it('adds a name when there is none', () => {
    const edited = setFuncYamlName('runtime: go # go!\n', 'v2');
    assert.equal(funcYamlName(edited), 'v2');
    assert.match(edited, /runtime: go # go!/);
  });

  it('refuses invalid YAML with the file and line', () => {
    const broken = 'name: hello\nruntime: [node\nversion: 0.0.1\n';
    assert.throws(() => setFuncYamlName(broken, 'x', 'fns/hello/func.yaml'), (err: Error) => {
      assert.match(err.message, /^fns\/hello\/func\.yaml:\d+:\d+: invalid YAML: /);
      assert.equal(err.name, 'UserError');
      return true;
    });
    assert.throws(() => funcYamlName('name: a\nname: b\n', 'func.yaml'), /func\.yaml:2:1: invalid YAML: .*unique/);
  });

  it('refuses a func.yaml that is not a mapping', () => {
    assert.throws(() => setFuncYamlName('- a\n- b\n', 'x', 'x/func.yaml'), /x\/func\.yaml: expected a mapping/);
  });
});

describe('deploy: fn CLI', () => {
  it('builds the deploy arguments and environment', () => {
    assert.deepEqual(deployArgs('hello-app'), ['--verbose', 'deploy', '--app', 'hello-app']);
    assert.deepEqual(deployEnv({ apiUrl: 'http://127.0.0.1:8080', source: 'env', origin: 'FN_API_URL' }), { FN_API_URL: 'http://127.0.0.1:8080' });
    assert.deepEqual(deployEnv({ apiUrl: 'http://h', source: 'setting', origin: 's', registry: 'reg.test/team' }), {
      FN_API_URL: 'http://h',
      FN_REGISTRY: 'reg.test/team',
    });
  });
});

describe('deploy: func.yaml edit, quoting', () => {
  it('quotes a name YAML would read as a number, and keeps the original quoting style elsewhere', () => {
    assert.equal(setFuncYamlName("name: 'v1'\nruntime: go\n", '123'), 'name: "123"\nruntime: go\n');
    assert.equal(funcYamlName(setFuncYamlName('name: "a"\n', 'true')), 'true');
  });

  it('inserts a missing name before the first key, after leading comments', () => {
    assert.equal(setFuncYamlName('# top\nruntime: go\n', 'v2'), '# top\nname: v2\nruntime: go\n');
  });
});
