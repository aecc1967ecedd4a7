// The rule-file editor features (diagnostics, quick fixes, schemas, cluster facts) and the rule
// commands, bundled apart as dist/rules.js. Loaded when the workspace has a YAML file or one is
// opened, or by the first call of a rule command (see src/extension.ts).
export { registerInto } from '../../common/vscode/commands';
export { createRulesFeature } from './rulesFeature';
