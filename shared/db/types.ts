import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { DeliveryStatus, GroupName, OrderStatus } from "../names.ts";

/** A timestamp column: read as a Date, written as a Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in on insert. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** SQL numeric(10,2): read as an exact decimal string ("5.50"), never as a float. */
type Money = ColumnType<string, string, string>;

export type { DeliveryStatus, GroupName, OrderStatus };
export type OutboxStatus = "pending" | "sent" | "abandoned";

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string | null;
  password_hash: string;
  is_admin: Generated<boolean>;
  created_at: CreatedAt;
}

export interface UserGroupsTable {
  user_id: number;
  group_name: GroupName;
  created_at: CreatedAt;
}

export interface RefreshTokensTable {
  id: Generated<number>;
  /** Every token issued from one login shares a family; reuse of a spent token revokes it whole. */
  family_id: string;
  user_id: number;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface LoginFailuresTable {
  username: string;
  /** The client's address, or "*" for the username's total over every client. */
  client: Generated<string>;
  failures: number;
  window_started_at: Timestamp;
  last_failed_at: Timestamp;
}

export interface CategoriesTable {
  id: Generated<number>;
  slug: string;
  title: string;
}

export interface MenuItemsTable {
  id: Generated<number>;
  title: string;
  price: Money;
  featured: Generated<boolean>;
  category_id: number;
  description: Generated<string>;
  updated_at: CreatedAt;
  /** Raised by every change under the row's lock; menu item events carry it. */
  version: Generated<number>;
}

export interface CartItemsTable {
  id: Generated<number>;
  user_id: number;
  menuitem_id: number;
  quantity: number;
  unit_price: Money;
  created_at: CreatedAt;
  /** The menu item's version `unit_price` was taken from; older menu item events do not apply. */
  menu_version: Generated<number>;
}

export interface OrdersTable {
  id: Generated<number>;
  user_id: number;
  delivery_crew_id: number | null;
  status: OrderStatus;
  total: Money;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** Raised by every change under the row's lock; order events carry it. */
  version: Generated<number>;
  /** The newest delivery version applied to this order (0: none yet). */
  delivery_version: Generated<number>;
}

export interface OrderItemsTable {
  id: Generated<number>;
  order_id: number;
  /** Not a foreign key: an order keeps its lines after the menu item is deleted. */
  menuitem_id: number;
  title: string;
  quantity: number;
  unit_price: Money;
  price: Money;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  request_hash: string;
  /** null while the first request is still running. */
  response_status: number | null;
  response_body: unknown | null;
  created_at: CreatedAt;
}

export interface DeliveriesTable {
  /** Not a foreign key: the delivery function learns of orders only through events. */
  order_id: number;
  delivery_crew_id: number | null;
  status: DeliveryStatus;
  assigned_at: Timestamp | null;
  picked_up_at: Timestamp | null;
  delivered_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** Raised by every change under the row's lock; delivery events carry it. */
  version: Generated<number>;
  /** The newest order version applied to this record (0: none yet). */
  order_version: Generated<number>;
}

export interface OutboxTable {
  /** The CloudEvent id, the same on every attempt. */
  id: string;
  source: string;
  type: string;
  subject: string;
  data: unknown;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  /** A sender holds the row until then; nobody else sends it meanwhile. */
  lease_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface ProcessedEventsTable {
  consumer: string;
  source: string;
  event_id: string;
  type: string;
  processed_at: CreatedAt;
}

export interface DeadLettersTable {
  id: Generated<number>;
  consumer: string;
  event_id: string;
  source: string;
  type: string;
  subject: string | null;
  /** Every CloudEvent attribute and extension as received, knativeerrorcode and knativeerrordest among them. */
  attributes: unknown;
  data: unknown | null;
  /** The body exactly as received, whatever it is (not JSON, empty); what a replay sends. */
  body: Uint8Array | null;
  content_type: string | null;
  error_code: string | null;
  error_dest: string | null;
  received_at: CreatedAt;
  replayed_at: Timestamp | null;
}

/** Live updates: what the change_feed triggers write per changed order or delivery (docs/live-updates.md). */
export type FeedEntity = "order" | "delivery";

/**
 * A row per change to an order or a delivery, written by a trigger in the transaction of the change.
 * int8 columns are read as strings (the pg driver's choice for bigint); the feed casts them where it reads.
 */
export interface ChangeFeedTable {
  seq: Generated<string>;
  /** The writing transaction's id (pg_current_xact_id); the feed is read in (tx, seq) order. */
  tx: string;
  entity: FeedEntity;
  /** The order's id; for a delivery its order_id. */
  entity_id: number;
  /** The order's customer (null for a delivery). */
  user_id: number | null;
  crew_id: number | null;
  /** The crew the row had before this change, when the change moved it to another (or none). */
  previous_crew_id: number | null;
  deleted: Generated<boolean>;
  created_at: CreatedAt;
}

/** How far each entity's feed was pruned: cursors at or behind it may have lost rows. */
export interface ChangeFeedPrunedTable {
  entity: FeedEntity;
  tx: string;
  seq: string;
}

/** Every table of Tavola; each function writes only its own (see docs/api.md). */
export interface Database {
  users: UsersTable;
  user_groups: UserGroupsTable;
  refresh_tokens: RefreshTokensTable;
  login_failures: LoginFailuresTable;
  categories: CategoriesTable;
  menu_items: MenuItemsTable;
  cart_items: CartItemsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  idempotency_keys: IdempotencyKeysTable;
  deliveries: DeliveriesTable;
  outbox: OutboxTable;
  processed_events: ProcessedEventsTable;
  dead_letters: DeadLettersTable;
  change_feed: ChangeFeedTable;
  change_feed_pruned: ChangeFeedPrunedTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type MenuItemRow = Selectable<MenuItemsTable>;
export type MenuItemUpdate = Updateable<MenuItemsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type OutboxRow = Selectable<OutboxTable>;
