import { type Kysely, sql } from "kysely";

// Failed logins are counted per username and client as well as per username alone: a row's `client` is
// the address the attempts came from, or "*" for the username's total across clients (the rows that
// existed before this migration were such totals).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("login_failures")
    .addColumn("client", "varchar(64)", (c) => c.notNull().defaultTo("*"))
    .execute();
  await sql`alter table login_failures drop constraint login_failures_pkey`.execute(db);
  await sql`alter table login_failures add primary key (username, client)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("login_failures").where("client", "<>", "*").execute();
  await sql`alter table login_failures drop constraint login_failures_pkey`.execute(db);
  await db.schema.alterTable("login_failures").dropColumn("client").execute();
  await sql`alter table login_failures add primary key (username)`.execute(db);
}
