// Sidecar injection in Route Traffic: before applying, check whether the namespace is injected.
// When it is not, say that the proxies carry the pod label sidecar.istio.io/inject: "true" and
// offer to label the namespace, to continue with the pod label, or (only when istioctl is on PATH)
// to inject the Deployments with `istioctl kube-inject`.
import * as vscode from 'vscode';
import { UserError } from '../../common/errors';
import { injectionQuestion, type InjectionChoice } from '../cluster/injectionQuestion';
import { injectionLabel } from '../cluster/sidecar';
import { findOnPath } from '../../common/executables';
import { addedContainers, deploymentsYaml, runKubeInject, withInjectedDeployments } from '../kubeInject';
import { sidecarInjectLabel } from '../manifests/kubeObject';
import type { RoutePlan } from '../routePlan';
import type { RoutingTarget } from './routingService';

export type { InjectionChoice } from '../cluster/injectionQuestion';

const labelNamespace = 'Label Namespace';
const continueWithPodLabel = 'Continue';
const kubeInject = 'Use istioctl kube-inject';

/**
 * The plan to apply, after the injection choice (the Deployments change only with kube-inject),
 * or undefined when the user cancels. `given` answers without asking (and without reading the
 * namespace); `automated` (the command got its answers as an argument) means "Continue" when
 * `given` is missing, so no prompt blocks. A namespace that cannot be read is not fatal: the
 * question is asked (or the default taken) with the reason.
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
  const question = await injectionQuestion(() => target.resources.namespaceInjection(target.namespace), given);
  if (question.kind === 'injected') {
    return plan;
  }
  if (question.kind === 'ask' && question.readError) {
    log.warn(`namespace ${target.namespace}: cannot read its injection labels (${question.readError})`);
  }
  const istioctl = findOnPath('istioctl');
  const mode = question.kind === 'ask' ? question.mode : undefined;
  const disabled = mode === 'disabled' ? ` It has ${injectionLabel}=disabled, so Istio skips its pods whatever their labels say.` : '';
  const headline =
    mode === 'unknown'
      ? `Fn Mesh cannot tell whether namespace ${target.namespace} is labelled for Istio sidecar injection: ${question.kind === 'ask' ? question.readError : ''}.`
      : `Namespace ${target.namespace} is not labelled for Istio sidecar injection.${disabled}`;
  const choice =
    question.kind === 'given'
      ? question.choice
      : automated
        ? 'pod-label'
        : toChoice(
            await vscode.window.showWarningMessage(
              headline,
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
          );
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
      log.info(`namespace ${target.namespace}: relying on the pod label ${sidecarInjectLabel}=true (${question.kind === 'given' ? 'as given' : `namespace injection: ${mode}`})`);
      if (mode === 'disabled') {
        void vscode.window.showWarningMessage(`Fn Mesh: namespace ${target.namespace} has ${injectionLabel}=disabled: the proxies will run without a sidecar.`);
      }
      return plan;
    case 'kube-inject':
      return injectWithIstioctl(log, istioctl, target, plan);
  }
}

function toChoice(button: string | undefined): InjectionChoice | undefined {
  return button === labelNamespace ? 'label' : button === continueWithPodLabel ? 'pod-label' : button === kubeInject ? 'kube-inject' : undefined;
}

async function injectWithIstioctl(log: vscode.LogOutputChannel, istioctl: string | undefined, target: RoutingTarget, plan: RoutePlan): Promise<RoutePlan> {
  if (!istioctl) {
    throw new UserError('istioctl is not on PATH: label the namespace or rely on the pod label instead');
  }
  // istioctl reads the injection template from the cluster: the one Fn Mesh is connected to.
  const output = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `istioctl kube-inject (context ${target.context})…` }, () =>
    runKubeInject(istioctl, deploymentsYaml(plan.objects), { connection: target.cli }),
  );
  const objects = withInjectedDeployments(plan.objects, output);
  const added = addedContainers(plan.objects, objects);
  const message = `istioctl kube-inject (${istioctl}, context ${target.context}) added ${added} container(s) to the proxy Deployments; those are applied instead of the generated ones.`;
  log.info(message);
  void vscode.window.showInformationMessage(`Fn Mesh: ${message}`);
  return { ...plan, objects };
}
