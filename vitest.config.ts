import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Two projects, one `vitest run`: Node (libsql, fast) and workerd (D1, Queues, Cron).
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./src/db/drizzle-migrations");
  return {
    test: {
      projects: [
        {
          test: {
            name: "node",
            include: ["test/**/*.test.ts"],
            exclude: ["test/workers/**"],
            pool: "forks",
          },
        },
        {
          plugins: [
            cloudflareTest({
              main: "./src/runtime/worker.ts",
              wrangler: { configPath: "./wrangler.jsonc" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  AUTH_MODE: "local",
                  ENCRYPTION_KEY: "workers-test-encryption-key-0123456789",
                },
              },
            }),
          ],
          // Worktrees symlink node_modules; without this the pool cannot load the QuickJS .wasm that
          // src/sandbox/load-module-workerd.ts imports by path (it resolves outside the project root).
          resolve: { preserveSymlinks: true },
          test: {
            name: "workers",
            include: ["test/workers/**/*.test.ts"],
            setupFiles: ["./test/workers/apply-migrations.ts"],
          },
        },
      ],
    },
  };
});
