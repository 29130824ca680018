import { z } from "zod";
import { parseOpenAIJson, tracesFromOpenAICompletions } from "../ingest";
import type { OpenAIClient, OpenAICompletionsQuery } from "../sources";
import type { PageWalk } from "./walk";

const OpenAIResume = z.object({ after: z.string().nullable() });

/**
 * Stored completions after `after`, oldest first, each with its request messages. Objects are
 * re-parsed from their exact text so integers beyond 2^53 survive.
 */
export function openAIWalk(client: OpenAIClient, filters: OpenAICompletionsQuery, after: string | null): PageWalk {
  return async function* (from) {
    const saved = OpenAIResume.safeParse(from);
    for await (const page of client.storedCompletions(filters, saved.success ? saved.data : { after })) {
      const batch = tracesFromOpenAICompletions(
        page.completions.map((c) => ({
          completion: parseOpenAIJson(c.completion.text),
          messages: c.messages.map((m) => parseOpenAIJson(m.text)),
        })),
      );
      // Kept when done too: the last completion id is where the next incremental sync starts.
      yield { traces: batch.traces, rejected: batch.rejected, position: page.resume, done: page.done };
    }
  };
}
