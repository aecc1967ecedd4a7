// Bounded fuzzing: mutated rule files never make validation, quick fixes or migration throw,
// and none makes the engine hang. Speed is measured by bench/rules (not by a timed test, which a
// loaded machine would fail); the bound here only catches a hang or a blow-up (a quadratic path,
// backtracking). bench/rules/fuzz.mjs runs longer.
import * as assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../../src/rules/workspaceIndex';
import { parseYaml } from '../../../src/rules/yamlDocuments';
import { exercise, fuzzCorpus } from './helpers/fuzzing';
import { mutate, seededRandom } from './helpers/mutate';

const documents = 300;
const hangGuardMs = 3000;

describe('rules/fuzz', function () {
  this.timeout(60_000);

  it(`${documents} mutated documents: no throw, none near a hang (${hangGuardMs} ms)`, () => {
    const corpus = fuzzCorpus();
    const random = seededRandom(20_181_126);
    const index = new WorkspaceIndex();
    index.setFile('context.yaml', parseYaml(corpus[0]));
    // Warm up (JIT, schema regexes), as in a running editor.
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
      assert.ok(ms < hangGuardMs, `document ${i} took ${ms.toFixed(1)} ms:\n${text.slice(0, 2000)}`);
    }
    assert.ok(problems > documents, `mutations should produce problems (got ${problems})`);
  });
});
