import { LATEST_MIGRATION } from "../../db/migrations/index.ts";
import { runFunction } from "../../shared/runtime/index.ts";
import { orderFunction } from "./definition.ts";

await runFunction(orderFunction, LATEST_MIGRATION);
