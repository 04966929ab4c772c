export { ConfigError, parseConfig } from "./parse.ts";
export * from "./schema.ts";
