import { runFunction } from "../../shared/runtime/run-function.ts";
import { authFunction } from "./definition.ts";

await runFunction(authFunction);
