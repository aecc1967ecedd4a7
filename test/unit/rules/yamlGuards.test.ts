import * as assert from 'node:assert/strict';
import { refuseInput } from '../../../src/rules/yamlGuards';
import { yaml } from './helpers/rules';

describe('rules/yamlGuards', () => {
  it('accepts ordinary manifests, including nginx configuration in a block scalar', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: ConfigMap',
      'data:',
      '  default.conf: |',
      `    ${'{ '.repeat(150)}`,
      '    server { listen 8080; }',
      'other: {a: [1, {b: 2}]}',
    );
    assert.equal(refuseInput(text), undefined);
  });

  it('does not count brackets inside quoted strings or comments', () => {
    const text = yaml(`a: "${'['.repeat(300)}"`, `b: '${'{'.repeat(300)}'`, `# ${'['.repeat(300)}`);
    assert.equal(refuseInput(text), undefined);
  });

  it('refuses deep flow, compact and indented nesting at the offending offset', () => {
    const flow = `a: ${'['.repeat(150)}`;
    assert.equal(refuseInput(flow)?.offset, 3 + 100 - 1);
    assert.ok(refuseInput('- '.repeat(150)));
    const indented = Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    assert.ok(refuseInput(indented));
  });

  it('refuses large texts by UTF-8 size and NUL bytes', () => {
    assert.match(refuseInput('é'.repeat(1024 * 1024 + 1))?.message ?? '', /larger than 2 MB/);
    assert.equal(refuseInput('é'.repeat(1024 * 1024 - 10)), undefined);
    assert.equal(refuseInput('ab\u0000')?.offset, 2);
  });
});
