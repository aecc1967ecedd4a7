// The cluster access behind the routing view and commands (object API client, apply, diff,
// rollback, removal, the routing watch): bundled apart as dist/kubeResources.js and loaded with
// the first connection (see connectKubeResourcesLazily), as client-node itself is.
export { connectKubeResources } from './kubeResources';
