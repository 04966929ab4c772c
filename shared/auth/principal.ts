import type { GroupName } from "../db/types.ts";

export type Role = "customer" | "manager" | "delivery-crew" | "admin";

/** Who is calling, as the access token says. */
export interface Principal {
  id: number;
  username: string;
  groups: GroupName[];
  isAdmin: boolean;
}

/** Little Lemon's group names, as djoser-era clients and admin screens spell them. */
export const GROUP_ALIASES: Record<string, GroupName> = {
  manager: "manager",
  Manager: "manager",
  "delivery-crew": "delivery-crew",
  "Delivery crew": "delivery-crew",
  "Delivery Crew": "delivery-crew",
};

/** True when the principal acts in that role; an admin may do everything a manager may. */
export function hasRole(principal: Principal, role: Role): boolean {
  switch (role) {
    case "customer":
      return true;
    case "admin":
      return principal.isAdmin;
    case "manager":
      return principal.isAdmin || principal.groups.includes("manager");
    case "delivery-crew":
      return principal.groups.includes("delivery-crew");
  }
}
