import { LATEST_MIGRATION } from "../../db/migrations/index.ts";
import { runFunction } from "../../shared/runtime/run-function.ts";
import { authFunction } from "./definition.ts";

await runFunction(authFunction, LATEST_MIGRATION);
