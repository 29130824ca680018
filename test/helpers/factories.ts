import { generateApiKey, hashApiKey } from "../../src/auth/api-key-hash";
import type { Database } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import {
  type ApiKey,
  apiKeys,
  type Integration,
  integrations,
  type Job,
  jobs,
  type NewApiKey,
  type NewIntegration,
  type NewJob,
  type NewUser,
  type NewWorkspace,
  type User,
  users,
  type Workspace,
  type WorkspaceMember,
  workspaceMembers,
  workspaces,
} from "../../src/db/schema";
import type { WorkspaceRole } from "../../src/db/schema/enums";

// Factories write rows directly (not through services), so a test can set up any state,
// including states the API forbids. Each returns the inserted row.

type WorkspaceRef = { id: string };

export async function createWorkspace(db: Database, over: Partial<NewWorkspace> = {}): Promise<Workspace> {
  const [row] = await db
    .insert(workspaces)
    .values({ id: newId("workspace"), name: "Test workspace", ...over })
    .returning();
  return row!;
}

export async function createUser(db: Database, over: Partial<NewUser> = {}): Promise<User> {
  const id = newId("user");
  const [row] = await db
    .insert(users)
    .values({ id, email: `${id}@example.test`, name: "Test User", ...over })
    .returning();
  return row!;
}

/** A membership of a new user (or `over.userId`) in `ws`. */
export async function createMember(
  db: Database,
  ws: WorkspaceRef,
  role: WorkspaceRole = "member",
  over: { userId?: string } = {},
): Promise<WorkspaceMember> {
  const userId = over.userId ?? (await createUser(db)).id;
  const [row] = await db
    .insert(workspaceMembers)
    .values({ id: newId("member"), workspaceId: ws.id, userId, role })
    .returning();
  return row!;
}

/** A stored key (hash only, like production) plus the secret `key` to send as a Bearer token. */
export async function createApiKey(
  db: Database,
  ws: WorkspaceRef,
  role: WorkspaceRole = "owner",
  over: Partial<NewApiKey> = {},
): Promise<ApiKey & { key: string }> {
  const { key, prefix } = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId("apiKey"),
      workspaceId: ws.id,
      name: `${role} key`,
      role,
      keyHash: await hashApiKey(key),
      keyPrefix: prefix,
      ...over,
    })
    .returning();
  return { ...row!, key };
}

export async function createJob(db: Database, ws: WorkspaceRef, over: Partial<NewJob> = {}): Promise<Job> {
  const [row] = await db
    .insert(jobs)
    .values({ id: newId("job"), workspaceId: ws.id, type: "diagnostic", metadata: { units: 1 }, ...over })
    .returning();
  if (!row) {
    throw new Error("job insert returned nothing");
  }
  return row;
}

/** An integration row. Its key is not real ciphertext unless `over.apiKeyEncrypted` is one. */
export async function createIntegration(
  db: Database,
  ws: WorkspaceRef,
  over: Partial<NewIntegration> = {},
): Promise<Integration> {
  const id = newId("integration");
  const [row] = await db
    .insert(integrations)
    .values({
      id,
      workspaceId: ws.id,
      name: `integration ${id}`,
      platform: "langfuse",
      baseUrl: "https://cloud.langfuse.com",
      apiKeyEncrypted: "v1.not.ciphertext",
      config: {},
      ...over,
    })
    .returning();
  return row!;
}
