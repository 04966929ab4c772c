import { type Context, Hono } from "hono";
import { requireAuth, requireRole } from "../../shared/auth/index.ts";
import { AppError } from "../../shared/errors.ts";
import { type AppEnv, body, pageSchema, parsePathId, query, toPage } from "../../shared/http/index.ts";
import { describe } from "../../shared/openapi/describe.ts";
import type { AppDeps } from "../../shared/runtime/function.ts";
import { createCategory } from "./create-category.ts";
import { createMenuItem } from "./create-menu-item.ts";
import { deleteCategory } from "./delete-category.ts";
import { deleteMenuItem } from "./delete-menu-item.ts";
import { getCategory } from "./get-category.ts";
import { getMenuItem } from "./get-menu-item.ts";
import { listCategories } from "./list-categories.ts";
import { listMenuItems } from "./list-menu-items.ts";
import {
  categoryBody,
  categoryChangesBody,
  categoryQuery,
  categorySchema,
  menuItemBody,
  menuItemChangesBody,
  menuItemQuery,
  menuItemSchema,
  parseCategoryQuery,
  parseMenuItemQuery,
  toMenuItemChanges,
  toMenuItemInput,
} from "./schemas.ts";
import { updateCategory } from "./update-category.ts";
import { updateMenuItem } from "./update-menu-item.ts";

/** The id in the path; anything that is not a row id (text, SQL, overflow) is simply not found. */
function pathId(c: Context, what: string): number {
  const id = parsePathId(c.req.param("id"));
  if (id === undefined) throw new AppError("not_found", `There is no ${what} with that id.`);
  return id;
}

/** Categories and menu items: anyone reads, managers (and admins) write. */
export function menuRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const manager = [requireAuth(deps.verify), requireRole("manager")] as const;
  const writeDeps = <E extends AppEnv>(c: Context<E>) => ({ db: deps.db, pending: c.get("pendingEventIds") });

  app.get(
    "/api/categories",
    describe({ summary: "List categories", responses: { 200: pageSchema(categorySchema) } }),
    query(categoryQuery, parseCategoryQuery),
    async (c) => {
      const q = c.get("query");
      const { count, slice } = await listCategories(deps, q);
      return c.json(toPage(c.req.url, q.page, count, slice));
    },
  );
  app.post(
    "/api/categories",
    describe({ summary: "Create a category", responses: { 201: categorySchema } }),
    ...manager,
    body(categoryBody),
    async (c) => c.json(await createCategory(deps, c.get("body")), 201),
  );
  app.get(
    "/api/categories/:id",
    describe({ summary: "Get a category", responses: { 200: categorySchema } }),
    async (c) => c.json(await getCategory(deps, pathId(c, "category"))),
  );
  app.put(
    "/api/categories/:id",
    describe({ summary: "Replace a category", responses: { 200: categorySchema } }),
    ...manager,
    body(categoryBody),
    async (c) => c.json(await updateCategory(deps, { id: pathId(c, "category"), changes: c.get("body") })),
  );
  app.patch(
    "/api/categories/:id",
    describe({ summary: "Change a category", responses: { 200: categorySchema } }),
    ...manager,
    body(categoryChangesBody),
    async (c) => c.json(await updateCategory(deps, { id: pathId(c, "category"), changes: c.get("body") })),
  );
  app.delete(
    "/api/categories/:id",
    describe({
      summary: "Delete a category",
      description: "A category that still has menu items cannot be deleted (409).",
      responses: { 204: null },
      errors: [409],
    }),
    ...manager,
    async (c) => {
      await deleteCategory(deps, pathId(c, "category"));
      return c.body(null, 204);
    },
  );

  app.get(
    "/api/menu-items",
    describe({ summary: "List menu items", responses: { 200: pageSchema(menuItemSchema) } }),
    query(menuItemQuery, parseMenuItemQuery),
    async (c) => {
      const q = c.get("query");
      const { count, slice } = await listMenuItems(deps, q);
      return c.json(toPage(c.req.url, q.page, count, slice));
    },
  );
  app.post(
    "/api/menu-items",
    describe({ summary: "Create a menu item", responses: { 201: menuItemSchema } }),
    ...manager,
    body(menuItemBody),
    async (c) => c.json(await createMenuItem(deps, toMenuItemInput(c.get("body"))), 201),
  );
  app.get(
    "/api/menu-items/:id",
    describe({ summary: "Get a menu item", responses: { 200: menuItemSchema } }),
    async (c) => c.json(await getMenuItem(deps, pathId(c, "menu item"))),
  );
  app.put(
    "/api/menu-items/:id",
    describe({
      summary: "Replace a menu item",
      description: "Emits tavola.menu.item.changed.",
      responses: { 200: menuItemSchema },
    }),
    ...manager,
    body(menuItemBody),
    async (c) => {
      const changes = toMenuItemInput(c.get("body"));
      return c.json(await updateMenuItem(writeDeps(c), { id: pathId(c, "menu item"), changes }));
    },
  );
  app.patch(
    "/api/menu-items/:id",
    describe({
      summary: "Change a menu item",
      description: "A PATCH of `{featured}` alone sets the item of the day. Emits tavola.menu.item.changed.",
      responses: { 200: menuItemSchema },
    }),
    ...manager,
    body(menuItemChangesBody),
    async (c) => {
      const changes = toMenuItemChanges(c.get("body"));
      return c.json(await updateMenuItem(writeDeps(c), { id: pathId(c, "menu item"), changes }));
    },
  );
  app.delete(
    "/api/menu-items/:id",
    describe({
      summary: "Delete a menu item",
      description: "Emits tavola.menu.item.deleted; the item leaves every cart.",
      responses: { 204: null },
    }),
    ...manager,
    async (c) => {
      await deleteMenuItem(writeDeps(c), pathId(c, "menu item"));
      return c.body(null, 204);
    },
  );
  return app;
}
