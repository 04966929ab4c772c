export { MAX_BODY_BYTES, readBody, readCappedBytes, readCappedText } from "./body.ts";
export { clientKey } from "./client-key.ts";
export { createFunctionApp, type FunctionAppOptions } from "./create-app.ts";
export type { AppEnv, BaseDeps } from "./env.ts";
export { createErrorHandler } from "./error-handler.ts";
export * as fields from "./fields.ts";
export { parsePathId } from "./fields.ts";
export { mountHealth } from "./health.ts";
export { HttpProblem } from "./http-problem.ts";
export { type OrderTerm, parseOrdering } from "./ordering.ts";
export {
  type Cursor,
  type Page,
  type PageCount,
  type PageRequest,
  type PageSlice,
  pageQuery,
  pageSchema,
  parsePage,
  toPage,
} from "./pagination.ts";
export { type Problem, problem, problemResponse, statusForCode } from "./problem.ts";
export { requestId } from "./request-id.ts";
export { throttle } from "./throttle.ts";
export { validate } from "./validate.ts";
export { body, query } from "./validation.ts";
