import * as assert from 'node:assert/strict';
import { invokeUrlFor, type FnApiVersion, type FnFunction } from '../../../src/fn/model';
import { buildRoutedApp, checkRoutedApp, invocationPath, weightsOf, withWeights, type RoutedAppInput } from '../../../src/routing/model';
import { parseUpstreamBaseUrl } from '../../../src/routing/upstreamUrl';
import { helloApp, helloFunctions, helloLbUrl } from '../../fixtures/routing/helloApp';

function fn(extra: Partial<FnFunction>): FnFunction {
  return { appName: 'hello-app', name: 'v1', image: 'img', annotations: {}, triggers: [], ...extra };
}

const http = (source: string): FnFunction['triggers'][number] => ({ name: 't', type: 'http', source });

function input(extra: Partial<RoutedAppInput> = {}): RoutedAppInput {
  return { fnAppName: 'hello-app', namespace: 'hello', api: 'v2', lbBaseUrl: helloLbUrl, functions: helloFunctions(), ...extra };
}

describe('routing model', () => {
  describe('invocationPath', () => {
    it('uses the first HTTP trigger on v2, then the function id', () => {
      assert.equal(invocationPath(fn({ triggers: [http('/hello')] }), 'v2'), '/t/hello-app/hello');
      assert.equal(invocationPath(fn({ triggers: [http('nested/path/')] }), 'v2'), '/t/hello-app/nested/path');
      assert.equal(invocationPath(fn({ id: '01ABC', triggers: [{ name: 'c', type: 'cron', source: '/x' }, http('/second')] }), 'v2'), '/t/hello-app/second');
      assert.equal(invocationPath(fn({ id: '01ABC' }), 'v2'), '/invoke/01ABC');
    });

    it('uses /r/<app>/<route> on the 2018 API', () => {
      assert.equal(invocationPath(fn({ name: 'v1', triggers: [http('/v1')] }), 'v1'), '/r/hello-app/v1');
      assert.equal(invocationPath(fn({ name: 'a/b' }), 'v1'), '/r/hello-app/a/b');
    });

    it('refuses a function it cannot invoke, and unsafe paths', () => {
      assert.throws(() => invocationPath(fn({}), 'v2'), /has no HTTP trigger and no id/);
      for (const source of ['/a b', '/a;b', '/a%20b', '/../x', '/a/./b', '/$uri', '/a?b']) {
        assert.throws(() => invocationPath(fn({ triggers: [http(source)] }), 'v2'), /only letters, digits/, source);
      }
      assert.throws(() => invocationPath(fn({ id: '01;rm' }), 'v2'), /"01;rm"/);
    });

    it('agrees with invokeUrlFor, which the Functions view uses', () => {
      const base = 'http://127.0.0.1:9090';
      const cases: [FnFunction, FnApiVersion][] = [
        [fn({ triggers: [http('/hello')] }), 'v2'],
        [fn({ triggers: [http('/a/b-c_d.e~f')] }), 'v2'],
        [fn({ id: '01J9Z' }), 'v2'],
        [fn({ id: '01J9Z', triggers: [{ name: 'c', type: 'cron', source: '/c' }] }), 'v2'],
        [fn({ name: 'v1', triggers: [http('/v1')] }), 'v1'],
        [fn({ name: 'deep/route' }), 'v1'],
      ];
      for (const [f, api] of cases) {
        assert.equal(`${base}${invocationPath(f, api)}`, invokeUrlFor(f, api, base, base));
      }
    });
  });

  describe('buildRoutedApp', () => {
    it('builds the walkthrough app with paths, ids, timeouts and weights', () => {
      const app = helloApp();
      assert.equal(app.appName, 'hello-app');
      assert.equal(app.fnAppName, 'hello-app');
      assert.deepEqual(
        app.versions.map((v) => [v.version, v.fnName, v.fnId, v.weight, v.upstream.path, v.fnTimeoutSeconds]),
        [
          ['v1', 'v1', '01J9ZV1HELL0APPFN0000000V1', 90, '/t/hello-app/v1', 30],
          ['v2', 'v2', '01J9ZV2HELL0APPFN0000000V2', 10, '/invoke/01J9ZV2HELL0APPFN0000000V2', 60],
        ],
      );
      assert.ok(app.versions.every((v) => v.upstream.baseUrl === helloLbUrl));
    });

    it('maps the 2018 API to /r paths without ids', () => {
      const app = helloApp('v1');
      assert.deepEqual(
        app.versions.map((v) => [v.version, v.upstream.path, 'fnId' in v]),
        [
          ['v1', '/r/hello-app/v1', false],
          ['v2', '/r/hello-app/v2', false],
        ],
      );
    });

    it('splits evenly without weights and drops a trailing slash of the lb URL', () => {
      const app = buildRoutedApp(input({ lbBaseUrl: `${helloLbUrl}/` }));
      assert.deepEqual([...weightsOf(app)], [
        ['v1', 50],
        ['v2', 50],
      ]);
      assert.equal(app.versions[0]?.upstream.baseUrl, helloLbUrl);
    });

    it('maps Fn names to Kubernetes names and keeps the originals', () => {
      const app = buildRoutedApp(input({ fnAppName: 'Hello_App', functions: [fn({ appName: 'Hello_App', name: 'V_1', id: '01X' })] }));
      assert.match(app.appName, /^hello-app-[0-9a-f]{8}$/);
      assert.equal(app.fnAppName, 'Hello_App');
      assert.match(app.versions[0]?.version ?? '', /^v-1-[0-9a-f]{8}$/);
      assert.equal(app.versions[0]?.fnName, 'V_1');
      assert.equal(app.versions[0]?.upstream.path, '/invoke/01X');
    });

    it('refuses bad input with a message naming the problem', () => {
      const other = fn({ appName: 'other', id: '1' });
      const cases: [Partial<RoutedAppInput>, RegExp][] = [
        [{ functions: [] }, /at least one function of app "hello-app"/],
        [{ functions: [other] }, /belongs to app "other", not "hello-app"/],
        [{ functions: [fn({ id: '1' }), fn({ id: '2' })] }, /Function "v1" is picked twice/],
        [{ functions: [fn({ name: 'X', id: '1' }), fn({ name: toKubeNameOfX(), id: '2' })] }, /would both use the Kubernetes version label/],
        [{ namespace: 'Hello' }, /Namespace "Hello" is not a valid/],
        [{ namespace: 'a'.repeat(64) }, /is not a valid Kubernetes namespace/],
        [{ lbBaseUrl: 'fn-lb:90' }, /Fn lb URL "fn-lb:90" cannot be used/],
        [{ lbBaseUrl: 'http://fn-lb;evil' }, /only letters, digits/],
        [{ weights: new Map([['v1', 100]]) }, /Version "v2" has no weight/],
        [{ weights: new Map([['v1', 60], ['v2', 60]]) }, /total 120/],
        [{ fnAppName: 'hello app' }, /contains " " at position 6/],
      ];
      for (const [extra, message] of cases) {
        assert.throws(() => buildRoutedApp(input(extra)), message, message.source);
      }
    });
  });

  describe('weights and checks', () => {
    it('withWeights replaces weights after validation', () => {
      const app = withWeights(
        helloApp(),
        new Map([
          ['v1', 0],
          ['v2', 100],
        ]),
      );
      assert.deepEqual(
        app.versions.map((v) => v.weight),
        [0, 100],
      );
      assert.throws(() => withWeights(helloApp(), new Map([['v1', 100]])), /"v2" has no weight/);
    });

    it('checkRoutedApp refuses hand-built apps with unsafe or duplicate names', () => {
      const app = helloApp();
      assert.doesNotThrow(() => checkRoutedApp(app));
      const [first] = app.versions;
      assert.ok(first);
      assert.throws(() => checkRoutedApp({ ...app, appName: 'Hello' }), /App name "Hello"/);
      assert.throws(() => checkRoutedApp({ ...app, namespace: 'a_b' }), /Namespace "a_b"/);
      assert.throws(() => checkRoutedApp({ ...app, versions: [first, { ...first, weight: 10 }] }), /"v1" appears twice/);
      assert.throws(() => checkRoutedApp({ ...app, versions: [{ ...first, version: 'v1;' }] }), /Version name "v1;"/);
      assert.throws(() => checkRoutedApp({ ...app, versions: [{ ...first, weight: 50 }] }), /total 50/);
    });
  });

  describe('parseUpstreamBaseUrl', () => {
    it('reads host, port, authority and base path', () => {
      assert.deepEqual(parseUpstreamBaseUrl('http://fn-lb.fn.svc.cluster.local:90'), {
        scheme: 'http',
        host: 'fn-lb.fn.svc.cluster.local',
        port: 90,
        authority: 'fn-lb.fn.svc.cluster.local:90',
        basePath: '',
      });
      assert.deepEqual(parseUpstreamBaseUrl('https://FN.example.com/fn/'), { scheme: 'https', host: 'fn.example.com', port: 443, authority: 'fn.example.com', basePath: '/fn' });
      assert.equal(parseUpstreamBaseUrl('http://127.0.0.1:80').authority, '127.0.0.1');
      assert.equal(parseUpstreamBaseUrl('http://[::1]:8080').host, '[::1]');
    });

    it('refuses anything that could break out of an nginx directive', () => {
      for (const bad of [
        'http://fn-lb:90;',
        'http://fn-lb:90 ',
        'http://fn-lb\n:90',
        'http://fn-lb:90/$uri',
        'http://fn-lb:90/{x}',
        'http://"fn-lb"',
        'http://user:pw@fn-lb',
        'http://fn-lb/?q=1',
        'http://fn-lb/#x',
        'http://fn-lb/%2e%2e',
        'ftp://fn-lb',
        'http://fn-lb:0',
        'http://fn_lb',
        'http://fn-lb/../x',
      ]) {
        assert.throws(() => parseUpstreamBaseUrl(bad), /cannot be used/, JSON.stringify(bad));
      }
    });
  });
});

function toKubeNameOfX(): string {
  // The hashed mapping of `X`, taken literally as another function's name.
  return buildRoutedApp(input({ functions: [fn({ name: 'X', id: '1' })] })).versions[0]?.version ?? '';
}
