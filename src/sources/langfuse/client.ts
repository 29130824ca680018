import { ExternalServiceError } from "../../errors";
import { type JsonResponse, type QueryValue, type SourceClientOptions, SourceHttp } from "../http";
import { expectObject, objectArray, optionalString, type RawObject } from "../json";
import { collectPages, pageSize, paginate } from "../paging";
import {
  LANGFUSE_DEFAULT_BASE_URL,
  LANGFUSE_PAGE_MAX_LIMIT,
  LANGFUSE_SERVICE,
  LANGFUSE_V2_FIELDS,
  LANGFUSE_V2_MAX_LIMIT,
  type LangfuseConnection,
  type LangfuseCredentials,
  type LangfuseObservationsQuery,
  type LangfusePage,
  type LangfusePosition,
  type LangfuseScoresPage,
  type LangfuseScoresQuery,
} from "./types";

const DEFAULT_V2_LIMIT = 500;

function basicAuth({ publicKey, secretKey }: LangfuseCredentials): string {
  const bytes = new TextEncoder().encode(`${publicKey}:${secretKey}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** `{ data: [...], meta: { page, totalPages } }` of the page-numbered (legacy and scores) APIs. */
function readNumberedPage(body: JsonResponse, page: number): { data: RawObject[]; done: boolean } {
  const envelope = expectObject(LANGFUSE_SERVICE, body.value, "response");
  const data = objectArray(LANGFUSE_SERVICE, envelope, "data");
  const meta = envelope.meta;
  const totalPages =
    typeof meta === "object" && meta !== null ? (meta as { totalPages?: unknown }).totalPages : undefined;
  const done = data.length === 0 || (typeof totalPages === "number" ? page >= totalPages : false);
  return { data, done };
}

/**
 * Langfuse public API over fetch (Basic auth: public key as user, secret key as password).
 * Page iterators return the API objects untouched; mapping them to traces is the adapters' job.
 */
export class LangfuseClient {
  private readonly http: SourceHttp;

  constructor(credentials: LangfuseCredentials, options: SourceClientOptions = {}) {
    this.http = new SourceHttp(
      LANGFUSE_SERVICE,
      options.baseUrl ?? LANGFUSE_DEFAULT_BASE_URL,
      { authorization: basicAuth(credentials) },
      [credentials.secretKey],
      options,
    );
  }

  /** A real authenticated call: the projects the key belongs to. @throws ExternalServiceError */
  async testConnection(): Promise<LangfuseConnection> {
    const body = expectObject(LANGFUSE_SERVICE, (await this.http.get("/api/public/projects")).value, "response");
    const projects = objectArray(LANGFUSE_SERVICE, body, "data").map((p) => ({
      id: String(p.id),
      name: optionalString(p, "name"),
    }));
    return { projects };
  }

  /**
   * Every page of the window, from `from` (default: the start, trying v2 first). When the first
   * v2 request answers 404 (a server older than the v2 observations API), it walks the legacy
   * traces page API instead, fetching each trace's observations.
   */
  async *observations(query: LangfuseObservationsQuery, from?: LangfusePosition): AsyncGenerator<LangfusePage> {
    const first = await this.firstPage(query, from ?? { api: "v2", cursor: null });
    let pending: LangfusePage | undefined = first.page;
    yield* paginate(LANGFUSE_SERVICE, this.http.maxPages, first.position, (position) => {
      const page = pending ?? this.page(query, position);
      pending = undefined;
      return Promise.resolve(page);
    });
  }

  /** One v2 page: `GET /api/public/v2/observations` (cursor paging; no cursor in `meta` = last page). */
  async observationsV2Page(query: LangfuseObservationsQuery, cursor: string | null): Promise<LangfusePage> {
    const limit = pageSize(query.limit, DEFAULT_V2_LIMIT, LANGFUSE_V2_MAX_LIMIT);
    const body = await this.http.get("/api/public/v2/observations", {
      fields: LANGFUSE_V2_FIELDS,
      limit,
      cursor,
      ...v2Filters(query),
    });
    const envelope = expectObject(LANGFUSE_SERVICE, body.value, "response");
    const observations = objectArray(LANGFUSE_SERVICE, envelope, "data");
    const meta = envelope.meta;
    const next = typeof meta === "object" && meta !== null ? (meta as { cursor?: unknown }).cursor : undefined;
    const nextCursor = typeof next === "string" && next !== "" ? next : null;
    return {
      api: "v2",
      observations,
      resume: { api: "v2", cursor: nextCursor ?? cursor },
      done: nextCursor === null,
    };
  }

  /** One legacy page: `GET /api/public/traces` in timestamp order, each with all its observations. */
  async legacyTracesPage(query: LangfuseObservationsQuery, page: number): Promise<LangfusePage> {
    const limit = pageSize(query.limit, LANGFUSE_PAGE_MAX_LIMIT, LANGFUSE_PAGE_MAX_LIMIT);
    const body = await this.http.get("/api/public/traces", {
      page,
      limit,
      fromTimestamp: query.fromStartTime,
      toTimestamp: query.toStartTime,
      userId: query.userId,
      tags: query.traceTags,
      orderBy: "timestamp.asc",
    });
    const { data, done } = readNumberedPage(body, page);
    const traces = [];
    for (const trace of data) {
      traces.push({ trace, observations: await this.traceObservations(String(trace.id)) });
    }
    return { api: "legacy", traces, resume: { api: "legacy", page: page + 1 }, done };
  }

  /** All observations of one trace from the legacy `GET /api/public/observations?traceId=…`, paged to the end. */
  async traceObservations(traceId: string): Promise<RawObject[]> {
    const pages = paginate(LANGFUSE_SERVICE, this.http.maxPages, 1, async (page) => {
      const body = await this.http.get("/api/public/observations", {
        traceId,
        page,
        limit: LANGFUSE_PAGE_MAX_LIMIT,
      });
      const { data, done } = readNumberedPage(body, page);
      return { observations: data, resume: page + 1, done };
    });
    return collectPages(pages, (p) => p.observations);
  }

  /** Scores (`GET /api/public/v2/scores`, page API) for importing human labels. */
  scores(query: LangfuseScoresQuery, from: { page: number } = { page: 1 }): AsyncGenerator<LangfuseScoresPage> {
    return paginate(LANGFUSE_SERVICE, this.http.maxPages, from, (position) => this.scoresPage(query, position.page));
  }

  async scoresPage(query: LangfuseScoresQuery, page: number): Promise<LangfuseScoresPage> {
    const params: Record<string, QueryValue> = {
      page,
      limit: pageSize(query.limit, LANGFUSE_PAGE_MAX_LIMIT, LANGFUSE_PAGE_MAX_LIMIT),
      fromTimestamp: query.fromTimestamp,
      toTimestamp: query.toTimestamp,
      source: query.source,
      name: query.name,
      dataType: query.dataType,
      userId: query.userId,
      traceTags: query.traceTags,
    };
    const { data, done } = readNumberedPage(await this.http.get("/api/public/v2/scores", params), page);
    return { scores: data, resume: { page: page + 1 }, done };
  }

  private page(query: LangfuseObservationsQuery, position: LangfusePosition): Promise<LangfusePage> {
    return position.api === "v2"
      ? this.observationsV2Page(query, position.cursor)
      : this.legacyTracesPage(query, position.page);
  }

  private async firstPage(
    query: LangfuseObservationsQuery,
    from: LangfusePosition,
  ): Promise<{ page: LangfusePage; position: LangfusePosition }> {
    if (from.api === "legacy" || from.cursor !== null) {
      return { page: await this.page(query, from), position: from };
    }
    try {
      return { page: await this.observationsV2Page(query, null), position: from };
    } catch (err) {
      if (!(err instanceof ExternalServiceError && err.status === 404)) {
        throw err;
      }
      const legacy: LangfusePosition = { api: "legacy", page: 1 };
      return { page: await this.legacyTracesPage(query, 1), position: legacy };
    }
  }
}

/**
 * Filters of a v2 request. The API lets a `filter` JSON array override every other filter
 * parameter, and tags can only be expressed there, so with tags the whole window moves into it.
 */
function v2Filters(query: LangfuseObservationsQuery): Record<string, QueryValue> {
  if (!query.traceTags || query.traceTags.length === 0) {
    return { fromStartTime: query.fromStartTime, toStartTime: query.toStartTime, userId: query.userId };
  }
  const filter: Record<string, unknown>[] = [
    { type: "datetime", column: "startTime", operator: ">=", value: query.fromStartTime },
    { type: "datetime", column: "startTime", operator: "<", value: query.toStartTime },
    { type: "arrayOptions", column: "traceTags", operator: "all of", value: [...query.traceTags] },
  ];
  if (query.userId) {
    filter.push({ type: "string", column: "userId", operator: "=", value: query.userId });
  }
  return { filter: JSON.stringify(filter) };
}
