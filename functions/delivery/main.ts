import { LATEST_MIGRATION } from "../../db/migrations/index.ts";
import { runFunction } from "../../shared/runtime/index.ts";
import { deliveryFunction } from "./definition.ts";

await runFunction(deliveryFunction, LATEST_MIGRATION);
