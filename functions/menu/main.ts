import { runFunction } from "../../shared/runtime/index.ts";
import { menuFunction } from "./definition.ts";

await runFunction(menuFunction);
