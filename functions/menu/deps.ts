import type { Kysely } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import type { PendingEvents } from "../../shared/events/index.ts";

/** What the menu's read verbs need. */
export interface MenuDeps {
  db: Kysely<Database>;
}

/** What its write verbs need: the request's pending events, published after the commit. */
export interface MenuWriteDeps extends MenuDeps {
  pending: PendingEvents;
}
