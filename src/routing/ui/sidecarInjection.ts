// Sidecar injection in Route Traffic: before applying, check whether the namespace is injected.
// When it is not, say that the proxies carry the pod label sidecar.istio.io/inject: "true" and
// offer to label the namespace, to continue with the pod label, or (only when istioctl is on PATH)
// to inject the Deployments with `istioctl kube-inject`.
import * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import { injectionLabel } from '../cluster/sidecar';
import { findOnPath } from '../../common/executables';
import { addedContainers, deploymentsYaml, runKubeInject, withInjectedDeployments } from '../kubeInject';
import { sidecarInjectLabel } from '../manifests/kubeObject';
import type { RoutePlan } from '../routePlan';
import type { RoutingTarget } from './routingService';

export type InjectionChoice = 'label' | 'pod-label' | 'kube-inject';

const labelNamespace = 'Label Namespace';
const continueWithPodLabel = 'Continue';
const kubeInject = 'Use istioctl kube-inject';

/**
 * The plan to apply, after the injection choice (the Deployments change only with kube-inject),
 * or undefined when the user cancels. `given` answers without asking; `automated` (the command
 * got its answers as an argument) means "Continue" when `given` is missing, so no prompt blocks.
 */
export async function ensureInjection(
  log: vscode.LogOutputChannel,
  target: RoutingTarget,
  plan: RoutePlan,
  given: InjectionChoice | undefined,
  automated: boolean,
): Promise<RoutePlan | undefined> {
  if (!plan.objects.some((o) => o.kind === 'Deployment')) {
    return plan;
  }
  const ns = await target.resources.namespaceInjection(target.namespace);
  if (ns.mode === 'enabled' || ns.mode === 'revision') {
    return plan;
  }
  const istioctl = findOnPath('istioctl');
  const disabled = ns.mode === 'disabled' ? ` It has ${injectionLabel}=disabled, so Istio skips its pods whatever their labels say.` : '';
  const choice =
    given ??
    (automated
      ? 'pod-label'
      : toChoice(
          await vscode.window.showWarningMessage(
            `Namespace ${target.namespace} is not labelled for Istio sidecar injection.${disabled}`,
            {
              modal: true,
              detail:
                `The proxies carry the pod label ${sidecarInjectLabel}: "true", which is enough where Istio's webhook watches every namespace. ` +
                `Label the namespace (${injectionLabel}=enabled) to be sure; without a sidecar the weights do not apply.`,
            },
            labelNamespace,
            continueWithPodLabel,
            ...(istioctl ? [kubeInject] : []),
          ),
        ));
  switch (choice) {
    case undefined:
      return undefined;
    case 'label': {
      const after = await target.resources.labelNamespaceForInjection(target.namespace);
      log.info(`namespace ${target.namespace}: labelled ${injectionLabel}=enabled (injection now ${after.mode})`);
      void vscode.window.showInformationMessage(`Fn Mesh: labelled namespace ${target.namespace} ${injectionLabel}=enabled; new proxy pods get the sidecar.`);
      return plan;
    }
    case 'pod-label':
      log.info(`namespace ${target.namespace} not labelled for injection (${ns.mode}); relying on the pod label ${sidecarInjectLabel}=true`);
      if (ns.mode === 'disabled') {
        void vscode.window.showWarningMessage(`Fn Mesh: namespace ${target.namespace} has ${injectionLabel}=disabled: the proxies will run without a sidecar.`);
      }
      return plan;
    case 'kube-inject':
      return injectWithIstioctl(log, istioctl, plan);
  }
}

function toChoice(button: string | undefined): InjectionChoice | undefined {
  return button === labelNamespace ? 'label' : button === continueWithPodLabel ? 'pod-label' : button === kubeInject ? 'kube-inject' : undefined;
}

async function injectWithIstioctl(log: vscode.LogOutputChannel, istioctl: string | undefined, plan: RoutePlan): Promise<RoutePlan> {
  if (!istioctl) {
    throw new UserError('istioctl is not on PATH: label the namespace or rely on the pod label instead');
  }
  const output = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'istioctl kube-inject…' }, () =>
    runKubeInject(istioctl, deploymentsYaml(plan.objects)),
  );
  const objects = withInjectedDeployments(plan.objects, output);
  const added = addedContainers(plan.objects, objects);
  const message = `istioctl kube-inject (${istioctl}) added ${added} container(s) to the proxy Deployments; those are applied instead of the generated ones.`;
  log.info(message);
  void vscode.window.showInformationMessage(`Fn Mesh: ${message}`);
  return { ...plan, objects };
}
