// Every command id the extension registers, in one typed map. A plain-Node test checks this
// map against package.json so contributions and registrations never drift apart.

export const commandIds = {
  fnRefresh: 'fnMesh.fn.refresh',
  fnConfigure: 'fnMesh.fn.configure',
  fnShowEndpoint: 'fnMesh.fn.showEndpoint',
  fnCopyInvokeUrl: 'fnMesh.fn.copyInvokeUrl',
  fnInvoke: 'fnMesh.fn.invoke',
  fnDeploy: 'fnMesh.fn.deploy',
  fnNewVersion: 'fnMesh.fn.newVersion',
  fnRegisterImage: 'fnMesh.fn.registerImage',
  kubeSelectContext: 'fnMesh.kube.selectContext',
  kubeSelectNamespace: 'fnMesh.kube.selectNamespace',
  routingRouteTraffic: 'fnMesh.routing.routeTraffic',
  routingRefresh: 'fnMesh.routing.refresh',
  routingAdjustWeights: 'fnMesh.routing.adjustWeights',
  routingUndoWeights: 'fnMesh.routing.undoWeights',
  routingRemove: 'fnMesh.routing.remove',
  routingPinHeader: 'fnMesh.routing.pinHeader',
  routingInjectFault: 'fnMesh.routing.injectFault',
  routingMirror: 'fnMesh.routing.mirror',
  routingTimeoutRetries: 'fnMesh.routing.timeoutRetries',
  routingOutlierDetection: 'fnMesh.routing.outlierDetection',
  routingClearOptions: 'fnMesh.routing.clearOptions',
  routingExposeOnGateway: 'fnMesh.routing.exposeOnGateway',
  rulesMigrate: 'fnMesh.rules.migrate',
  rulesApplyFile: 'fnMesh.rules.applyFile',
  showLog: 'fnMesh.showLog',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];
