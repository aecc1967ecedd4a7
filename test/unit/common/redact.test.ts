import * as assert from 'node:assert/strict';
import { describeError, UserError } from '../../../src/common/errors';
import { redactHeaders, redactText, redactUrl } from '../../../src/common/redact';

describe('redaction', () => {
  it('hides credentials in URLs but keeps the rest', () => {
    assert.equal(redactUrl('https://user:pw@h:1/p?token=abc&x=1'), 'https://***@h:1/p?token=***&x=1');
    assert.equal(redactUrl('http://h/p?q=1'), 'http://h/p?q=1');
    assert.equal(redactUrl('not a url'), 'not a url');
  });

  it('masks credential headers only', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Bearer x', 'content-type': 'a', 'set-cookie': ['a', 'b'], via: ['1', '2'] }), {
      Authorization: '***',
      'content-type': 'a',
      'set-cookie': '***',
      via: '1, 2',
    });
  });

  it('masks PEM blocks and bearer tokens in text', () => {
    const text = 'a -----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE----- b Authorization: Bearer eyJhbGciOiJSUzI1';
    assert.equal(redactText(text), 'a <redacted PEM> b Authorization: Bearer ***');
  });
});

describe('describeError', () => {
  it('spells out network and TLS codes', () => {
    assert.match(describeError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), /connection refused.*ECONNREFUSED/);
    assert.match(describeError(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })), /self-signed/);
    assert.match(describeError(new Error('outer', { cause: Object.assign(new Error('i'), { code: 'ENOTFOUND' }) })), /host name not found/);
  });

  it('keeps user messages and falls back to the message', () => {
    assert.equal(describeError(new UserError('do this')), 'do this');
    assert.equal(describeError(new Error('plain')), 'plain');
    assert.equal(describeError('text'), 'text');
  });
});
