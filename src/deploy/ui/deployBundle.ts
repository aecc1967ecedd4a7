// Deploy Function, New Version and Register Image, bundled apart as dist/deploy.js and loaded by
// their first call (see src/common/vscode/lazyFeatures.ts).
export { registerInto } from '../../common/vscode/commands';
export { registerDeployCommands } from './deployCommands';
