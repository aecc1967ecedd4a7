// Fn Mesh's stable rule codes. A code never changes meaning once released; retire a code
// rather than reuse it. docs/rules.md explains each one (a unit test keeps the two in sync).
//   FNM0xx YAML   FNM1xx schema   FNM2xx weights   FNM3xx subsets and hosts
//   FNM4xx gateways   FNM5xx fault, mirror, durations   FNM6xx cluster-aware (when connected)
//   FNM7xx rule order and matches   FNM8xx Fn func.yaml
export type Severity = 'error' | 'warning' | 'info';

export interface CodeInfo {
  readonly severity: Severity;
  /** A few words, shown next to the code. */
  readonly title: string;
  /** One or two sentences for the hover: why it matters. */
  readonly explanation: string;
}

export const ruleCodes = {
  FNM001: {
    severity: 'error',
    title: 'YAML syntax error',
    explanation: 'The text is not valid YAML, so nothing after this point can be checked reliably.',
  },
  FNM002: {
    severity: 'error',
    title: 'Duplicate key',
    explanation: 'A mapping repeats a key; Kubernetes keeps only the last value, silently.',
  },
  FNM003: {
    severity: 'error',
    title: 'Tab used for indentation',
    explanation: 'YAML forbids tabs in indentation; use spaces.',
  },
  FNM004: {
    severity: 'error',
    title: 'Too many aliases (alias bomb refused)',
    explanation: 'Aliases expand beyond a safe size (a "billion laughs" document); the document is not expanded.',
  },
  FNM005: {
    severity: 'error',
    title: 'File not validated (too large, binary or nested too deeply)',
    explanation: 'The file is over 2 MB, contains NUL bytes or nests too deeply; it is not parsed, to keep the editor responsive.',
  },
  FNM006: {
    severity: 'error',
    title: 'Key is not a string',
    explanation: 'Kubernetes objects only have string keys; a list, map or null key cannot be applied.',
  },

  FNM101: {
    severity: 'error',
    title: 'Unknown field',
    explanation: 'The field is not in the CRD schema; the API server rejects it (strict field validation) or drops it.',
  },
  FNM102: {
    severity: 'error',
    title: 'Wrong type',
    explanation: 'The value has a different type than the CRD schema requires (for example a quoted number).',
  },
  FNM103: {
    severity: 'error',
    title: 'Missing required field',
    explanation: 'The CRD schema requires this field.',
  },
  FNM104: {
    severity: 'error',
    title: 'Value not allowed',
    explanation: 'The value is not one of the values the CRD schema lists.',
  },
  FNM105: {
    severity: 'error',
    title: 'Number out of range',
    explanation: 'The number is outside the range the field accepts (for example int32).',
  },
  FNM106: {
    severity: 'error',
    title: 'Conflicting fields',
    explanation: 'The fields are alternatives: set only one of them.',
  },
  FNM107: {
    severity: 'error',
    title: 'Value does not match the expected format or size',
    explanation: 'The value does not match the pattern, length, size or format the CRD schema requires.',
  },
  FNM108: {
    severity: 'warning',
    title: 'Empty value (the API server drops it)',
    explanation: 'The field has no value; the API server drops it, which is rarely what was meant.',
  },
  FNM109: {
    severity: 'error',
    title: 'API version not served for this kind',
    explanation: 'The CRD does not serve this apiVersion for this kind.',
  },
  FNM110: {
    severity: 'info',
    title: 'Older API version',
    explanation: 'This version is still served, but networking.istio.io/v1 is current.',
  },
  FNM111: {
    severity: 'warning',
    title: '2018 resource no longer served (migrate it)',
    explanation: 'config.istio.io/v1alpha2 RouteRule and DestinationPolicy were removed from Istio; convert them with Fn Mesh: Migrate.',
  },
  FNM112: {
    severity: 'error',
    title: 'Regular expression not accepted by RE2',
    explanation: 'Envoy and istiod compile match regexes with RE2, which has no lookaround or backreferences; Istio also refuses empty regexes and ones over 1024 characters.',
  },
  FNM113: {
    severity: 'warning',
    title: 'Deprecated field',
    explanation: 'Istio marks this field deprecated: it still works, but it has a replacement and may be removed.',
  },
  FNM114: {
    severity: 'error',
    title: 'CRD validation rule fails',
    explanation: 'The CRD carries validation rules (CEL) that the API server evaluates; this object breaks one, so the API server refuses it.',
  },

  FNM201: {
    severity: 'error',
    title: 'Negative weight',
    explanation: 'Istio rejects negative weights.',
  },
  FNM202: {
    severity: 'error',
    title: 'Weights add up to zero',
    explanation: 'No destination can receive traffic when every weight is 0 (a missing weight counts as 0); Istio rejects the route.',
  },
  FNM203: {
    severity: 'info',
    title: 'Weights do not add up to 100',
    explanation: 'Istio treats weights as relative, so this works, but people and Kiali read weights as percentages.',
  },
  FNM204: {
    severity: 'warning',
    title: 'Weight on a single destination',
    explanation: 'A single destination receives all traffic whatever its weight; the weight only misleads.',
  },
  FNM205: {
    severity: 'info',
    title: 'Destination without a weight among weighted ones',
    explanation: 'When some destinations have weights, a destination without one gets weight 0 and receives no traffic.',
  },

  FNM301: {
    severity: 'error',
    title: 'Subset not defined',
    explanation: 'No DestinationRule for the host defines this subset, so requests routed to it fail (HTTP 503).',
  },
  FNM302: {
    severity: 'error',
    title: 'Duplicate subset name',
    explanation: 'Two subsets of one DestinationRule have the same name; only one of them takes effect.',
  },
  FNM303: {
    severity: 'warning',
    title: 'Subset without labels',
    explanation: 'A subset without labels selects every endpoint of the host, so it does not separate versions.',
  },
  FNM304: {
    severity: 'warning',
    title: 'Same host and subset twice in one route',
    explanation: 'Two destinations of one route name the same host and subset; merge them and add their weights.',
  },
  FNM305: {
    severity: 'warning',
    title: 'Several VirtualServices for the same host in the mesh',
    explanation: 'Sidecars apply only one of the VirtualServices bound to the mesh for a host; keep one. (On a gateway, Istio merges them: no conflict.)',
  },
  FNM306: {
    severity: 'warning',
    title: 'Subset or traffic policy defined twice for one host',
    explanation: 'Istio merges the DestinationRules of one host: their subsets are added together, but a subset name defined in two of them, or a top-level trafficPolicy set in two of them, is taken from the oldest rule only.',
  },
  FNM307: {
    severity: 'warning',
    title: 'No Service provides this host',
    explanation: 'No Service in the workspace or the cluster provides this host, so the rule routes nothing.',
  },
  FNM308: {
    severity: 'warning',
    title: 'TLS without server certificate verification',
    explanation: 'Client TLS (SIMPLE or MUTUAL) without caCertificates does not verify the server against a CA you chose, so a man in the middle can pose as the server.',
  },

  FNM401: {
    severity: 'warning',
    title: 'Gateway not defined',
    explanation: 'No Gateway with this name is defined in the workspace or the cluster.',
  },
  FNM402: {
    severity: 'warning',
    title: 'Gateway is in another namespace',
    explanation: 'An unqualified gateway name refers to the VirtualService\'s namespace; qualify it as namespace/name.',
  },
  FNM403: {
    severity: 'warning',
    title: 'Hosts not exposed by the gateway',
    explanation: 'No server of a gateway the VirtualService binds to lists any of its hosts, so requests through that gateway get 404.',
  },
  FNM404: {
    severity: 'error',
    title: 'Conflicting Gateways',
    explanation: 'Two Gateways select the same workload and serve the same host on the same port; the gateway proxy cannot tell them apart.',
  },
  FNM405: {
    severity: 'warning',
    title: 'Parent Gateway not defined',
    explanation: 'Gateway API Gateways are known (from the workspace, or the cluster when connected), but none with this name and namespace, so the route is attached to nothing.',
  },
  FNM406: {
    severity: 'error',
    title: 'Parent Gateway does not admit the route',
    explanation: 'No listener of the parent Gateway admits the route (sectionName or port, allowed route kinds, allowed namespaces), so the Gateway ignores it.',
  },
  FNM407: {
    severity: 'warning',
    title: 'Route hostnames not accepted by the Gateway',
    explanation: 'No listener that admits the route accepts any of its hostnames, so the route gets no traffic through that Gateway.',
  },

  FNM501: {
    severity: 'error',
    title: 'Fault without delay or abort',
    explanation: 'A fault needs a delay, an abort or both; Istio rejects an empty fault.',
  },
  FNM502: {
    severity: 'error',
    title: 'Fault percentage out of range',
    explanation: 'Fault percentages are between 0 and 100.',
  },
  FNM503: {
    severity: 'error',
    title: 'Mirror percentage out of range',
    explanation: 'The mirrored share of traffic is between 0 and 100 percent.',
  },
  FNM504: {
    severity: 'error',
    title: 'Duration does not parse',
    explanation: 'Durations are written as in Go, for example 300ms, 1.5s, 2m or 1h30m.',
  },
  FNM505: {
    severity: 'error',
    title: 'Duration shorter than 1ms',
    explanation: 'Istio requires durations of at least 1ms here.',
  },
  FNM506: {
    severity: 'error',
    title: 'Abort status outside 200-599',
    explanation: 'An aborted request can only be answered with an HTTP status between 200 and 599.',
  },

  FNM601: {
    severity: 'warning',
    title: 'Subset selects no workload',
    explanation: 'No pod or Deployment in the host\'s namespace carries the subset\'s labels, so its share of traffic fails.',
  },
  FNM602: {
    severity: 'warning',
    title: 'Destination host has no Service in the cluster',
    explanation: 'The cluster has no Service for the destination host, so routed requests fail.',
  },
  FNM603: {
    severity: 'warning',
    title: 'Routed workload runs without a sidecar',
    explanation: 'Neither the namespace nor the workload enables sidecar injection, so the mesh does not see this version.',
  },

  FNM701: {
    severity: 'warning',
    title: 'Rule no request reaches',
    explanation: 'Envoy tries rules in order: a rule after one without a match, or whose every match an earlier rule already takes, never receives traffic.',
  },
  FNM702: {
    severity: 'warning',
    title: 'Match repeated or covered by an earlier rule',
    explanation: 'An earlier rule accepts every request this match accepts, so the match never selects its own rule.',
  },

  FNM801: {
    severity: 'error',
    title: 'Function name the Fn server refuses',
    explanation: 'Fn function names are at most 255 bytes and must not need escaping in a URL path; the deploy fails otherwise.',
  },
  FNM802: {
    severity: 'error',
    title: 'Trigger the Fn server refuses',
    explanation: 'An HTTP trigger needs a source that starts with /, unique among the function\'s triggers, and a name of letters, digits, _ or -.',
  },
  FNM803: {
    severity: 'error',
    title: 'Function limit out of range',
    explanation: 'Fn accepts memory from 1 to 8192 MB, timeout from 1 to 300 seconds and idle_timeout from 1 to 3600 seconds (0 or absent: the default).',
  },
} as const satisfies Record<string, CodeInfo>;

export type RuleCode = keyof typeof ruleCodes;

export function isRuleCode(value: string): value is RuleCode {
  return Object.prototype.hasOwnProperty.call(ruleCodes, value);
}

/** The anchor of a code's section in docs/rules.md (`FNM201` -> `fnm201`). */
export function docsAnchor(code: RuleCode): string {
  return code.toLowerCase();
}

/** Link to a code's explanation, given where docs/rules.md is served or packaged. */
export function docsLink(code: RuleCode, rulesDocUrl: string): string {
  return `${rulesDocUrl}#${docsAnchor(code)}`;
}
