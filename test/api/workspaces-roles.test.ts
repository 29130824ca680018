import { describe, expect, it } from "vitest";
import type { WorkspaceRole } from "../../src/db/schema/enums";
import { makeTestApp, type RequestOptions, readJson } from "../helpers/app";
import { createApiKey, createMember, createWorkspace } from "../helpers/factories";

// Owner > admin > member. Members read; admins manage, but never hand out or take away owner
// power; owners do everything. Each case builds fresh targets, so cases never affect each other.

const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
const ws = await createWorkspace(t.db);
const callers = {
  owner: await createApiKey(t.db, ws, "owner"),
  admin: await createApiKey(t.db, ws, "admin"),
  member: await createApiKey(t.db, ws, "member"),
};

type Expected = Record<WorkspaceRole, number>;
type Case = [name: string, expected: Expected, build: () => Promise<[string, RequestOptions]>];

const all = (status: number): Expected => ({ owner: status, admin: status, member: status });
const managers = (status: number): Expected => ({ owner: status, admin: status, member: 403 });
const ownersOnly = (status: number): Expected => ({ owner: status, admin: 403, member: 403 });

const members = "/api/workspaces/current/members";
let emailCount = 0;
const email = () => `person${++emailCount}@example.com`;
/** A member whose removal or demotion never trips the last-owner rule. */
async function target(role: WorkspaceRole): Promise<string> {
  await createMember(t.db, ws, "owner");
  return (await createMember(t.db, ws, role)).id;
}

const cases: Case[] = [
  ["read the workspace", all(200), async () => ["/api/workspaces/current", {}]],
  ["create a workspace", all(201), async () => ["/api/workspaces", { method: "POST", body: { name: "New" } }]],
  ["list members", all(200), async () => [members, {}]],
  [
    "rename the workspace",
    managers(200),
    async () => ["/api/workspaces/current", { method: "PATCH", body: { name: "R" } }],
  ],
  ["add a member", managers(201), async () => [members, { method: "POST", body: { email: email() } }]],
  ["add an owner", ownersOnly(201), async () => [members, { method: "POST", body: { email: email(), role: "owner" } }]],
  [
    "promote a member to admin",
    managers(200),
    async () => [`${members}/${await target("member")}`, { method: "PATCH", body: { role: "admin" } }],
  ],
  [
    "promote a member to owner",
    ownersOnly(200),
    async () => [`${members}/${await target("member")}`, { method: "PATCH", body: { role: "owner" } }],
  ],
  [
    "demote an owner",
    ownersOnly(200),
    async () => [`${members}/${await target("owner")}`, { method: "PATCH", body: { role: "member" } }],
  ],
  ["remove a member", managers(204), async () => [`${members}/${await target("member")}`, { method: "DELETE" }]],
  ["remove an owner", ownersOnly(204), async () => [`${members}/${await target("owner")}`, { method: "DELETE" }]],
  ["list API keys", managers(200), async () => ["/api/api-keys", {}]],
  ["create a member key", managers(201), async () => ["/api/api-keys", { method: "POST", body: { name: "k" } }]],
  [
    "create an admin key",
    managers(201),
    async () => ["/api/api-keys", { method: "POST", body: { name: "k", role: "admin" } }],
  ],
  [
    "create an owner key",
    ownersOnly(201),
    async () => ["/api/api-keys", { method: "POST", body: { name: "k", role: "owner" } }],
  ],
  [
    "revoke a member key",
    managers(204),
    async () => [`/api/api-keys/${(await createApiKey(t.db, ws, "member")).id}`, { method: "DELETE" }],
  ],
  [
    "revoke an owner key",
    ownersOnly(204),
    async () => [`/api/api-keys/${(await createApiKey(t.db, ws, "owner")).id}`, { method: "DELETE" }],
  ],
];

describe.each(["owner", "admin", "member"] as const)("a caller with role %s", (role) => {
  it.each(cases)("may %s only if the role allows it", async (_name, expected, build) => {
    const [path, options] = await build();
    const res = await t.request(path, { ...options, apiKey: callers[role].key });
    expect(res.status).toBe(expected[role]);
    if (expected[role] === 403) {
      expect((await readJson(res)).error.code).toBe("FORBIDDEN");
    }
  });
});
