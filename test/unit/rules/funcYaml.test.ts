import * as assert from 'node:assert/strict';
import { isFuncYaml } from '../../../src/rules/funcYaml';
import { validateText } from '../../../src/rules/validate';
import type { Problem } from '../../../src/rules/problems';
import { brief, schemas, textAt, yaml } from './helpers/rules';

const check = (text: string): Problem[] => validateText(text, schemas(), { uri: 'file:///w/hello/func.yaml' });

const good = yaml(
  'schema_version: 20180708',
  'name: hello',
  'version: 0.0.2',
  'runtime: go',
  'memory: 256',
  'timeout: 30',
  'triggers:',
  '- name: hello',
  '  type: http',
  '  source: /hello',
);

describe('rules/funcYaml (FNM801-FNM803)', () => {
  it('recognises func.yaml files by name only', () => {
    assert.ok(isFuncYaml('file:///w/hello/func.yaml') && isFuncYaml('file:///w/func.yml') && isFuncYaml('func.yaml'));
    assert.ok(!isFuncYaml('file:///w/myfunc.yaml') && !isFuncYaml('file:///w/func.yaml.bak'));
  });

  it('accepts a func.yaml fn init writes', () => {
    assert.deepEqual(check(good), []);
  });

  it('FNM802: a trigger source without a leading /, at the source value', () => {
    const text = good.replace('source: /hello', 'source: hello');
    const problems = check(text);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, textAt(text, p)]), [['FNM802', 'error', 'hello']]);
    assert.deepEqual(problems.map(brief), ['FNM802 9:10-9:15']);
    assert.match(problems[0].message, /write \/hello/);
  });

  it('FNM802: a missing source, a repeated source, an unknown type and a bad trigger name', () => {
    const text = yaml('name: hello', 'triggers:', '- {name: a, type: http, source: /x}', '- {name: b, type: http, source: /x}', '- {name: c d, type: cron, source: /y}', '- {name: e, type: http}');
    assert.deepEqual(check(text).map((p) => [p.code, textAt(text, p)]), [
      ['FNM802', '/x'],
      ['FNM802', 'c d'],
      ['FNM802', 'cron'],
      ['FNM802', '{name: e, type: http}'],
    ]);
  });

  it('FNM801: names the server refuses; information for names it takes but routing does not', () => {
    assert.deepEqual(check(yaml('name: "hello world"')).map((p) => [p.code, p.severity]), [['FNM801', 'error']]);
    assert.deepEqual(check(yaml('name: a/b')).map((p) => p.code), ['FNM801']);
    assert.deepEqual(check(yaml(`name: ${'a'.repeat(256)}`)).map((p) => p.code), ['FNM801']);
    assert.deepEqual(check(yaml(`name: ${'a'.repeat(255)}`)), []);
    assert.deepEqual(check(yaml('name: hello.v2')).map((p) => [p.code, p.severity]), [['FNM801', 'info']]);
  });

  it('FNM803: memory, timeout and idle_timeout outside what Fn accepts; 0 means the default', () => {
    const text = yaml('name: hello', 'memory: 9000', 'timeout: 301', 'idle_timeout: 3601');
    assert.deepEqual(check(text).map((p) => [p.code, textAt(text, p)]), [
      ['FNM803', '9000'],
      ['FNM803', '301'],
      ['FNM803', '3601'],
    ]);
    assert.deepEqual(check(yaml('name: hello', 'memory: 8192', 'timeout: 300', 'idle_timeout: 0')), []);
    assert.deepEqual(check(yaml('name: hello', 'timeout: 1.5')).map((p) => p.code), ['FNM803']);
  });

  it('checks func.yaml only under that file name (other YAML gets the Kubernetes checks)', () => {
    assert.deepEqual(validateText(good.replace('source: /hello', 'source: hello'), schemas()), []);
  });
});
