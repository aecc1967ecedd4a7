// Bundles the extension for VS Code (CommonJS, `vscode` provided by the host) in two files:
//   dist/extension.js   what activation loads: small;
//   dist/clientNode.js  @kubernetes/client-node (ESM, several MB), loaded by the first Kubernetes
//                       feature that runs, through src/kube/clientNode.ts;
//   dist/ruleWorker.js  the rule engine's worker thread (validation off the extension host's thread);
//   dist/cli.js         the rule engine for CI (`node dist/cli.js check <paths>`).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  legalComments: 'linked',
  logLevel: 'info',
};

/** Keeps client-node out of the main bundle: its import becomes a require of the second file. */
const clientNodeApart = {
  name: 'client-node-apart',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: './clientNode.js', external: true }));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [clientNodeApart],
    // Turn `import()` into `require()` so the external chunk loads as CommonJS.
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    stdin: { contents: "export * from '@kubernetes/client-node';", resolveDir: '.', sourcefile: 'clientNode.ts', loader: 'ts' },
    outfile: 'dist/clientNode.js',
    mainFields: ['module', 'main'],
  },
  { ...common, entryPoints: ['src/rules/engine/ruleWorker.ts'], outfile: 'dist/ruleWorker.js' },
  { ...common, entryPoints: ['src/rules/cli/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) {
    await (await esbuild.context(options)).watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
