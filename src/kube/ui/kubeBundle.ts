// The context and namespace pickers, bundled apart as dist/kubeCommands.js and loaded by their
// first call (see src/common/vscode/lazyFeatures.ts).
export { registerInto } from '../../common/vscode/commands';
export { registerKubeCommands } from './kubeCommands';
