import { z } from "zod";
import type { CategoryRow } from "./category-repository.ts";
import type { MenuItemJoined } from "./repository.ts";

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

export function toCategory(row: CategoryRow): Category {
  return { id: row.id, slug: row.slug, title: row.title };
}

export function toMenuItem(row: MenuItemJoined): MenuItem {
  return {
    id: row.id,
    title: row.title,
    price: row.price,
    featured: row.featured,
    category: { id: row.category_id, slug: row.category_slug, title: row.category_title },
    description: row.description,
  };
}
