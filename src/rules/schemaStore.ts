// The generated JSON schemas (schemas/*.json, made by scripts/generate-schemas.mjs), indexed by
// apiVersion and kind. Loading is separate from lookup so tests and the extension can each say
// where the files are (the extension passes its install folder).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CelRule } from './celCheck';

/** The subset of JSON Schema draft-07 the generated schemas use. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly not?: JsonSchema;
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly maxProperties?: number;
  readonly description?: string;
  readonly default?: unknown;
  readonly 'x-fnmesh-duration'?: { readonly minimum?: string };
  /** The CRD's CEL rules on this node (evaluated by celCheck.ts). */
  readonly 'x-kubernetes-validations'?: readonly CelRule[];
}

/** Files the generator writes, one per kind (fn-mesh-rules.json combines them for yamlValidation). */
export const schemaFiles = ['virtualservice.json', 'destinationrule.json', 'gateway.json', 'httproute.json'] as const;

export class SchemaStore {
  private readonly byKey = new Map<string, JsonSchema>();
  private readonly versionsByKind = new Map<string, string[]>();

  constructor(schemas: readonly JsonSchema[]) {
    for (const schema of schemas) {
      const apiVersions = (schema.properties?.apiVersion?.enum ?? []).filter((v): v is string => typeof v === 'string');
      const kinds = (schema.properties?.kind?.enum ?? []).filter((v): v is string => typeof v === 'string');
      for (const kind of kinds) {
        for (const apiVersion of apiVersions) {
          this.byKey.set(`${apiVersion}|${kind}`, schema);
        }
        this.versionsByKind.set(kind, [...(this.versionsByKind.get(kind) ?? []), ...apiVersions]);
      }
    }
  }

  /** The schema for exactly this apiVersion and kind. */
  schemaFor(apiVersion: string, kind: string): JsonSchema | undefined {
    return this.byKey.get(`${apiVersion}|${kind}`);
  }

  /** The apiVersions with a schema for `kind` in API group `group`. */
  servedVersions(group: string, kind: string): string[] {
    return (this.versionsByKind.get(kind) ?? []).filter((v) => v.startsWith(`${group}/`));
  }
}

/** Reads the generated schemas from a folder (the repository's or the extension's `schemas/`). */
export function loadSchemaStore(schemaDir: string): SchemaStore {
  return new SchemaStore(schemaFiles.map((file) => JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')) as JsonSchema));
}
