import * as assert from 'node:assert/strict';
import { parseGoDuration } from '../../../src/rules/durations';
import { qualifyHost, serviceOfHost } from '../../../src/rules/hosts';

describe('rules/hosts and durations', () => {
  it('qualifies short names with the rule namespace, as Istio does', () => {
    assert.equal(qualifyHost('reviews', 'prod'), 'reviews.prod.svc.cluster.local');
    assert.equal(qualifyHost('reviews.other', 'prod'), 'reviews.other.svc.cluster.local');
    assert.equal(qualifyHost('reviews.other.svc.cluster.local', 'prod'), 'reviews.other.svc.cluster.local');
    assert.equal(qualifyHost('api.example.com', 'prod'), 'api.example.com');
    assert.equal(qualifyHost('*.example.com', 'prod'), '*.example.com');
  });

  it('tells Service hosts from external ones', () => {
    assert.deepEqual(serviceOfHost('Reviews', 'prod'), { name: 'reviews', namespace: 'prod' });
    assert.deepEqual(serviceOfHost('reviews.fn.svc', 'prod'), { name: 'reviews', namespace: 'fn' });
    assert.equal(serviceOfHost('example.com', 'prod'), undefined);
    assert.equal(serviceOfHost('*.fn.svc.cluster.local', 'prod'), undefined);
    assert.equal(serviceOfHost('', 'prod'), undefined);
  });

  it('parses Go durations', () => {
    assert.equal(parseGoDuration('1.5s'), 1.5e9);
    assert.equal(parseGoDuration('1h30m'), 5400e9);
    assert.equal(parseGoDuration('300ms'), 3e8);
    assert.equal(parseGoDuration('-2us'), -2000);
    assert.equal(parseGoDuration('0'), 0);
    for (const bad of ['', '10', '5 seconds', '1d', 's', '1.5', '1s 2s', '--1s']) {
      assert.equal(parseGoDuration(bad), undefined, bad);
    }
  });
});
