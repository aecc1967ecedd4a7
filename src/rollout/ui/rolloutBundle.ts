// Progressive rollout (controller, commands), bundled apart as dist/rollout.js. Loaded by the first
// rollout command, or at activation when a previous window left a rollout unfinished.
export { registerInto } from '../../common/vscode/commands';
export { createRolloutFeature } from './rolloutFeature';
