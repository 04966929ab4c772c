import type { GroupName } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import type { AuthDeps } from "./deps.ts";
import { findUserById, groupsOf, type UserRecord } from "./repository.ts";

/** A user as the API shows one: registration's answer and each member of a group. */
export interface UserView {
  id: number;
  username: string;
  /** null when the user gave none. */
  email: string | null;
}

/** `/api/users/me`: the user and the groups they are in now, by Tavola's role names. */
export interface ProfileView extends UserView {
  groups: GroupName[];
}

export function toUserView(user: UserRecord): UserView {
  return { id: user.id, username: user.username, email: user.email };
}

/**
 * The caller's profile, read from the database rather than from the token, so a change of groups shows
 * here at once (the token itself catches up at the next refresh).
 */
export async function describeUser(deps: Pick<AuthDeps, "db">, userId: number): Promise<ProfileView> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError("unauthenticated", "The user of this token no longer exists.");
  return { ...toUserView(user), groups: await groupsOf(deps.db, user.id) };
}
