// Bounded fuzzing: mutated rule files never make validation, quick fixes or migration throw,
// and each document is handled within a time bound. bench/rules/fuzz.mjs runs longer.
import * as assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../../src/rules/workspaceIndex';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { exercise, fuzzCorpus } from './helpers/fuzzing';
import { mutate, seededRandom } from './helpers/mutate';

const documents = 300;
const budgetMs = 200;

describe('rules/fuzz', function () {
  this.timeout(60_000);

  it(`${documents} mutated documents: no throw, each under ${budgetMs} ms`, () => {
    const corpus = fuzzCorpus();
    const random = seededRandom(20_181_126);
    const index = new WorkspaceIndex();
    index.setFile('context.yaml', parseYaml(corpus[0]));
    // Warm up (JIT, schema regexes) so the budget measures steady state, as in a running editor.
    corpus.forEach((text) => exercise(text, index));
    let problems = 0;
    for (let i = 0; i < documents; i++) {
      const text = mutate(corpus[i % corpus.length], random);
      const started = process.hrtime.bigint();
      try {
        problems += exercise(text, index);
      } catch (err) {
        assert.fail(`document ${i} threw ${String(err)}:\n${text}`);
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < budgetMs, `document ${i} took ${ms.toFixed(1)} ms:\n${text.slice(0, 2000)}`);
    }
    assert.ok(problems > documents, `mutations should produce problems (got ${problems})`);
  });
});
