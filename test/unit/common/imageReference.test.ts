// One image reference rule for Register Image and the proxies' image (they used to disagree:
// one accepted a URL-like `a://b` or 300-character names the other refused).
import * as assert from 'node:assert/strict';
import { imageReferenceProblem } from '../../../src/common/imageReference';

describe('image references', () => {
  it('accepts registry, port, path, tag and digest forms', () => {
    for (const ok of ['nginx', 'nginx:1.27-alpine', 'fnmesh/hello:v3', 'registry.example.com:5000/team/hello:0.0.2', `docker.io/library/nginx@sha256:${'a'.repeat(64)}`, `hello:v1@sha256:${'0'.repeat(64)}`, 'localhost:5000/a__b/c-d']) {
      assert.equal(imageReferenceProblem(ok), undefined, ok);
    }
  });

  it('refuses URLs, spaces, upper-case paths, short digests and over-long names, in one line', () => {
    for (const bad of ['http://x/y', 'a b', 'Team/Hello', 'hello@sha256:abc', '-hello', 'hello:', `${'a'.repeat(256)}:v1`, 'nginx\n:latest']) {
      const problem = imageReferenceProblem(bad) ?? '';
      assert.match(problem, /is not an image reference/, bad);
      assert.doesNotMatch(problem, /\n/);
    }
  });
});
