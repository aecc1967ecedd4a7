// Whether Route Traffic must ask about sidecar injection before applying, from the namespace's
// labels. An answer given up front is taken as is: the namespace is not read for it, so a user
// who may not read namespaces (RBAC) can still route. Pure: no `vscode`.
import { describeError } from '../../common/errors';
import type { NamespaceInjection } from './sidecar';

/** How the proxies get their sidecar when the namespace is not labelled for injection. */
export type InjectionChoice = 'label' | 'pod-label' | 'kube-inject';

export type InjectionQuestion =
  /** The namespace is labelled for injection (istio-injection=enabled or istio.io/rev): nothing to ask. */
  | { readonly kind: 'injected'; readonly namespace: NamespaceInjection }
  /** The answer was given: act on it without reading the namespace. */
  | { readonly kind: 'given'; readonly choice: InjectionChoice }
  /** Ask (or take the default): the namespace is not labelled, or could not be read (`readError`). */
  | { readonly kind: 'ask'; readonly mode: NamespaceInjection['mode'] | 'unknown'; readonly readError?: string };

/**
 * What to do about injection for `namespace`: `given` wins without a request; otherwise
 * `readNamespace` (a GET of the Namespace) decides, and a failed read (403, 404, network) is not
 * fatal: it becomes a question with `mode: 'unknown'` and the reason in one line.
 */
export async function injectionQuestion(readNamespace: () => Promise<NamespaceInjection>, given: InjectionChoice | undefined): Promise<InjectionQuestion> {
  if (given !== undefined) {
    return { kind: 'given', choice: given };
  }
  let ns: NamespaceInjection;
  try {
    ns = await readNamespace();
  } catch (err) {
    return { kind: 'ask', mode: 'unknown', readError: describeError(err) };
  }
  return ns.mode === 'enabled' || ns.mode === 'revision' ? { kind: 'injected', namespace: ns } : { kind: 'ask', mode: ns.mode };
}
