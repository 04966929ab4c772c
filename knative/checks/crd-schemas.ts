import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { KNATIVE_DIR, parseObjects } from "./render.ts";

/** knative/schemas: CustomResourceDefinitions of the kinds no npm model covers (see its README). */
export const SCHEMAS_DIR = join(KNATIVE_DIR, "schemas");

type JsonSchema = Record<string, unknown>;

/**
 * A copy of an openAPIV3Schema that refuses unknown fields, as the API server does: every object schema
 * that lists properties and says nothing of additionalProperties gets `additionalProperties: false`,
 * except where the CRD keeps unknown fields (x-kubernetes-preserve-unknown-fields).
 */
export function closeSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeSchema);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === "properties" && typeof value === "object" && value !== null
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeSchema(v)]))
        : closeSchema(value);
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out["x-kubernetes-preserve-unknown-fields"]
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** "group/version Kind" (or "version Kind" for the core group), the key schemas are found by. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/**
 * Every kind defined by the CRDs in the .yaml files of `dir`, compiled with unknown fields refused; any
 * file in the folder is read, so a kind is added by dropping its CRD file there.
 */
export async function loadCrdSchemas(dir: string = SCHEMAS_DIR): Promise<Map<string, ValidateFunction>> {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const schemas = new Map<string, ValidateFunction>();
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
  for (const file of files) {
    for (const crd of parseObjects(await readFile(join(dir, file), "utf8"))) {
      if (crd.kind !== "CustomResourceDefinition") continue;
      for (const version of crd.spec?.versions ?? []) {
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) continue;
        const key = kindKey(`${crd.spec.group}/${version.name}`, crd.spec.names.kind);
        schemas.set(key, ajv.compile(closeSchema(schema) as JsonSchema));
      }
    }
  }
  return schemas;
}

/** An Ajv error as a problem line: unknown fields by name, the rest as Ajv words them. */
export function describeAjvError(error: ErrorObject): string {
  const at = error.instancePath.split("/").slice(1).join(".");
  if (error.keyword === "additionalProperties") {
    const field = (error.params as { additionalProperty: string }).additionalProperty;
    return `unknown field ${at ? `${at}.` : ""}${field}`;
  }
  return `${at || "(root)"} ${error.message ?? error.keyword}`;
}
