import type { GroupName } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import { type AuthDeps, resolveUser, type UserRef } from "./internal.ts";
import { removeGroupMember } from "./repository.ts";
import { toUserView, type UserView } from "./view.ts";

/** Removes a user from a group; an unknown user or one not in the group is not found. */
export async function removeFromGroup(
  deps: Pick<AuthDeps, "db">,
  group: GroupName,
  ref: UserRef,
): Promise<UserView> {
  const user = await resolveUser(deps, ref);
  if (!(await removeGroupMember(deps.db, user.id, group)))
    throw new AppError("not_found", `That user is not a member of the ${group} group.`);
  return toUserView(user);
}
