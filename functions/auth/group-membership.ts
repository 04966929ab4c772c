import { sqlState } from "../../shared/db/errors.ts";
import type { GroupName } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import type { PageCount, PageRequest, PageSlice } from "../../shared/http/pagination.ts";
import type { AuthDeps } from "./deps.ts";
import {
  addGroupMember,
  findUserById,
  findUserByUsername,
  listGroupMembers,
  removeGroupMember,
  type UserRecord,
} from "./repository.ts";
import { toUserView, type UserView } from "./user-view.ts";

/** A user named by id or by username, as the group routes accept either. */
export type UserRef = { userId: number } | { username: string };

type Deps = Pick<AuthDeps, "db">;

/** The members of a group, one page of them, oldest account first. */
export async function listGroup(
  deps: Deps,
  group: GroupName,
  page: PageRequest,
): Promise<{ count: PageCount; slice: PageSlice<UserView> }> {
  const { count, slice } = await listGroupMembers(deps.db, group, page);
  return { count, slice: { ...slice, results: slice.results.map(toUserView) } };
}

/** Adds a user to a group; `created` is false when they were a member already (nothing changes). */
export async function addToGroup(
  deps: Deps,
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

/** Removes a user from a group; an unknown user or one not in the group is not found. */
export async function removeFromGroup(deps: Deps, group: GroupName, ref: UserRef): Promise<UserView> {
  const user = await resolveUser(deps, ref);
  if (!(await removeGroupMember(deps.db, user.id, group)))
    throw new AppError("not_found", `That user is not a member of the ${group} group.`);
  return toUserView(user);
}

async function resolveUser(deps: Deps, ref: UserRef): Promise<UserRecord> {
  const user =
    "userId" in ref
      ? await findUserById(deps.db, ref.userId)
      : await findUserByUsername(deps.db, ref.username);
  if (!user) throw noSuchUser();
  return user;
}

function noSuchUser() {
  return new AppError("not_found", "No user matches that id or username.");
}
