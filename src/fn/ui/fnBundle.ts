// The Fn commands (configure, token, endpoint, invoke), bundled apart as dist/fnCommands.js and
// loaded by their first call (see src/common/vscode/lazyFeatures.ts).
export { registerInto } from '../../common/vscode/commands';
export { registerFnCommands } from './fnCommands';
