// The sampling panel, status bar, chart and commands, bundled apart as dist/samplingUi.js and
// loaded by the first sampling command or rollout (the sampling core itself is dist/sampling.js).
export { registerInto } from '../../common/vscode/commands';
export { createSamplingFeature } from './samplingFeature';
