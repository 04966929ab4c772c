import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { OPENAPI_FILE } from "../generated-files.ts";

// The end-to-end tests hold every answer they receive to the OpenAPI document: the status must be one
// the operation documents and the body must match that answer's schema (objects of fixed shape allow
// no other field). A route, status or field the document does not have fails the test.

type Operation = { responses: Record<string, { $ref?: string; content?: Record<string, unknown> }> };
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, { content?: Record<string, unknown> }> };
}

/** The gateway's own routes, which no function serves and the document does not describe. */
const GATEWAY_PATHS = new Set(["/openapi.json", "/docs", "/docs/", "/healthz", "/readyz"]);

export interface ContractChecker {
  /** Throws an Error naming what differs when the answer is not one the document allows. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): void;
}

/** A checker over the checked-in document (the one `/openapi.json` serves). */
export function createContractChecker(document: OpenApi = loadDocument()): ContractChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document as object, "tavola");
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.getSchema(`tavola#${pointer}`);
      if (!validate) throw new Error(`contract: no schema at ${pointer}`);
      validators.set(pointer, validate);
    }
    return validate;
  };
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
  }));

  return {
    check(method, url, status, contentType, body) {
      const path = new URL(url, "http://x").pathname;
      const where = `${method} ${path} → ${status}`;
      if (GATEWAY_PATHS.has(path)) return;
      const match = templates.find((t) => t.pattern.test(path));
      if (!match) {
        if (status !== 404) throw new Error(`${where}: the path is not in the document`);
        return validateBody(validatorAt("/components/schemas/Problem"), body, where);
      }
      const item = document.paths[match.template]!;
      const operation = item[method.toLowerCase()];
      if (!operation) {
        // The path exists but not for this method: the functions answer 405 (401 first where auth guards
        // the whole path, 404 where the id part is not a row id).
        if (![401, 404, 405].includes(status)) throw new Error(`${where}: the method is not documented`);
        return validateBody(validatorAt("/components/schemas/Problem"), body, where);
      }
      const answer = operation.responses[String(status)];
      if (!answer) throw new Error(`${where}: status ${status} is not documented for ${match.template}`);
      const base = `/paths/${pointerSegment(match.template)}/${method.toLowerCase()}/responses/${status}`;
      const [resolved, pointer] = answer.$ref
        ? [document.components.responses[answer.$ref.split("/").pop()!]!, answer.$ref.slice(1)]
        : [answer, base];
      if (!resolved.content) {
        if (body !== null && body !== "") throw new Error(`${where}: a body where the document has none`);
        return;
      }
      const type = (contentType ?? "").split(";")[0]!.trim();
      if (!(type in resolved.content))
        throw new Error(
          `${where}: content type ${type} is not one of ${Object.keys(resolved.content).join(", ")}`,
        );
      validateBody(validatorAt(`${pointer}/content/${pointerSegment(type)}/schema`), body, where);
    },
  };
}

function validateBody(validate: ValidateFunction, body: unknown, where: string): void {
  if (validate(body)) return;
  const errors = (validate.errors ?? []).map(
    (e) => `${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`,
  );
  throw new Error(
    `${where}: the body does not match the document:\n  ${errors.join("\n  ")}\n${JSON.stringify(body).slice(0, 500)}`,
  );
}

/** A JSON pointer segment. */
function pointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function loadDocument(): OpenApi {
  return JSON.parse(readFileSync(OPENAPI_FILE, "utf8")) as OpenApi;
}
