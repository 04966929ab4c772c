export { appOptions } from "./app-options.ts";
export { assembleFunction } from "./assemble.ts";
export type { FunctionContext, FunctionDefinition } from "./function.ts";
export { loadOrCreateLocalKeys, type SigningKeys } from "./local-keys.ts";
export { publisherFromConfig, runFunction } from "./run-function.ts";
export { type ServeOptions, serveUntilSignalled } from "./serve.ts";
export { verifierFromConfig } from "./verifier.ts";
