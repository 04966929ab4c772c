import { type Context, Hono } from "hono";
import { requireAuth, requireRole } from "../../shared/auth/index.ts";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import { AppError } from "../../shared/errors.ts";
import { type AppEnv, parsePathId, readBody, toPage } from "../../shared/http/index.ts";
import { createCategory } from "./create-category.ts";
import { createMenuItem } from "./create-menu-item.ts";
import { deleteCategory } from "./delete-category.ts";
import { deleteMenuItem } from "./delete-menu-item.ts";
import type { MenuDeps } from "./deps.ts";
import { getCategory } from "./get-category.ts";
import { getMenuItem } from "./get-menu-item.ts";
import {
  parseCategory,
  parseCategoryChanges,
  parseCategoryQuery,
  parseMenuItem,
  parseMenuItemChanges,
  parseMenuItemQuery,
} from "./input.ts";
import { listCategories } from "./list-categories.ts";
import { listMenuItems } from "./list-menu-items.ts";
import { updateCategory } from "./update-category.ts";
import { updateMenuItem } from "./update-menu-item.ts";

export interface MenuRouteDeps extends MenuDeps {
  verify: VerifyAccessToken;
}

/** The id in the path; anything that is not a row id (text, SQL, overflow) is simply not found. */
function pathId(c: Context<AppEnv>, what: string): number {
  const id = parsePathId(c.req.param("id"));
  if (id === undefined) throw new AppError("not_found", `There is no ${what} with that id.`);
  return id;
}

/** Categories and menu items: anyone reads, managers (and admins) write. */
export function menuRoutes(deps: MenuRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const manager = [requireAuth(deps.verify), requireRole("manager")] as const;
  const writeDeps = (c: Context<AppEnv>) => ({ db: deps.db, pending: c.get("pendingEvents") });

  app.get("/api/categories", async (c) => {
    const query = parseCategoryQuery(c.req.query());
    const { count, slice } = await listCategories(deps, query);
    return c.json(toPage(c.req.url, query.page, count, slice));
  });
  app.post("/api/categories", ...manager, async (c) => {
    return c.json(await createCategory(deps, parseCategory(await readBody(c))), 201);
  });
  app.get("/api/categories/:id", async (c) => c.json(await getCategory(deps, pathId(c, "category"))));
  app.put("/api/categories/:id", ...manager, async (c) => {
    const id = pathId(c, "category");
    return c.json(await updateCategory(deps, { id, changes: parseCategory(await readBody(c)) }));
  });
  app.patch("/api/categories/:id", ...manager, async (c) => {
    const id = pathId(c, "category");
    return c.json(await updateCategory(deps, { id, changes: parseCategoryChanges(await readBody(c)) }));
  });
  app.delete("/api/categories/:id", ...manager, async (c) => {
    await deleteCategory(deps, pathId(c, "category"));
    return c.body(null, 204);
  });

  app.get("/api/menu-items", async (c) => {
    const query = parseMenuItemQuery(c.req.query());
    const { count, slice } = await listMenuItems(deps, query);
    return c.json(toPage(c.req.url, query.page, count, slice));
  });
  app.post("/api/menu-items", ...manager, async (c) => {
    return c.json(await createMenuItem(deps, parseMenuItem(await readBody(c))), 201);
  });
  app.get("/api/menu-items/:id", async (c) => c.json(await getMenuItem(deps, pathId(c, "menu item"))));
  app.put("/api/menu-items/:id", ...manager, async (c) => {
    const id = pathId(c, "menu item");
    return c.json(await updateMenuItem(writeDeps(c), { id, changes: parseMenuItem(await readBody(c)) }));
  });
  app.patch("/api/menu-items/:id", ...manager, async (c) => {
    const id = pathId(c, "menu item");
    const changes = parseMenuItemChanges(await readBody(c));
    return c.json(await updateMenuItem(writeDeps(c), { id, changes }));
  });
  app.delete("/api/menu-items/:id", ...manager, async (c) => {
    await deleteMenuItem(writeDeps(c), pathId(c, "menu item"));
    return c.body(null, 204);
  });
  return app;
}
