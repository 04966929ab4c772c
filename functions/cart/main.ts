import { LATEST_MIGRATION } from "../../db/migrations/index.ts";
import { runFunction } from "../../shared/runtime/index.ts";
import { cartFunction } from "./definition.ts";

await runFunction(cartFunction, LATEST_MIGRATION);
