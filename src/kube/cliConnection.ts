// The connection Fn Mesh uses, said the way a kubectl-compatible command-line tool (istioctl,
// kubectl, helm) takes it: which kubeconfig files and which context. A tool started by Fn Mesh
// must act on the cluster Fn Mesh shows, not on whatever its own defaults pick. Pure: no `vscode`.
import * as path from 'node:path';

/** Which kubeconfig Fn Mesh loaded and the context it selected (see `KubeState`). */
export interface CliConnection {
  /** The kubeconfig files that were read, in kubectl's merge order (never empty when connected). */
  readonly files: readonly string[];
  /** Where the files came from: the `fnMesh.kubeconfig` setting, `KUBECONFIG`, or `~/.kube/config`. */
  readonly source: 'setting' | 'KUBECONFIG' | 'default';
  /** The context Fn Mesh acts on (its own choice, or the kubeconfig's current-context). */
  readonly context: string;
}

/**
 * Arguments and environment that make a kubectl-compatible tool load the same kubeconfig and
 * select the same context as Fn Mesh: `KUBECONFIG` set to the files Fn Mesh merged (kubectl's
 * merge rules give the same result), `--kubeconfig <file>` when there is a single file (so a
 * `KUBECONFIG` in the tool's environment cannot add to it), and always `--context <name>` (the
 * kubeconfig's current-context may differ from the context picked in Fn Mesh).
 * `args` go after the subcommand; `env` is merged over the tool's inherited environment.
 */
export function cliConnectionArgs(connection: CliConnection): { readonly args: string[]; readonly env: { readonly KUBECONFIG: string } } {
  if (connection.files.length === 0) {
    throw new Error('a connected Kubernetes state has at least one kubeconfig file');
  }
  const single = connection.files.length === 1 ? ['--kubeconfig', connection.files[0] ?? ''] : [];
  return {
    args: [...single, '--context', connection.context],
    env: { KUBECONFIG: connection.files.join(path.delimiter) },
  };
}
