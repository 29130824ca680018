// OpenAI stored chat completions: one trace per completion, request messages from its /messages list.
export {
  parseOpenAIJson,
  type StoredCompletion,
  traceFromOpenAICompletion,
  tracesFromOpenAICompletions,
} from "./completion";
