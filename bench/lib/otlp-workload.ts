// OTLP/JSON export requests shaped like an OpenInference agent's: per trace an AGENT root, LLM calls
// with a system prompt and messages, and TOOL calls. Deterministic, so runs compare.

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

function llmAttributes(trace: number) {
  return [
    str("openinference.span.kind", "LLM"),
    str("llm.model_name", "gpt-4.1-mini"),
    str("llm.input_messages.0.message.role", "system"),
    str("llm.input_messages.0.message.content", "You are a support agent for Acme. Answer briefly and cite the docs."),
    str("llm.input_messages.1.message.role", "user"),
    str("llm.input_messages.1.message.content", `How do I reset my password? (case ${trace})`),
    str("llm.output_messages.0.message.role", "assistant"),
    str("llm.output_messages.0.message.content", "Go to Settings → Security → Reset password, then follow the link."),
    int("llm.token_count.prompt", 812),
    int("llm.token_count.completion", 64),
    int("llm.token_count.total", 876),
  ];
}

function span(trace: number, index: number) {
  const start = 1_746_093_600_000_000_000n + BigInt(trace) * 10_000_000_000n + BigInt(index) * 100_000_000n;
  const isRoot = index === 0;
  const isTool = index % 2 === 0 && !isRoot;
  const attributes = isRoot
    ? [str("openinference.span.kind", "AGENT"), str("session.id", `s-${trace}`), str("input.value", "reset password?")]
    : isTool
      ? [str("openinference.span.kind", "TOOL"), str("tool.name", "search_docs"), str("input.value", '{"q":"reset"}')]
      : llmAttributes(trace);
  return {
    traceId: hex(trace + 1, 32),
    spanId: hex(trace * 100 + index + 1, 16),
    parentSpanId: isRoot ? "" : hex(trace * 100 + 1, 16),
    name: isRoot ? "agent" : isTool ? "search_docs" : "ChatCompletion",
    kind: isRoot ? 1 : 3,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 90_000_000n),
    status: { code: 1 },
    attributes,
  };
}

/** Request `r` of a run: `spansPerRequest / spansPerTrace` whole traces with ids unique across requests. */
export function otlpRequest(r: number, spansPerRequest: number, spansPerTrace: number) {
  const tracesPerRequest = Math.floor(spansPerRequest / spansPerTrace);
  const spans = [];
  for (let t = 0; t < tracesPerRequest; t++) {
    for (let s = 0; s < spansPerTrace; s++) {
      spans.push(span(r * tracesPerRequest + t, s));
    }
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: [str("service.name", "support-bot")] },
        scopeSpans: [{ scope: { name: "bench" }, spans }],
      },
    ],
  };
}
