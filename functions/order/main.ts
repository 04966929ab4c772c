import { runFunction } from "../../shared/runtime/index.ts";
import { orderFunction } from "./definition.ts";

await runFunction(orderFunction);
