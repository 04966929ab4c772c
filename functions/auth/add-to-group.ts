import { sqlState } from "../../shared/db/errors.ts";
import type { GroupName } from "../../shared/db/types.ts";
import { type AuthDeps, noSuchUser, resolveUser, type UserRef } from "./internal.ts";
import { addGroupMember } from "./repository.ts";
import { toUserView, type UserView } from "./view.ts";

/** Adds a user to a group; `created` is false when they were a member already (nothing changes). */
export async function addToGroup(
  deps: Pick<AuthDeps, "db">,
  group: GroupName,
  ref: UserRef,
): Promise<{ created: boolean; member: UserView }> {
  const user = await resolveUser(deps, ref);
  try {
    return { created: await addGroupMember(deps.db, user.id, group), member: toUserView(user) };
  } catch (error) {
    // The user was deleted between the lookup and the insert.
    if (sqlState(error) === "23503") throw noSuchUser();
    throw error;
  }
}
