import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import {
  assertNoNameCollisions,
  findNameCollisions,
  fnNameProblem,
  isDns1035Label,
  maxKubeNameLength,
  toKubeName,
  versionObjectName,
} from '../../../src/routing/names';
import { seededRandom } from '../../helpers/seededRandom';

const fnAlphabet = 'abcXYZ019_-';

function randomFnName(random: () => number): string {
  const length = 1 + Math.floor(random() * (random() < 0.2 ? 255 : 20));
  return Array.from({ length }, () => fnAlphabet[Math.floor(random() * fnAlphabet.length)]).join('');
}

describe('routing names', () => {
  describe('toKubeName', () => {
    it('keeps names that already are DNS-1035 labels', () => {
      for (const name of ['hello-app', 'v1', 'a', 'x'.repeat(63), 'canary-2']) {
        assert.equal(toKubeName(name), name);
      }
    });

    it('lower-cases, turns _ into -, and appends a hash of the original when lossy', () => {
      const mapped = toKubeName('Hello_App');
      assert.match(mapped, /^hello-app-[0-9a-f]{8}$/);
      assert.equal(toKubeName('Hello_App'), mapped, 'deterministic');
      assert.notEqual(toKubeName('hello_app'), mapped, 'different Fn names keep different Kubernetes names');
      assert.notEqual(toKubeName('hello_app'), 'hello-app', 'a lossy name never takes the name of a lossless one');
    });

    it('makes names start with a letter and collapses separators', () => {
      assert.match(toKubeName('2024-rewrite'), /^fn-2024-rewrite-[0-9a-f]{8}$/);
      assert.match(toKubeName('__v1__beta'), /^v1-beta-[0-9a-f]{8}$/);
      assert.match(toKubeName('_'), /^fn-[0-9a-f]{8}$/);
      assert.match(toKubeName('-'), /^fn-[0-9a-f]{8}$/);
      assert.match(toKubeName('v1-'), /^v1-[0-9a-f]{8}$/, 'a trailing - is invalid in a label');
    });

    it('maps 2018 route paths with / to one label', () => {
      assert.match(toKubeName('hello/world'), /^hello-world-[0-9a-f]{8}$/);
      assert.throws(() => toKubeName('hello//world'), /empty path segment/);
    });

    it('truncates long names to 63 characters with the hash', () => {
      const long = 'a'.repeat(64);
      const mapped = toKubeName(long);
      assert.equal(mapped.length, maxKubeNameLength);
      assert.match(mapped, /^a{54}-[0-9a-f]{8}$/);
      const longest = toKubeName(`${'B_'.repeat(127)}c`);
      assert.ok(longest.length <= maxKubeNameLength && isDns1035Label(longest), longest);
      assert.notEqual(toKubeName('a'.repeat(65)), mapped, 'names sharing a 63-character prefix stay distinct');
    });

    it('gives valid, distinct labels for 3000 random Fn names', () => {
      const random = seededRandom(42);
      const byKube = new Map<string, string>();
      for (let i = 0; i < 3000; i++) {
        const name = randomFnName(random);
        const kube = toKubeName(name);
        assert.ok(isDns1035Label(kube), `${JSON.stringify(name)} -> ${JSON.stringify(kube)}`);
        const previous = byKube.get(kube);
        assert.ok(previous === undefined || previous === name, `${previous} and ${name} both map to ${kube}`);
        byKube.set(kube, name);
      }
      assert.ok(byKube.size > 2500, `expected mostly distinct random names, got ${byKube.size}`);
    });

    it('refuses characters meaningful to nginx or YAML, naming the character and position', () => {
      for (const [name, char, position] of [
        ['a;b', '";"', 2],
        ['a{b', '"{"', 2],
        ['}', '"}"', 1],
        ['v$1', '"$"', 2],
        ['v1 ', '" "', 3],
        ['a\nb', '"\\n"', 2],
        ['a\tb', '"\\t"', 2],
        ['a"b', '"\\""', 2],
        ["a'b", `"'"`, 2],
        ['a:b', '":"', 2],
        ['#a', '"#"', 1],
        ['a.b', '"."', 2],
        ['a%20', '"%"', 2],
        ['é', '"é"', 1],
      ] as const) {
        assert.throws(
          () => toKubeName(name),
          (err: unknown) => err instanceof UserError && err.message.includes(`contains ${char} at position ${position}`),
          JSON.stringify(name),
        );
      }
    });

    it('refuses empty and over-long names', () => {
      assert.equal(fnNameProblem('', 'Fn app name'), 'Fn app name is empty');
      assert.match(fnNameProblem('a'.repeat(256)) ?? '', /256 characters long; Fn allows at most 255/);
      assert.equal(fnNameProblem('a'.repeat(255)), undefined);
    });
  });

  describe('versionObjectName', () => {
    it('joins app and version while it fits', () => {
      assert.equal(versionObjectName('hello-app', 'v1'), 'hello-app-v1');
    });

    it('hashes the pair when the join is longer than 63 characters', () => {
      const app = 'a'.repeat(40);
      const one = versionObjectName(app, 'b'.repeat(30));
      const two = versionObjectName(`${app}-b`, 'b'.repeat(28));
      assert.ok(isDns1035Label(one) && isDns1035Label(two));
      assert.equal(one.length, maxKubeNameLength);
      assert.notEqual(one, two, 'the same joined text from different pairs gets different names');
    });
  });

  describe('collisions', () => {
    it('finds none for the walkthrough and for case variants (hashed apart)', () => {
      assert.deepEqual(findNameCollisions([{ appName: 'hello-app', functionNames: ['v1', 'v2', 'V1', 'v_1'] }]), []);
    });

    it('ignores the same function listed twice', () => {
      assert.deepEqual(findNameCollisions([{ appName: 'a', functionNames: ['v1', 'v1'] }]), []);
    });

    it('names both Fn names when version objects of two apps coincide', () => {
      const [collision, ...rest] = findNameCollisions([
        { appName: 'a-b', functionNames: ['c'] },
        { appName: 'a', functionNames: ['b-c'] },
      ]);
      assert.equal(rest.length, 0);
      assert.equal(collision?.kubeName, 'a-b-c');
      assert.equal(collision?.first, 'function "c" of Fn app "a-b"');
      assert.equal(collision?.second, 'function "b-c" of Fn app "a"');
    });

    it('finds an app whose name is another app’s version object', () => {
      const collisions = findNameCollisions([
        { appName: 'hello-app', functionNames: ['v1'] },
        { appName: 'hello-app-v1', functionNames: ['v1'] },
      ]);
      assert.deepEqual(
        collisions.map((c) => c.kubeName),
        ['hello-app-v1'],
      );
    });

    it('finds a literal name equal to another name’s hashed mapping', () => {
      const hashed = toKubeName('X');
      const collisions = findNameCollisions([{ appName: 'app', functionNames: ['X', hashed] }]);
      assert.ok(collisions.some((c) => c.kubeName === hashed && c.message.includes('version label')));
      assert.throws(
        () => assertNoNameCollisions([{ appName: 'app', functionNames: ['X', hashed] }]),
        (err: unknown) => err instanceof UserError && err.message.includes('"X"') && err.message.includes(`"${hashed}"`) && err.message.includes('more'),
      );
    });

    it('rejects invalid names instead of mapping them', () => {
      assert.throws(() => findNameCollisions([{ appName: 'ok', functionNames: ['bad name'] }]), /contains " " at position 4/);
    });
  });
});
