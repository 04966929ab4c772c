import { LATEST_MIGRATION } from "../../db/migrations/index.ts";
import { runFunction } from "../../shared/runtime/index.ts";
import { menuFunction } from "./definition.ts";

await runFunction(menuFunction, LATEST_MIGRATION);
