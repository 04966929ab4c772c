export { createCategory, createMenuItem, createUser, uniqueName } from "./fixtures.ts";
export { freePort } from "./free-port.ts";
export { createTestKeys, TEST_AUDIENCE, TEST_ISSUER, type TestKeys } from "./keys.ts";
export { type CallOptions, type CallResult, call } from "./request.ts";
export { createTestDb, type TestDb, useTestDb } from "./test-db.ts";
