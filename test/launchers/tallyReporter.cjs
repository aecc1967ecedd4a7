// Mocha reporter: the usual spec output, plus one line per run appended to $FN_MESH_TEST_TALLY
// ("<passed> <failed> <pending> <title>") so scripts/test-all.sh can print one total for all tiers.
const fs = require('node:fs');
const Mocha = require('mocha');

class TallyReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.FN_MESH_TEST_TALLY;
      if (file) {
        const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
        fs.appendFileSync(file, `${s.passes} ${s.failures} ${s.pending} ${process.env.FN_MESH_TEST_TIER ?? 'mocha'}\n`);
      }
    });
  }
}

module.exports = TallyReporter;
