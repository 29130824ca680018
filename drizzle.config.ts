import { defineConfig } from "drizzle-kit";

// Migrations are generated here and applied by both hosts: wrangler (migrations_dir) on D1,
// Drizzle's migrator on libsql. `db:migrate`/`db:push`/`db:studio` act on the Node host's database.
export default defineConfig({
  schema: "./src/db/schema/index.ts",
  out: "./src/db/drizzle-migrations",
  dialect: "sqlite",
  dbCredentials: { url: process.env.DATABASE_URL ?? "file:./data/iofold.db" },
});
