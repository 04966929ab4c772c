import { z } from "zod";
import {
  fields,
  type OrderTerm,
  type PageRequest,
  pageQuery,
  parseOrdering,
  parsePage,
  parsePathId,
  validate,
} from "../../shared/http/index.ts";
import type { MenuItemColumn, MenuItemFilter } from "./repository.ts";

// The menu's API shapes: what its routes accept (bodies, query strings, parsed into the verbs' input)
// and what they answer (the response schemas the OpenAPI document shows).
//
// What the menu routes accept. Unknown keys are dropped by zod: a client that sends `id` or anything
// else the server owns changes nothing with it.

const slug = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(/^[-a-zA-Z0-9_]+$/, "may contain only letters, digits, hyphens and underscores");

const description = z
  .string()
  .trim()
  .max(2000, "must be at most 2000 characters")
  .refine((v) => !fields.hasControlCharacters(v), "must not contain control characters");

// A category id, or the nested object a client read with GET and sends back unchanged on PUT.
const categoryRef = z.union([fields.id, z.object({ id: fields.id }).transform((c) => c.id)]);

/** POST and PUT of a category. */
export const categoryBody = z.object({ slug, title: fields.text(255) });
/** PATCH of a category: any subset. */
export const categoryChangesBody = categoryBody.partial();

const itemFields = z.object({
  title: fields.text(255),
  price: fields.money,
  category_id: categoryRef.optional(),
  category: categoryRef.optional(),
  featured: fields.boolean.optional(),
  description: description.optional(),
});

/** POST and PUT of a menu item: title, price and a category (by either field) are required. */
export const menuItemBody = itemFields.superRefine((v, ctx) => {
  if (v.category_id === undefined && v.category === undefined) {
    ctx.addIssue({ code: "custom", path: ["category_id"], message: "is required" });
  }
});

export type CategoryInput = z.infer<typeof categoryBody>;
export type CategoryChanges = Partial<CategoryInput>;

/** A menu item's fields as the verbs take them; `categoryField` names the field the client used. */
export interface MenuItemChanges {
  title?: string;
  price?: string;
  categoryId?: number;
  categoryField?: "category_id" | "category";
  featured?: boolean;
  description?: string;
}
export type MenuItemInput = MenuItemChanges & { title: string; price: string; categoryId: number };

/** PATCH of a menu item: any subset of the fields. */
export const menuItemChangesBody = itemFields.partial();

/** A validated POST/PUT body as the verbs take it. */
export function toMenuItemInput(v: z.output<typeof menuItemBody>): MenuItemInput {
  return toMenuItemChanges(v) as MenuItemInput;
}

/** A validated PATCH body as the verbs take it. */
export function toMenuItemChanges(v: Partial<z.infer<typeof itemFields>>): MenuItemChanges {
  const changes: MenuItemChanges = {};
  if (v.title !== undefined) changes.title = v.title;
  if (v.price !== undefined) changes.price = v.price;
  const categoryId = v.category_id ?? v.category;
  if (categoryId !== undefined) {
    changes.categoryId = categoryId;
    changes.categoryField = v.category_id !== undefined ? "category_id" : "category";
  }
  if (v.featured !== undefined) changes.featured = v.featured;
  if (v.description !== undefined) changes.description = v.description;
  return changes;
}

const itemFilters = z.object({
  category: fields.text(255).optional(),
  featured: fields.boolean.optional(),
  search: fields.text(100).optional(),
  min_price: fields.money.optional(),
  max_price: fields.money.optional(),
  to_price: fields.money.optional(),
});

const orderingParams = (allowed: Record<string, string>) => {
  const names = Object.keys(allowed).join(", ");
  const meta = { description: `comma-separated fields among ${names}; a leading - sorts descending` };
  return { ordering: z.string().optional().meta(meta), sort: z.string().optional().meta(meta) };
};

/** The public ordering fields of each collection and the column each maps to. */
export const ITEM_ORDERING = { price: "price", title: "title", id: "id" } as const;
export const CATEGORY_ORDERING = { id: "id", slug: "slug", title: "title" } as const;

/** The menu-item list's query string, as documented: filters, ordering and page. */
export const menuItemQuery = itemFilters.extend(pageQuery.shape).extend(orderingParams(ITEM_ORDERING));
/** The category list's query string. */
export const categoryQuery = pageQuery.extend(orderingParams(CATEGORY_ORDERING));

export interface MenuItemQuery {
  filter: MenuItemFilter;
  ordering: OrderTerm<MenuItemColumn>[];
  page: PageRequest;
}

/**
 * Reads the list's query string. An empty parameter (`?search=`) is no filter, as Little Lemon clients
 * send them; `sort` is accepted for `ordering` and `to_price` for `max_price`.
 */
export function parseMenuItemQuery(query: Record<string, string>): MenuItemQuery {
  const given = Object.fromEntries(Object.entries(query).filter(([, value]) => value.trim() !== ""));
  const q = validate(itemFilters, given);
  return {
    filter: {
      category: q.category === undefined ? undefined : { id: parsePathId(q.category), name: q.category },
      featured: q.featured,
      search: q.search,
      minPrice: q.min_price,
      maxPrice: q.max_price ?? q.to_price,
    },
    ordering: parseOrdering(given.ordering ?? given.sort, ITEM_ORDERING),
    page: parsePage(query),
  };
}

export function parseCategoryQuery(query: Record<string, string>) {
  return {
    ordering: parseOrdering(query.ordering ?? query.sort, CATEGORY_ORDERING),
    page: parsePage(query),
  };
}

/** A category as the API shows it. */
export const categorySchema = z
  .object({ id: z.number().int(), slug: z.string(), title: z.string() })
  .meta({ id: "Category" });
export type Category = z.infer<typeof categorySchema>;

/** A menu item as the API shows it: its category nested, money as a two-place string. */
export const menuItemSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    price: z.string().regex(/^\d+\.\d{2}$/),
    featured: z.boolean(),
    category: categorySchema,
    description: z.string(),
  })
  .meta({ id: "MenuItem" });
export type MenuItem = z.infer<typeof menuItemSchema>;
