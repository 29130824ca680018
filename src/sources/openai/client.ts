import { type JsonResponse, type QueryValue, type SourceClientOptions, SourceHttp } from "../http";
import { expectObject, objectArray, type RawObject, unexpectedShape } from "../json";
import { arrayItemTexts } from "../json-text";
import { collectPages, pageSize, paginate, type SourcePage } from "../paging";

export const OPENAI_SERVICE = "OpenAI";
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com";
export const OPENAI_MAX_PAGE_SIZE = 100;

/**
 * One API object twice: `value` is JSON.parse's reading (integers beyond 2^53 rounded), `text` its
 * exact source, for an adapter that must keep such integers exact.
 */
export interface RawJson {
  value: RawObject;
  text: string;
}

/** A stored completion and its request messages (`…/messages`, every page). */
export interface OpenAIStoredCompletion {
  id: string;
  completion: RawJson;
  messages: RawJson[];
}

export interface OpenAICompletionsQuery {
  /** `metadata[key]=value` filters; all must match. */
  metadata?: Readonly<Record<string, string>>;
  model?: string;
  /** ≤ 100. */
  limit?: number;
}

/** `after` is the id of the last completion stored; null starts from the oldest. */
export interface OpenAIPosition {
  after: string | null;
}

export type OpenAIPage = SourcePage<OpenAIPosition> & { completions: OpenAIStoredCompletion[] };

interface ListPage {
  items: RawJson[];
  hasMore: boolean;
}

/** Accepts the base with or without `/v1` (both spellings are common in OpenAI-compatible set-ups). */
function apiRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/**
 * OpenAI stored chat completions over fetch (Bearer). Lists oldest first with `after` paging, so
 * the last id seen is also where the next incremental sync starts.
 */
export class OpenAIClient {
  private readonly http: SourceHttp;

  constructor(apiKey: string, options: SourceClientOptions = {}) {
    this.http = new SourceHttp(
      OPENAI_SERVICE,
      apiRoot(options.baseUrl ?? OPENAI_DEFAULT_BASE_URL),
      { authorization: `Bearer ${apiKey}` },
      [apiKey],
      options,
    );
  }

  /** A real authenticated call: one stored completion at most. */
  async testConnection(): Promise<{ hasStoredCompletions: boolean }> {
    const page = this.readList(await this.http.get("/v1/chat/completions", { limit: 1 }));
    return { hasStoredCompletions: page.items.length > 0 };
  }

  /** Every stored completion after `from`, each with its messages, page by page. */
  storedCompletions(query: OpenAICompletionsQuery, from: OpenAIPosition = { after: null }): AsyncGenerator<OpenAIPage> {
    return paginate(OPENAI_SERVICE, this.http.maxPages, from, async (position) => {
      const page = await this.completionsPage(query, position.after);
      const completions: OpenAIStoredCompletion[] = [];
      for (const completion of page.items) {
        const id = String(completion.value.id);
        completions.push({ id, completion, messages: await this.completionMessages(id) });
      }
      const lastId = completions.at(-1)?.id ?? position.after;
      return { completions, resume: { after: lastId }, done: !page.hasMore || completions.length === 0 };
    });
  }

  /** One page of `GET /v1/chat/completions` (oldest first). */
  async completionsPage(query: OpenAICompletionsQuery, after: string | null): Promise<ListPage> {
    const params: Record<string, QueryValue> = {
      limit: pageSize(query.limit, OPENAI_MAX_PAGE_SIZE, OPENAI_MAX_PAGE_SIZE),
      order: "asc",
      after,
      model: query.model,
    };
    for (const [key, value] of Object.entries(query.metadata ?? {})) {
      params[`metadata[${key}]`] = value;
    }
    return this.readList(await this.http.get("/v1/chat/completions", params));
  }

  /** All request messages of one completion, oldest first. */
  async completionMessages(completionId: string): Promise<RawJson[]> {
    const path = `/v1/chat/completions/${encodeURIComponent(completionId)}/messages`;
    const pages = paginate(OPENAI_SERVICE, this.http.maxPages, null as string | null, async (after) => {
      const page = this.readList(await this.http.get(path, { limit: OPENAI_MAX_PAGE_SIZE, order: "asc", after }));
      const lastId = page.items.at(-1)?.value.id;
      const resume = typeof lastId === "string" ? lastId : after;
      return { messages: page.items, resume, done: !page.hasMore || page.items.length === 0 };
    });
    return collectPages(pages, (p) => p.messages);
  }

  /** The list envelope `{ object: "list", data, has_more }`, each item with its exact text. */
  private readList(body: JsonResponse): ListPage {
    const envelope = expectObject(OPENAI_SERVICE, body.value, "response");
    const values = objectArray(OPENAI_SERVICE, envelope, "data");
    const texts = arrayItemTexts(body.text, "data");
    if (texts === null || texts.length !== values.length) {
      throw unexpectedShape(OPENAI_SERVICE, "the data array could not be split into items");
    }
    const items = values.map((value, i) => ({ value, text: texts[i] ?? "" }));
    return { items, hasMore: envelope.has_more === true };
  }
}
