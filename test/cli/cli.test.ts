import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CreatedApiKeySchema } from "../../src/api/api-keys.schemas";
import { CreatedWorkspaceSchema, MemberSchema } from "../../src/api/workspaces.schemas";
import { resolveApiKey } from "../../src/auth/resolve";
import { type CliIo, runCli } from "../../src/cli/main";
import { apiKeys, workspaces } from "../../src/db/schema";
import { createTestDb } from "../helpers/db";

async function setup() {
  const { db, client, url } = await createTestDb();
  const cli = async (...argv: string[]) => {
    const out = { stdout: "", stderr: "" };
    const io: CliIo = {
      stdout: (text) => {
        out.stdout += text;
      },
      stderr: (text) => {
        out.stderr += text;
      },
      env: { DATABASE_URL: url },
    };
    const code = await runCli(argv, io);
    return { code, ...out, json: () => JSON.parse(out.stdout) };
  };
  return { db, client, url, cli };
}

describe("cli: workspaces and keys", () => {
  it("creates a workspace with an owner key that authenticates and is stored hashed", async () => {
    const { db, cli } = await setup();
    const res = await cli("workspace", "create", "--name", "Acme");
    expect(res.code).toBe(0);
    const created = CreatedWorkspaceSchema.parse(res.json());
    const key = created.api_key?.key ?? "";
    expect(await resolveApiKey(db, key, new Date())).toMatchObject({
      workspaceId: created.workspace.id,
      role: "owner",
    });
    const rows = await db.select().from(apiKeys);
    expect(JSON.stringify(rows)).not.toContain(key);
    const list = await cli("workspace", "list");
    expect(list.json().workspaces.map((w: { id: string }) => w.id)).toContain(created.workspace.id);
  });

  it("adds members, and reports a duplicate or an unknown workspace as an error with exit 1", async () => {
    const { cli } = await setup();
    const ws = (await cli("workspace", "create", "--name", "Acme")).json().workspace.id;
    const add = await cli("member", "add", "--workspace", ws, "--email", "ada@example.com", "--role", "admin");
    expect(MemberSchema.parse(add.json())).toMatchObject({ email: "ada@example.com", role: "admin" });
    const again = await cli("member", "add", "--workspace", ws, "--email", "ada@example.com");
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr).error.code).toBe("ALREADY_EXISTS");
    const missing = await cli("key", "list", "--workspace", "ws_nope");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error.code).toBe("NOT_FOUND");
  });

  it("creates, lists and revokes keys; a revoked key no longer authenticates", async () => {
    const { db, cli } = await setup();
    const ws = (await cli("workspace", "create", "--name", "Acme")).json().workspace.id;
    const created = CreatedApiKeySchema.parse(
      (await cli("key", "create", "--workspace", ws, "--name", "CI", "--role", "admin")).json(),
    );
    expect(created.role).toBe("admin");
    const list = await cli("key", "list", "--workspace", ws);
    expect(list.stdout).not.toContain(created.key);
    expect(list.json().api_keys).toHaveLength(2);
    expect(await resolveApiKey(db, created.key, new Date())).not.toBeNull();
    const revoked = await cli("key", "revoke", "--workspace", ws, "--id", created.id);
    expect(revoked.json()).toEqual({ id: created.id, revoked: true });
    expect(await resolveApiKey(db, created.key, new Date())).toBeNull();
    const after = (await cli("key", "list", "--workspace", ws)).json().api_keys;
    expect(after.find((k: { id: string }) => k.id === created.id).revoked_at).not.toBeNull();
  });
});

describe("cli: --sql", () => {
  it("prints INSERTs that create the workspace and its owner key when executed, touching nothing itself", async () => {
    const { db, client, cli } = await setup();
    const res = await cli("workspace", "create", "--name", "O'Brien & Co", "--sql");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^insert into "workspaces" .*;\ninsert into "api_keys" .*;\n$/);
    expect(await db.select().from(workspaces)).toEqual([]);
    await client.executeMultiple(res.stdout);
    const shown = CreatedWorkspaceSchema.parse(JSON.parse(res.stderr));
    const [row] = await db.select().from(workspaces).where(eq(workspaces.id, shown.workspace.id));
    expect(row?.name).toBe("O'Brien & Co");
    const resolved = await resolveApiKey(db, shown.api_key?.key ?? "", new Date());
    expect(resolved).toMatchObject({ workspaceId: shown.workspace.id, role: "owner" });
  });

  it("prints a key INSERT for an existing workspace", async () => {
    const { db, client, cli } = await setup();
    const ws = (await cli("workspace", "create", "--name", "Acme")).json().workspace.id;
    const res = await cli("key", "create", "--workspace", ws, "--name", "deploy", "--role", "member", "--sql");
    await client.executeMultiple(res.stdout);
    const shown = CreatedApiKeySchema.parse(JSON.parse(res.stderr));
    expect(await resolveApiKey(db, shown.key, new Date())).toMatchObject({ workspaceId: ws, role: "member" });
  });
});

describe("cli: bad arguments", () => {
  it.each([
    [[]],
    [["workspace"]],
    [["workspace", "delete"]],
    [["workspace", "create"]],
    [["workspace", "create", "--name"]],
    [["workspace", "create", "--name", "A", "--nme", "B"]],
    [["workspace", "create", "--name", "A", "extra"]],
    [["workspace", "create", "--name", "   "]],
    [["key", "list", "--workspace", "w", "--sql"]],
    [["key", "create", "--workspace", "w", "--name", "k", "--role", "root"]],
    [["member", "add", "--workspace", "w", "--email", "not-an-email"]],
    [["key", "revoke", "--workspace", "w", "--id", "../etc"]],
  ])("%j prints usage on stderr and exits with 2", async (argv) => {
    const { cli } = await setup();
    const res = await cli(...argv);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("Usage: npm run cli -- <command>");
  });
});

describe("cli: the entry point", () => {
  it("runs as a process (npx tsx src/cli/main.ts) with exit codes 0 and 2", async () => {
    const { url } = await setup();
    const root = join(import.meta.dirname, "../..");
    const run = (...argv: string[]) =>
      spawnSync(join(root, "node_modules/.bin/tsx"), ["src/cli/main.ts", ...argv], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url },
        encoding: "utf8",
      });
    const ok = run("workspace", "create", "--name", "Spawned");
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).workspace.name).toBe("Spawned");
    const bad = run("workspace", "frobnicate");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown command: workspace frobnicate");
  }, 60_000); // two tsx process starts; slow when the machine is busy
});
