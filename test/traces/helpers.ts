import type { Ctx } from "../../src/context";
import type { CanonicalSpan, CanonicalTrace } from "../../src/traces/model";
import { makeTestApp, type TestAppOverrides } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";
import { at, span, trace } from "./model/builders";

/** A test app, a fresh workspace and a service context acting in it. */
export async function storeSetup(overrides: TestAppOverrides = {}) {
  const t = await makeTestApp(overrides);
  const ws = await createWorkspace(t.db);
  const ctx = ctxFor(t, ws.id);
  return { ...t, ws, ctx };
}

export function ctxFor(t: { db: Ctx["db"]; deps: Ctx["deps"] }, workspaceId: string): Ctx {
  return {
    db: t.db,
    workspaceId,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "req-test",
    deps: t.deps,
  };
}

/** An LLM span with a system prompt, a question and an answer. */
export function llmSpan(id: string, over: Partial<CanonicalSpan> = {}): CanonicalSpan {
  return span(id, {
    name: "chat",
    kind: "LLM",
    started_at: at(0),
    ended_at: at(1200),
    model: "gpt-4.1-mini",
    input_messages: [
      { role: "system", content: "You are a helpful assistant for Acme." },
      { role: "user", content: "How do I reset my password?" },
    ],
    output_messages: [{ role: "assistant", content: "Open Settings, then Security." }],
    tokens: { prompt: 30, completion: 8, total: 38 },
    ...over,
  });
}

export function chatTrace(externalId: string, over: Partial<CanonicalTrace> = {}): CanonicalTrace {
  return trace([llmSpan(`${externalId}-s1`)], { external_id: externalId, source: "otlp", ...over });
}

export { at, span, trace };
