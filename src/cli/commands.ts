import type { z } from "zod";
import { ApiKeyIdParams, CreateApiKeyBody, toApiKeyJson, toCreatedApiKeyJson } from "../api/api-keys.schemas";
import {
  AddMemberBody,
  CreateWorkspaceBody,
  toCreatedWorkspaceJson,
  toMemberJson,
  toWorkspaceJson,
} from "../api/workspaces.schemas";
import {
  addMember,
  getCurrentWorkspace,
  listAllWorkspaces,
  listApiKeys,
  type Page,
  type PageInput,
  planCreateApiKey,
  planCreateWorkspace,
  revokeApiKey,
  runWritePlan,
  type WritePlan,
} from "../workspaces";
import { type CommandSpec, type ParsedOptions, stringOption, UsageError } from "./args";
import { type CliSession, openDatabaseSession, openSqlOnlySession } from "./session";
import { renderWritesAsSql } from "./sql";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

export interface Command extends CommandSpec {
  run(values: ParsedOptions, io: CliIo): Promise<void>;
}

const printJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Checks option values with the API's own schemas, so the CLI accepts exactly what the API does. */
function parseInput<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return parsed.data;
}

async function withSession(io: CliIo, sqlOnly: boolean, use: (session: CliSession) => Promise<void>): Promise<void> {
  const session = sqlOnly ? openSqlOnlySession(io.env) : await openDatabaseSession(io.env);
  try {
    await use(session);
  } finally {
    session.close();
  }
}

/** Runs the plan, or with `--sql` prints its SQL on stdout and the would-be result (the key) on stderr. */
async function emitPlan<T>(
  session: CliSession,
  io: CliIo,
  sqlOnly: boolean,
  plan: WritePlan<T>,
  toJson: (r: T) => unknown,
) {
  if (sqlOnly) {
    io.stdout(`${renderWritesAsSql(plan.writes)}\n`);
    io.stderr(printJson(toJson(plan.result)));
    return;
  }
  io.stdout(printJson(toJson(await runWritePlan(session.deps.db, plan))));
}

/** Every page of a list, for output that shows it all. */
async function collectAll<T>(list: (page: PageInput) => Promise<Page<T & { id: string }>>): Promise<T[]> {
  const all: T[] = [];
  let page: Page<T & { id: string }> = await list({ afterId: undefined, limit: 200 });
  all.push(...page.items);
  while (page.hasMore) {
    page = await list({ afterId: page.items.at(-1)?.id, limit: 200 });
    all.push(...page.items);
  }
  return all;
}

function workspaceOption(values: ParsedOptions): string {
  const id = stringOption(values, "workspace") ?? "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new UsageError("--workspace: 1-64 letters, digits, '_' or '-'");
  }
  return id;
}

export const commands: Record<string, Command> = {
  "workspace create": {
    synopsis: "workspace create --name NAME [--sql]",
    strings: ["name"],
    required: ["name"],
    flags: ["sql"],
    run: (values, io) => {
      const input = parseInput(CreateWorkspaceBody, { name: values.name });
      const sqlOnly = values.sql === true;
      return withSession(io, sqlOnly, async (session) => {
        const plan = await planCreateWorkspace(session.operator, { ...input, issueOwnerKey: true });
        await emitPlan(session, io, sqlOnly, plan, toCreatedWorkspaceJson);
      });
    },
  },
  "workspace list": {
    synopsis: "workspace list",
    strings: [],
    required: [],
    flags: [],
    run: (_values, io) =>
      withSession(io, false, async (session) => {
        const workspaces = await collectAll((page) => listAllWorkspaces(session.operator, page));
        io.stdout(printJson({ workspaces: workspaces.map(toWorkspaceJson) }));
      }),
  },
  "member add": {
    synopsis: "member add --workspace ID --email EMAIL [--name NAME] [--role owner|admin|member]",
    strings: ["workspace", "email", "name", "role"],
    required: ["workspace", "email"],
    flags: [],
    run: (values, io) => {
      const workspaceId = workspaceOption(values);
      const input = parseInput(AddMemberBody, { email: values.email, name: values.name, role: values.role });
      return withSession(io, false, async (session) => {
        const ctx = session.inWorkspace(workspaceId);
        await getCurrentWorkspace(ctx);
        io.stdout(printJson(toMemberJson(await addMember(ctx, input))));
      });
    },
  },
  "key create": {
    synopsis: "key create --workspace ID --name NAME [--role owner|admin|member] [--sql]",
    strings: ["workspace", "name", "role"],
    required: ["workspace", "name"],
    flags: ["sql"],
    run: (values, io) => {
      const workspaceId = workspaceOption(values);
      const input = parseInput(CreateApiKeyBody, { name: values.name, role: values.role });
      const sqlOnly = values.sql === true;
      return withSession(io, sqlOnly, async (session) => {
        const ctx = session.inWorkspace(workspaceId);
        if (!sqlOnly) {
          await getCurrentWorkspace(ctx);
        }
        await emitPlan(session, io, sqlOnly, await planCreateApiKey(ctx, input), toCreatedApiKeyJson);
      });
    },
  },
  "key list": {
    synopsis: "key list --workspace ID",
    strings: ["workspace"],
    required: ["workspace"],
    flags: [],
    run: (values, io) => {
      const workspaceId = workspaceOption(values);
      return withSession(io, false, async (session) => {
        const ctx = session.inWorkspace(workspaceId);
        await getCurrentWorkspace(ctx);
        const keys = await collectAll((page) => listApiKeys(ctx, page));
        io.stdout(printJson({ api_keys: keys.map(toApiKeyJson) }));
      });
    },
  },
  "key revoke": {
    synopsis: "key revoke --workspace ID --id KEY_ID",
    strings: ["workspace", "id"],
    required: ["workspace", "id"],
    flags: [],
    run: (values, io) => {
      const workspaceId = workspaceOption(values);
      const { id } = parseInput(ApiKeyIdParams, { id: values.id });
      return withSession(io, false, async (session) => {
        const ctx = session.inWorkspace(workspaceId);
        await revokeApiKey(ctx, id);
        io.stdout(printJson({ id, revoked: true }));
      });
    },
  },
};
