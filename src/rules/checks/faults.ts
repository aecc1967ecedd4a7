// Fault injection and mirroring of VirtualService http routes: what the CRD schema cannot say
// (an empty fault, percentages outside 0-100, abort statuses outside 200-599).
import type { Problem, YamlPath } from '../problems';
import { asArray, asNumber, asRecord, isIstio, isRecord } from '../resources';
import type { FileResource } from '../workspaceIndex';
import type { Check } from './report';
import { report } from './report';

export const checkFaultsAndMirrors: Check = (resource) => {
  if (!isIstio(resource.ref, 'VirtualService')) {
    return [];
  }
  const problems: Problem[] = [];
  asArray(asRecord(resource.value.spec).http).forEach((entry, i) => {
    const route = asRecord(entry);
    const path: YamlPath = ['spec', 'http', i];
    if (isRecord(route.fault)) {
      checkFault(resource, route.fault, [...path, 'fault'], problems);
    }
    percentage(resource, asRecord(route.mirrorPercentage).value, [...path, 'mirrorPercentage', 'value'], 'FNM503', problems);
    percentage(resource, route.mirror_percent, [...path, 'mirror_percent'], 'FNM503', problems);
    asArray(route.mirrors).forEach((m, j) =>
      percentage(resource, asRecord(asRecord(m).percentage).value, [...path, 'mirrors', j, 'percentage', 'value'], 'FNM503', problems),
    );
  });
  return problems;
};

function checkFault(resource: FileResource, fault: Record<string, unknown>, path: YamlPath, problems: Problem[]): void {
  const { delay, abort } = fault;
  if (!isRecord(delay) && !isRecord(abort)) {
    problems.push(report(resource, 'FNM501', 'A fault needs a delay, an abort or both', path, { key: true }));
    return;
  }
  for (const [name, part] of [['delay', delay], ['abort', abort]] as const) {
    if (isRecord(part)) {
      percentage(resource, asRecord(part.percentage).value, [...path, name, 'percentage', 'value'], 'FNM502', problems);
      percentage(resource, part.percent, [...path, name, 'percent'], 'FNM502', problems);
    }
  }
  const status = asNumber(asRecord(abort).httpStatus);
  if (status !== undefined && (status < 200 || status > 599)) {
    problems.push(report(resource, 'FNM506', `HTTP status ${status} is outside 200-599`, [...path, 'abort', 'httpStatus']));
  }
}

function percentage(resource: FileResource, value: unknown, path: YamlPath, code: 'FNM502' | 'FNM503', problems: Problem[]): void {
  const n = asNumber(value);
  if (n !== undefined && (n < 0 || n > 100)) {
    problems.push(report(resource, code, `${n} is not a percentage between 0 and 100`, path));
  }
}
