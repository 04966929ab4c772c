import { runFunction } from "../../shared/runtime/index.ts";
import { cartFunction } from "./definition.ts";

await runFunction(cartFunction);
