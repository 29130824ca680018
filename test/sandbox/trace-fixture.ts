/**
 * A realistic trace view for sandbox tests and the throughput bench. The real view is defined by
 * the traces area; the sandbox treats it as opaque JSON, so only its size and texture matter here:
 * ~20 spans with kind, name, input/output, chat messages, tool calls, tokens and timings.
 * Deterministic: the same index always gives the same view.
 */
export interface TraceViewFixture {
  id: string;
  input: string;
  output: string;
  spans: SpanFixture[];
  metadata: Record<string, string>;
}

interface SpanFixture {
  id: string;
  parentId: string | null;
  kind: "agent" | "llm" | "tool" | "retrieval";
  name: string;
  startedAt: string;
  durationMs: number;
  input: unknown;
  output: unknown;
  error: string | null;
  messages: { role: "system" | "user" | "assistant" | "tool"; content: string }[];
  toolCalls: { id: string; name: string; arguments: string }[];
  tokens: { prompt: number; completion: number; total: number } | null;
}

const questions = [
  "What is the refund policy for annual plans?",
  "Cancel my subscription and email me a confirmation.",
  "Which regions does the service run in, and what is the SLA?",
  "Summarise my last three invoices.",
];
const answers = [
  "Annual plans can be refunded within 30 days of purchase; after that we prorate the remaining months.",
  "I'm sorry, I can't cancel subscriptions directly. Please contact billing@example.com.",
  "We run in eu-west, us-east and ap-south, with a 99.95% monthly uptime SLA.",
  "Your last three invoices total $1,240.00; the largest was $610.00 on 2026-10-01.",
];
const tools = ["search_docs", "get_invoice", "lookup_account", "send_email"];

export function makeTraceView(index: number, spanCount = 20): TraceViewFixture {
  const question = pick(questions, index);
  const answer = pick(answers, index);
  const spans: SpanFixture[] = [agentSpan(index, question, answer)];
  for (let i = 1; i < spanCount; i++) {
    spans.push(i % 3 === 1 ? llmSpan(index, i, question, answer) : toolSpan(index, i));
  }
  return {
    id: `trace_${index.toString(36).padStart(8, "0")}`,
    input: question,
    output: answer,
    spans,
    metadata: { agent: "support-bot", promptVersion: `v${(index % 4) + 1}`, environment: "production" },
  };
}

function agentSpan(index: number, question: string, answer: string): SpanFixture {
  return {
    ...baseSpan(index, 0, "agent", "support-agent", null),
    input: { question },
    output: { answer },
    messages: [],
    toolCalls: [],
    tokens: null,
  };
}

function llmSpan(index: number, i: number, question: string, answer: string): SpanFixture {
  const tool = pick(tools, index + i);
  const prompt = 400 + ((index * 7 + i * 13) % 900);
  const completion = 40 + ((index * 3 + i * 5) % 300);
  return {
    ...baseSpan(index, i, "llm", "chat gpt-4o-mini", `span_${index}_0`),
    input: { model: "gpt-4o-mini", temperature: 0.2 },
    output: { finishReason: i === 1 ? "tool_calls" : "stop" },
    messages: [
      {
        role: "system",
        content: "You are a helpful support agent. Answer from the documentation only; never invent prices.",
      },
      { role: "user", content: question },
      { role: "assistant", content: i === 1 ? `Let me check with ${tool}.` : answer },
    ],
    toolCalls:
      i === 1 ? [{ id: `call_${index}_${i}`, name: tool, arguments: JSON.stringify({ query: question }) }] : [],
    tokens: { prompt, completion, total: prompt + completion },
  };
}

function toolSpan(index: number, i: number): SpanFixture {
  const tool = pick(tools, index + i);
  const failed = (index + i) % 17 === 0;
  return {
    ...baseSpan(index, i, i % 3 === 2 ? "tool" : "retrieval", tool, `span_${index}_0`),
    input: { query: `${tool} #${i}`, limit: 5 },
    output: failed ? null : { documents: [`doc-${i}-a`, `doc-${i}-b`], score: ((index + i) % 10) / 10 },
    error: failed ? "upstream timed out after 30000 ms" : null,
    messages: [],
    toolCalls: [],
    tokens: null,
  };
}

function baseSpan(index: number, i: number, kind: SpanFixture["kind"], name: string, parentId: string | null) {
  const startMs = Date.UTC(2026, 10, 1) + index * 60_000 + i * 250;
  return {
    id: `span_${index}_${i}`,
    parentId,
    kind,
    name,
    startedAt: new Date(startMs).toISOString(),
    durationMs: 50 + ((index + i * 31) % 900),
    error: null,
  };
}

function pick<T>(items: readonly T[], index: number): T {
  return items[index % items.length] as T;
}

/** The "typical eval" of the issue: walks the spans and applies a few regexes. */
export const typicalEvalSource = String.raw`function evaluate(trace) {
  const refusal = /\b(I can(?:'|no)t|I am unable|as an AI)\b/i;
  const apology = /\bsorry\b/i;
  const email = /[\w.+-]+@[\w-]+\.[a-z]{2,}/i;
  let llmCalls = 0;
  let tokens = 0;
  let toolErrors = 0;
  for (const span of trace.spans) {
    if (span.kind === "llm") {
      llmCalls += 1;
      tokens += span.tokens ? span.tokens.total : 0;
    }
    if ((span.kind === "tool" || span.kind === "retrieval") && span.error) toolErrors += 1;
    for (const message of span.messages) {
      if (message.role === "assistant" && refusal.test(message.content)) {
        return { pass: false, score: 0, reason: "assistant refused in " + span.name };
      }
    }
  }
  const output = String(trace.output || "");
  if (email.test(output)) return { pass: false, score: 0.2, reason: "the answer leaks an email address" };
  const score = Math.max(0, 1 - toolErrors * 0.25);
  return {
    pass: toolErrors === 0 && !apology.test(output),
    score,
    reason: llmCalls + " LLM calls, " + tokens + " tokens, " + toolErrors + " tool errors",
  };
}`;
