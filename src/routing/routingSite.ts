// Where Fn Mesh acts: a cluster (context name and API server) and a namespace. Commands state it
// in their confirmations, the Traffic Routing view records which one it shows, and Undo refuses a
// change made at another site. Pure: no `vscode`.

export interface ChangeSite {
  /** Identifies the cluster: context name and API server URL, e.g. `kind-a @ https://127.0.0.1:6443`. */
  readonly clusterKey: string;
  /** The context's name, as the status bar shows it. */
  readonly context: string;
  readonly namespace: string;
}

/** The site of a connection: `context` and its cluster's `server` (undefined when it has none), and `namespace`. */
export function siteOf(context: string, server: string | undefined, namespace: string): ChangeSite {
  return { clusterKey: `${context} @ ${server ?? 'no server'}`, context, namespace };
}

/** Same cluster and namespace. */
export function sameSite(a: ChangeSite, b: ChangeSite): boolean {
  return a.clusterKey === b.clusterKey && a.namespace === b.namespace;
}

/** `namespace shop of context kind-a`, for messages. */
export function describeSite(site: ChangeSite): string {
  return `namespace ${site.namespace} of context ${site.context}`;
}
