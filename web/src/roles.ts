import type { Profile } from "./api.ts";

export type Role = "customer" | "manager" | "crew";

/** The roles a user acts in: everyone is a customer; the groups add manager and crew. */
export function rolesOf(me: Profile): Role[] {
  const roles: Role[] = [];
  if (me.groups.includes("manager")) roles.push("manager");
  if (me.groups.includes("delivery-crew")) roles.push("crew");
  roles.push("customer");
  return roles;
}

export interface NavLink {
  route: string;
  label: string;
  role: Role;
}

export const LINKS: readonly NavLink[] = [
  { route: "/board", label: "Orders board", role: "manager" },
  { route: "/menu-admin", label: "Edit menu", role: "manager" },
  { route: "/groups", label: "Staff", role: "manager" },
  { route: "/dead-letters", label: "Dead letters", role: "manager" },
  { route: "/deliveries", label: "My deliveries", role: "crew" },
  { route: "/menu", label: "Menu", role: "customer" },
  { route: "/cart", label: "Cart", role: "customer" },
  { route: "/orders", label: "My orders", role: "customer" },
];

/** The page a user lands on: a manager's board, a crew member's deliveries, a customer's menu. */
export function homeOf(me: Profile): string {
  const first = rolesOf(me)[0];
  return LINKS.find((link) => link.role === first)!.route;
}

/** Whether the user may open a route (pages of another role are not offered, and not rendered). */
export function allowed(me: Profile, route: string): boolean {
  const link = LINKS.find((l) => l.route === route);
  return link !== undefined && rolesOf(me).includes(link.role);
}
