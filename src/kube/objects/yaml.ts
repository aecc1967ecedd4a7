// The one place where generated objects become YAML. Pure: no `vscode`.
import { dump, type DumpOptions } from 'js-yaml';

const dumpOptions: DumpOptions = {
  // Identical sub-objects (shared labels) must be written out, not as &anchors/*aliases.
  noRefs: true,
  // Never fold long strings (annotations, nginx lines) across lines.
  lineWidth: -1,
  // Keys in the order the generators build them (apiVersion, kind, metadata, spec).
  sortKeys: false,
  // Quote with "..." where quoting is needed (e.g. "true", "80" as strings).
  quotingType: '"',
  // Throw on functions and symbols instead of skipping them. (Undefined properties are left
  // out, as JSON.stringify does.)
  skipInvalid: false,
};

/** A multi-document YAML stream: one document per object, separated by `---`. */
export function toYaml(objects: readonly object[]): string {
  return objects.map((o) => dump(o, dumpOptions)).join('---\n');
}
