export { appDeps } from "./app-deps.ts";
export { assembleFunction, createApp } from "./assemble.ts";
export type { AppDeps, FunctionContext, FunctionDefinition } from "./function.ts";
export { loadOrCreateLocalKeys, type SigningKeys } from "./local-keys.ts";
export { publisherFromConfig, runFunction } from "./run-function.ts";
export { type ServeOptions, serveUntilSignalled } from "./serve.ts";
export { verifierFromConfig } from "./verifier.ts";
