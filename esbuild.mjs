// Bundles the extension for VS Code (CommonJS, `vscode` provided by the host) in two files:
//   dist/extension.js   what activation loads: small;
//   dist/clientNode.js  @kubernetes/client-node (ESM, several MB), loaded by the first Kubernetes
//                       feature that runs, through src/kube/clientNode.ts;
//   dist/yaml.js, dist/jsYaml.js  the YAML parsers (about 360 KB), loaded the first time one of
//                       their exports is read (see lazyParsers), never by activation;
//   dist/ruleWorker.js  the rule engine's worker thread (validation off the extension host's thread);
//   dist/cli.js         the rule engine for CI (`node dist/cli.js check <paths>`);
//   dist/sampling.js    the sampling core (undici, hdr-histogram-js, stdlib), loaded on the first
//                       Start Sampling through src/sampling/ui/samplingCore.ts;
//   dist/samplingChart.js/.css  the chart webview's script (uPlot), for the browser;
//   dist/fnCommands.js, kubeCommands.js, routingCommands.js, deploy.js, rules.js, samplingUi.js,
//   rollout.js  the features that load on first use, and kubeResources.js, the cluster access code
//   loaded with the first connection (see lazyFeatures below).
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import * as path from 'node:path';

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

/** Keeps the sampling core out of the main bundle: samplingCore.ts's imports become a require of dist/sampling.js. */
const samplingApart = {
  name: 'sampling-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/(samplingSession|attribution|goodnessOfFit)(\.js)?$/ }, (args) =>
      args.importer.endsWith('samplingCore.ts') ? { path: './sampling.js', external: true } : undefined,
    );
  },
};

/** Parser packages kept out of extension.js, and the file each is bundled into. */
const lazyParsers = { yaml: 'yaml.js', 'js-yaml': 'jsYaml.js' };

/**
 * In extension.js, `yaml` and `js-yaml` become stubs whose exports are getters: the first read of
 * one requires the parser's own bundle. Activation then evaluates no parser; the export names are
 * taken from the installed package at build time.
 */
const parsersApart = {
  name: 'parsers-apart',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(lazyParsers).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-parser' }));
    build.onResolve({ filter: /.*/, namespace: 'lazy-parser' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-parser' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(args.path));
      return {
        loader: 'js',
        contents: [
          'let real;',
          `const load = () => (real ??= require(${JSON.stringify(`./${lazyParsers[args.path]}`)}));`,
          `for (const name of ${JSON.stringify(names)}) {`,
          '  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });',
          '}',
        ].join('\n'),
      };
    });
  },
};

/**
 * Features bundled apart and loaded on first use: each entry (a `*Bundle.ts` that src/extension.ts
 * or a loader `require`s inside a function) and the file it becomes. Activation evaluates none of them; their
 * commands are registered as stubs (src/common/vscode/lazyFeatures.ts). Code they share with
 * extension.js is in both files, so no module state may be shared through such code: services are
 * passed in, and UserError is recognised across copies.
 */
const lazyFeatures = {
  'src/fn/ui/fnBundle.ts': 'fnCommands.js',
  'src/kube/ui/kubeBundle.ts': 'kubeCommands.js',
  'src/routing/ui/routingBundle.ts': 'routingCommands.js',
  'src/deploy/ui/deployBundle.ts': 'deploy.js',
  'src/rules/ui/rulesBundle.ts': 'rules.js',
  'src/sampling/ui/samplingBundle.ts': 'samplingUi.js',
  'src/rollout/ui/rolloutBundle.ts': 'rollout.js',
  // Not a feature: the cluster access code, loaded with the first connection (kubeResourcesLoader.ts).
  'src/routing/cluster/kubeResourcesBundle.ts': 'kubeResources.js',
};

/** In extension.js, the require of a feature's entry becomes a require of the feature's own file. */
const featuresApart = {
  name: 'features-apart',
  setup(build) {
    build.onResolve({ filter: /Bundle$/ }, (args) => {
      const entry = path.relative(process.cwd(), path.resolve(args.resolveDir, `${args.path}.ts`)).split(path.sep).join('/');
      const file = lazyFeatures[entry];
      if (!file) {
        return undefined;
      }
      if (args.kind !== 'require-call') {
        return { errors: [{ text: `${entry} is a lazily loaded feature: require() it inside a function, do not import it` }] };
      }
      return { path: `./${file}`, external: true };
    });
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [clientNodeApart, samplingApart, parsersApart, featuresApart],
    // Turn `import()` into `require()` so the external chunk loads as CommonJS.
    supported: { 'dynamic-import': false },
  },
  ...Object.entries(lazyFeatures).map(([entry, file]) => ({
    ...common,
    entryPoints: [entry],
    outfile: `dist/${file}`,
    plugins: [clientNodeApart, samplingApart, parsersApart],
    supported: { 'dynamic-import': false },
  })),
  {
    ...common,
    stdin: { contents: "export * from '@kubernetes/client-node';", resolveDir: '.', sourcefile: 'clientNode.ts', loader: 'ts' },
    outfile: 'dist/clientNode.js',
    mainFields: ['module', 'main'],
  },
  ...Object.entries(lazyParsers).map(([pkg, file]) => ({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: '.', sourcefile: file, loader: 'js' },
    outfile: `dist/${file}`,
  })),
  { ...common, entryPoints: ['src/rules/engine/ruleWorker.ts'], outfile: 'dist/ruleWorker.js' },
  { ...common, entryPoints: ['src/rules/cli/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    stdin: {
      contents: ["export * from './src/sampling/samplingSession';", "export * from './src/sampling/attribution';", "export { verdictText } from './src/sampling/goodnessOfFit';"].join('\n'),
      resolveDir: '.',
      sourcefile: 'sampling.ts',
      loader: 'ts',
    },
    outfile: 'dist/sampling.js',
  },
  {
    entryPoints: ['media/samplingChart.mjs'],
    outfile: 'dist/samplingChart.js',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    legalComments: 'linked',
    logLevel: 'info',
  },
];

if (watch) {
  for (const options of builds) {
    await (await esbuild.context(options)).watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
