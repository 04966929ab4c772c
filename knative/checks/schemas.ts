import { operatorSchemaProblems } from "./operator-schemas.ts";
import type { K8sObject } from "./render.ts";
import { idOf } from "./render.ts";

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

/**
 * Validates every object against the OpenAPI schema of its kind (`kubernetes-models` and
 * `@kubernetes-models/knative`): constructs the model and calls `validate()`. An object of a kind with
 * no model is a problem too, so nothing goes unchecked.
 */
export async function schemaProblems(objects: readonly K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    // The operators' kinds (CloudNativePG): the schemas the project keeps, strictly.
    const operator = operatorSchemaProblems(object);
    if (operator) {
      problems.push(...operator);
      continue;
    }
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) {
      problems.push(`${idOf(object)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${idOf(object)}: ${(error as Error).message}`);
    }
  }
  return problems;
}
