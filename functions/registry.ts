import { deadLetterPrefix } from "../shared/events/edges/dead-letter-routes.ts";
import type { FunctionDefinition } from "../shared/runtime/function.ts";
import { authFunction } from "./auth/definition.ts";
import { cartFunction } from "./cart/definition.ts";
import { deliveryFunction } from "./delivery/definition.ts";
import type { GatewayRoute } from "./local/gateway.ts";
import { menuFunction } from "./menu/definition.ts";
import { orderFunction } from "./order/definition.ts";

// The routing table of the local stack: one line per function. Each function's own main.ts imports only
// its definition, so a bundle carries nothing of the others.
export const FUNCTIONS: readonly FunctionDefinition[] = [
  authFunction, // users, tokens, groups, keys
  menuFunction, // categories, menu items
  cartFunction, // each caller's cart
  orderFunction, // checkout and the order lifecycle
  deliveryFunction, // the crew's deliveries
];

/**
 * The public path table, derived from the definitions; the cluster gateway is checked against it. Besides
 * its own routes each function serves its managers' dead-letter routes (added by `assembleFunction`).
 */
export function gatewayRoutes(functions: readonly FunctionDefinition[] = FUNCTIONS): GatewayRoute[] {
  return functions.flatMap((fn) =>
    [...fn.routes, deadLetterPrefix(fn.name)].map((prefix) => ({ prefix, target: fn.name })),
  );
}
