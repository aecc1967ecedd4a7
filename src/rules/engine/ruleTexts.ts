// Cheap, linear looks at a YAML text that decide whether the engine parses it at all: a rule
// file (Istio or Gateway API apiVersion) is parsed and validated; other YAML is parsed only when
// it may hold an object the cross-file checks read (a Service, a workload); the rest (CI
// workflows, Helm values, compose files...) is never parsed.

/** A document whose apiVersion is Istio networking/config or the Gateway API. */
const ruleApi = /^[ \t]*apiVersion:[ \t]*["']?(?:networking\.istio\.io|gateway\.networking\.k8s\.io|config\.istio\.io)\//m;

/** Kinds of other YAML the workspace index reads (Services for host checks, workloads for subsets). */
const indexedKind = /^[ \t]*kind:[ \t]*["']?(?:Service|ServiceEntry|Namespace|Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet)["']?[ \t]*(?:#.*)?$/m;

/** Whether `text` holds routing rules (what gets diagnostics). */
export function isRuleText(text: string): boolean {
  return ruleApi.test(text);
}

/** Whether the engine needs `text` parsed: a rule file, or YAML with an object the index reads. */
export function needsParsing(text: string): boolean {
  return isRuleText(text) || indexedKind.test(text);
}
