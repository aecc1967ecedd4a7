// Which JSON schema a YAML text gets for completion and hover, by content: any document whose
// top-level apiVersion and kind have a generated schema gives the file the combined rule schema
// (schemas/fn-mesh-rules.json, whose if/then branches pick the kind per document). This is what
// reaches the YAML extension through its schema contributor API, whatever the file is named; the
// `yamlValidation` file patterns in package.json stay as a fallback.
import type { JsonSchema } from './schemaStore';

/** File name of the combined schema, under schemas/. */
export const combinedSchemaFile = 'fn-mesh-rules.json';

export interface DocumentKind {
  readonly apiVersion: string;
  readonly kind: string;
}

const topLevel = /^(apiVersion|kind):[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s#][^#]*?))?[ \t]*(?:#.*)?$/;

/**
 * The top-level apiVersion and kind of each document of `text` (documents missing either are
 * left out). Reads only lines that start at column 0, so `kind:` inside a spec never counts.
 * Linear in the text length; never throws.
 */
export function documentKinds(text: string): DocumentKind[] {
  const out: DocumentKind[] = [];
  let apiVersion: string | undefined;
  let kind: string | undefined;
  const close = (): void => {
    if (apiVersion && kind) {
      out.push({ apiVersion, kind });
    }
    apiVersion = kind = undefined;
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('---') && (line.length === 3 || line[3] === ' ' || line[3] === '\t')) {
      close();
      continue;
    }
    const m = topLevel.exec(line);
    if (m) {
      const value = m[2] ?? m[3] ?? m[4] ?? '';
      if (m[1] === 'apiVersion') {
        apiVersion = value;
      } else {
        kind = value;
      }
    }
  }
  close();
  return out;
}

/** The shape of schemas/fn-mesh-rules.json: one if (apiVersion, kind) / then branch per kind. */
export interface CombinedSchema {
  readonly allOf?: readonly { readonly if?: JsonSchema }[];
}

/** `apiVersion|kind` keys the combined schema's if/then branches cover. */
export function schemaKinds(combined: CombinedSchema): Set<string> {
  const keys = new Set<string>();
  for (const branch of combined.allOf ?? []) {
    const props = branch.if?.properties;
    const versions = (props?.apiVersion?.enum ?? []).filter((v): v is string => typeof v === 'string');
    const kinds = (props?.kind?.enum ?? []).filter((v): v is string => typeof v === 'string');
    for (const version of versions) {
      for (const kind of kinds) {
        keys.add(`${version}|${kind}`);
      }
    }
  }
  return keys;
}

/** The schema file for `text` (the combined one when a document has a known kind), or undefined. */
export function schemaFileFor(text: string, known: ReadonlySet<string>): string | undefined {
  return documentKinds(text).some((d) => known.has(`${d.apiVersion}|${d.kind}`)) ? combinedSchemaFile : undefined;
}
