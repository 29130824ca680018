import { idsWithDescendant } from "./span-tree";
import type { CanonicalSpan, TokenCounts } from "./types";

export interface TokenTotals {
  prompt: number;
  completion: number;
  total: number;
}

export function hasTokens(tokens: TokenCounts): boolean {
  return tokens.prompt !== null || tokens.completion !== null || tokens.total !== null;
}

/** A span's total as reported; prompt + completion only when the source gave no total. */
function spanTotal(tokens: TokenCounts): number {
  return tokens.total ?? (tokens.prompt ?? 0) + (tokens.completion ?? 0);
}

/**
 * Trace token totals, counted once. Agents and frameworks often repeat their children's totals on
 * parent spans (an AGENT span, a LangChain chat-model run wrapping the provider call), so only the
 * deepest LLM spans carrying counts are summed: an LLM span with counts and no LLM descendant with
 * counts. When no LLM span has counts at all, the same rule applies to spans of any kind.
 */
export function countTraceTokens(spans: readonly CanonicalSpan[]): TokenTotals {
  const llmWithTokens = (s: CanonicalSpan) => s.kind === "LLM" && hasTokens(s.tokens);
  const anyWithTokens = (s: CanonicalSpan) => hasTokens(s.tokens);
  const isCounted = spans.some(llmWithTokens) ? llmWithTokens : anyWithTokens;
  const shadowed = idsWithDescendant(spans, isCounted);
  const totals: TokenTotals = { prompt: 0, completion: 0, total: 0 };
  for (const span of spans) {
    if (!isCounted(span) || shadowed.has(span.span_id)) {
      continue;
    }
    totals.prompt += span.tokens.prompt ?? 0;
    totals.completion += span.tokens.completion ?? 0;
    totals.total += spanTotal(span.tokens);
  }
  return totals;
}
