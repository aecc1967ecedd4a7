// The routing commands (Route Traffic, weights, route options, Expose on Ingress Gateway), bundled
// apart as dist/routingCommands.js and loaded by their first call (see lazyFeatures.ts).
export { registerInto } from '../../common/vscode/commands';
export { registerRoutingFeatureCommands } from './routingFeature';
