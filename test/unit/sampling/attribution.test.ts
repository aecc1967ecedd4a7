import * as assert from 'node:assert/strict';
import { attribute, compileBodyPattern, makeAttribution, PatternError, versionFromBody } from '../../../src/sampling/attribution';

describe('attribution', () => {
  it('prefers the version header, then the body pattern, then "unknown"', () => {
    const a = makeAttribution('X-Fn-Mesh-Version', 'served by (\\w+)');
    assert.equal(a.header, 'x-fn-mesh-version');
    assert.equal(attribute(a, ' v2 ', 'served by v1'), 'v2');
    assert.equal(attribute(a, ['v3', 'v4'], undefined), 'v3');
    assert.equal(attribute(a, undefined, 'hello, served by v1!'), 'v1');
    assert.equal(attribute(a, '', 'nothing here'), 'unknown');
    assert.equal(attribute(makeAttribution(), undefined, 'served by v1'), 'unknown');
  });

  it('takes the named group "version", else the first group, else the whole match', () => {
    assert.equal(versionFromBody(/(x)-(?<version>v\d)/, 'x-v5'), 'v5');
    assert.equal(versionFromBody(/ver=(\w+)/, 'ver=blue'), 'blue');
    assert.equal(versionFromBody(/v\d+/, 'now v12 answers'), 'v12');
    assert.equal(versionFromBody(/v=(\w+)/, `v=${'a'.repeat(500)}`)?.length, 63);
  });

  it('applies the pattern to the first 4 KiB only', () => {
    assert.equal(versionFromBody(/ver=(\w+)/, `${' '.repeat(4092)}ver=late`), undefined);
    assert.equal(versionFromBody(/ver=(\w+)/, `${' '.repeat(4080)}ver=ok`), 'ok');
  });

  it('refuses an invalid or oversized pattern and a bad header name, naming the setting', () => {
    assert.throws(() => compileBodyPattern('(unclosed', 'fnMesh.sampling.bodyPattern'), (e: unknown) => e instanceof PatternError && /fnMesh\.sampling\.bodyPattern: not a valid regular expression/.test(e.message));
    assert.throws(() => compileBodyPattern('a'.repeat(501)), /501 characters long/);
    assert.throws(() => makeAttribution('bad header'), /not a valid HTTP header name/);
    assert.equal(compileBodyPattern('  '), undefined);
  });
});
