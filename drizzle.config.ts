/** drizzle-kit's settings: `bun run db:generate` writes a migration for each change to src/store/schema.ts. */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/store/schema.ts",
  out: "./drizzle",
});
