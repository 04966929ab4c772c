import type { ValidateFunction } from "ajv";
import { describeAjvError, kindKey, loadCrdSchemas } from "./crd-schemas.ts";
import { operatorSchemaProblems } from "./operator-schemas.ts";
import type { K8sObject } from "./render.ts";
import { idOf } from "./render.ts";
import { type SchemaError, unknownFields } from "./unknown-fields.ts";

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** Where the model classes of an apiVersion live: Knative's groups, or Kubernetes' own. */
function modulePath(apiVersion: string): string {
  // "v1" (the core group) and "apps/v1" alike are subpaths of kubernetes-models.
  return apiVersion.includes("knative.dev/")
    ? `@kubernetes-models/knative/${apiVersion}`
    : `kubernetes-models/${apiVersion}`;
}

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  try {
    const module = (await import(modulePath(apiVersion))) as Record<string, unknown>;
    const model = module[kind];
    return typeof model === "function" ? (model as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

interface ModelError extends SchemaError {
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * A model's errors that an API server would not raise: the Knative 1.22 SinkBinding model requires
 * `status`, which the server itself writes and never asks of a manifest.
 */
function serverWouldAccept(e: ModelError): boolean {
  return e.instancePath === "" && e.keyword === "required" && e.params.missingProperty === "status";
}

/** The schema errors of one object under a model (a thrown ValidationError carries Ajv's errors). */
function modelErrors(Model: ModelClass, object: unknown): ModelError[] {
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: ModelError[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return errors.filter((e) => !serverWouldAccept(e));
  }
}

/** The problems of one object under a model, each as `path problem` (no object name yet). */
function modelFindings(Model: ModelClass, object: unknown): string[] {
  const errors = modelErrors(Model, object).map(
    (e) => `${e.instancePath.split("/").slice(1).join(".") || "(root)"} ${e.message}`,
  );
  const unknown = unknownFields(object, (o) => modelErrors(Model, o));
  return [...errors, ...unknown.map((field) => `unknown field ${field}`)];
}

function modelProblems(Model: ModelClass, object: K8sObject): string[] {
  return modelFindings(Model, object).map((p) => `${idOf(object)}: ${p}`);
}

/**
 * A CRD's schema leaves `metadata` open, but the API server checks it as ObjectMeta all the same: it is
 * checked here as the metadata of a ConfigMap (any core kind's metadata is ObjectMeta).
 */
async function metadataProblems(object: K8sObject): Promise<string[]> {
  const Meta = (await modelFor("v1", "ConfigMap"))!;
  const findings = modelFindings(Meta, { apiVersion: "v1", kind: "ConfigMap", metadata: object.metadata });
  return findings.map((p) => `${idOf(object)}: ${p}`);
}

async function crdProblems(validate: ValidateFunction, object: K8sObject): Promise<string[]> {
  const problems = validate(object)
    ? []
    : (validate.errors ?? []).map((e) => `${idOf(object)}: ${describeAjvError(e)}`);
  return [...problems, ...(await metadataProblems(object))];
}

/**
 * Validates every object strictly, as an API server with strict field validation would: against the
 * CRD schemas in knative/schemas when its kind is there, else against the OpenAPI schema of its kind in
 * `kubernetes-models` 5 or `@kubernetes-models/knative` (Knative 1.22). Types, required
 * fields and enums as those schemas say, and every field the schema does not declare is a problem
 * (unknown-fields.ts). An object of a kind with no schema is a problem too, so nothing goes unchecked.
 */
export async function schemaProblems(
  objects: readonly K8sObject[],
  crds?: Map<string, ValidateFunction>,
): Promise<string[]> {
  const schemas = crds ?? (await loadCrdSchemas());
  const problems: string[] = [];
  for (const object of objects) {
    // The operators' kinds (CloudNativePG): the trimmed schemas the project keeps, strictly.
    const operator = operatorSchemaProblems(object);
    if (operator) {
      problems.push(...operator);
      continue;
    }
    const crd = schemas.get(kindKey(object.apiVersion, object.kind));
    if (crd) {
      problems.push(...(await crdProblems(crd, object)));
      continue;
    }
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) problems.push(`${idOf(object)}: no schema for ${object.apiVersion} ${object.kind}`);
    else problems.push(...modelProblems(Model, object));
  }
  return problems;
}
