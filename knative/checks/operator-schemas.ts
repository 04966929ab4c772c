import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import type { K8sObject } from "./render.ts";
import { idOf } from "./render.ts";

// Strict validation of the objects of the operators Tavola installs (CloudNativePG and its Barman Cloud
// plugin), which kubernetes-models has no classes for: the schemas the project keeps in
// checks/operator-schemas/, made strict (an object schema that lists its properties refuses any other
// one), compiled with Ajv. `schemas.ts` asks this first for every object.

/** The files of operator schemas, each `{ schemas: [{ apiVersion, kind, openAPIV3Schema }], $defs }`. */
export const OPERATOR_SCHEMA_FILES = [join(import.meta.dirname, "operator-schemas", "cloudnative-pg.yaml")];

// biome-ignore lint/suspicious/noExplicitAny: a JSON schema as YAML gives it
type Schema = Record<string, any>;

interface SchemaFile {
  schemas: { apiVersion: string; kind: string; openAPIV3Schema: Schema }[];
  $defs?: Record<string, Schema>;
}

/**
 * The schema with `additionalProperties: false` added to every object schema that lists `properties`
 * and says nothing else about the rest (as the API server's structural pruning would drop them, or
 * `kubectl apply --validate=strict` refuse them), unless it keeps unknown fields on purpose.
 */
export function strictSchema(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== "object") return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) out[key] = strictSchema(value);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    out["x-kubernetes-preserve-unknown-fields"] !== true
  )
    out.additionalProperties = false;
  return out;
}

/** One validator per `apiVersion kind`, from the given schema files. */
export function loadOperatorSchemas(files: readonly string[] = OPERATOR_SCHEMA_FILES) {
  // strict: false lets the CRDs' x-kubernetes-* keywords and `format: int32` through as annotations.
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = new Map<string, ValidateFunction>();
  for (const file of files) {
    const parsed = parse(readFileSync(file, "utf8")) as SchemaFile;
    const $defs = strictSchema(parsed.$defs ?? {});
    for (const entry of parsed.schemas) {
      const schema = { ...strictSchema(entry.openAPIV3Schema), $defs };
      validators.set(`${entry.apiVersion} ${entry.kind}`, ajv.compile(schema));
    }
  }
  return validators;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || "/";
  if (error.keyword === "additionalProperties")
    return `${at}: unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.keyword === "required")
    return `${at}: missing required field "${(error.params as { missingProperty: string }).missingProperty}"`;
  return `${at}: ${error.message ?? error.keyword}`;
}

// Parsed and compiled once per process: the files do not change while the checks run.
let loaded: Map<string, ValidateFunction> | undefined;
function defaultValidators(): Map<string, ValidateFunction> {
  if (!loaded) loaded = loadOperatorSchemas();
  return loaded;
}

/**
 * The problems of one object against the operator schemas: undefined when its kind is not an operator's
 * (the caller validates it otherwise), else a list, empty when it is valid.
 */
export function operatorSchemaProblems(
  object: K8sObject,
  validators: Map<string, ValidateFunction> = defaultValidators(),
): string[] | undefined {
  const validate = validators.get(`${object.apiVersion} ${object.kind}`);
  if (!validate) return undefined;
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${idOf(object)}: ${describe(e)}`);
}
