import { runFunction } from "../../shared/runtime/index.ts";
import { deliveryFunction } from "./definition.ts";

await runFunction(deliveryFunction);
