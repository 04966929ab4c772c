import type { PageCount, PageRequest, PageSlice } from "../../shared/db/page.ts";
import type { GroupName } from "../../shared/db/types.ts";
import type { AuthDeps } from "./internal.ts";
import { listGroupMembers as queryMembers } from "./repository.ts";
import { toUserView, type UserView } from "./view.ts";

/** The members of a group, one page of them, oldest account first. */
export async function listGroupMembers(
  deps: Pick<AuthDeps, "db">,
  group: GroupName,
  page: PageRequest,
): Promise<{ count: PageCount; slice: PageSlice<UserView> }> {
  const { count, slice } = await queryMembers(deps.db, group, page);
  return { count, slice: { ...slice, results: slice.results.map(toUserView) } };
}
