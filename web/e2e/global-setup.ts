import type { TestProject } from "vitest/node";
import { startStack } from "./stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    base: string;
    admin: { username: string; password: string };
  }
}

/** One local stack for every browser test file; each test makes users of its own on it. */
export default async function setup(project: TestProject) {
  const stack = await startStack();
  project.provide("base", stack.base);
  project.provide("admin", stack.admin);
  return () => stack.stop();
}
