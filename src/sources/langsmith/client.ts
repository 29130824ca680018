import { AppError, ExternalServiceError } from "../../errors";
import { type SourceClientOptions, SourceHttp } from "../http";
import { expectObject, isRawObject, objectArray, type RawObject, unexpectedShape } from "../json";
import { collectPages, pageSize, paginate } from "../paging";
import {
  LANGSMITH_DEFAULT_BASE_URL,
  LANGSMITH_MAX_PAGE_SIZE,
  LANGSMITH_SERVICE,
  LANGSMITH_V1_SELECT,
  LANGSMITH_V2_SELECTS,
  type LangSmithApi,
  type LangSmithConnection,
  type LangSmithPage,
  type LangSmithPosition,
  type LangSmithProjectRef,
  type LangSmithRunsQuery,
} from "./types";

interface RunsPage {
  runs: RawObject[];
  next: string | null;
}

/** LangSmith sends `start_time` with or without a zone, or as epoch ms; all of them are UTC. */
export function toUtcIso(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) {
    return new Date(value).toISOString();
  }
  if (typeof value !== "string" || value === "") {
    return undefined;
  }
  return /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(value.slice(10)) ? value : `${value}Z`;
}

function isFallbackStatus(err: unknown): boolean {
  return err instanceof ExternalServiceError && (err.status === 404 || err.status === 405);
}

/**
 * LangSmith runs over fetch (`x-api-key`). Root runs come from `POST /api/v2/runs/query`, or from
 * the v1 `POST /api/v1/runs/query` when v2 answers 404/405 (self-hosted before v0.16); each
 * root's whole trace is fetched with a trace query on the same API version.
 */
export class LangSmithClient {
  private readonly http: SourceHttp;

  constructor(apiKey: string, options: SourceClientOptions = {}) {
    this.http = new SourceHttp(
      LANGSMITH_SERVICE,
      options.baseUrl ?? LANGSMITH_DEFAULT_BASE_URL,
      { "x-api-key": apiKey },
      [apiKey],
      options,
    );
  }

  /** A real authenticated call (one project), plus resolving the configured project if any. */
  async testConnection(project: LangSmithProjectRef = {}): Promise<LangSmithConnection> {
    await this.http.get("/api/v1/sessions", { limit: 1 });
    const configured = Boolean(project.projectId || project.projectName);
    return { projectId: configured ? await this.resolveProjectId(project) : null };
  }

  /** @throws ExternalServiceError 404 when no project has that name; VALIDATION_ERROR when neither is given. */
  async resolveProjectId(project: LangSmithProjectRef): Promise<string> {
    if (project.projectId) {
      return project.projectId;
    }
    const name = project.projectName;
    if (!name) {
      throw new AppError("VALIDATION_ERROR", "A LangSmith integration needs config.project_id or config.project_name");
    }
    const body = (await this.http.get("/api/v1/sessions", { name, limit: 100 })).value;
    if (!Array.isArray(body)) {
      throw unexpectedShape(LANGSMITH_SERVICE, "sessions is not an array");
    }
    const match = body.find((s): s is RawObject => isRawObject(s) && s.name === name && typeof s.id === "string");
    if (!match) {
      throw new ExternalServiceError(LANGSMITH_SERVICE, `LangSmith has no project named "${name}"`, { status: 404 });
    }
    return String(match.id);
  }

  /** Root runs of the window with their whole traces, page by page, from `from` (default: the start, v2 first). */
  async *traces(query: LangSmithRunsQuery, from?: LangSmithPosition): AsyncGenerator<LangSmithPage> {
    const first = await this.firstRootPage(query, from ?? { api: "v2", cursor: null });
    let pending: RunsPage | undefined = first.page;
    yield* paginate(LANGSMITH_SERVICE, this.http.maxPages, first.position, async (position) => {
      const page = pending ?? (await this.rootRunsPage(query, position));
      pending = undefined;
      const traces = [];
      for (const root of page.runs) {
        traces.push({ root, runs: await this.traceRuns(position.api, query.projectId, root) });
      }
      return {
        api: position.api,
        traces,
        resume: { api: position.api, cursor: page.next ?? position.cursor },
        done: page.next === null,
      };
    });
  }

  /** One page of root runs on the given API version. */
  rootRunsPage(query: LangSmithRunsQuery, position: LangSmithPosition): Promise<RunsPage> {
    const size = pageSize(query.pageSize, LANGSMITH_MAX_PAGE_SIZE, LANGSMITH_MAX_PAGE_SIZE);
    if (position.api === "v2") {
      return this.queryV2({
        project_ids: [query.projectId],
        is_root: true,
        min_start_time: query.minStartTime,
        max_start_time: query.maxStartTime,
        selects: LANGSMITH_V2_SELECTS,
        page_size: size,
        ...(position.cursor ? { cursor: position.cursor } : {}),
      });
    }
    return this.queryV1({
      session: [query.projectId],
      is_root: true,
      start_time: query.minStartTime,
      filter: `lt(start_time, ${JSON.stringify(query.maxStartTime)})`,
      order: "asc",
      select: LANGSMITH_V1_SELECT,
      limit: size,
      ...(position.cursor ? { cursor: position.cursor } : {}),
    });
  }

  /** Every run of the root's trace (the root included), paged to the end. */
  async traceRuns(api: LangSmithApi, projectId: string, root: RawObject): Promise<RawObject[]> {
    const traceId = String(root.trace_id ?? root.id);
    const minStartTime = toUtcIso(root.start_time);
    const pages = paginate(LANGSMITH_SERVICE, this.http.maxPages, null as string | null, async (cursor) => {
      const page =
        api === "v2"
          ? await this.queryV2({
              project_ids: [projectId],
              trace_id: traceId,
              ...(minStartTime ? { min_start_time: minStartTime } : {}),
              selects: LANGSMITH_V2_SELECTS,
              page_size: LANGSMITH_MAX_PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
            })
          : await this.queryV1({
              session: [projectId],
              trace: traceId,
              select: LANGSMITH_V1_SELECT,
              limit: LANGSMITH_MAX_PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
            });
      return { runs: page.runs, resume: page.next ?? cursor, done: page.next === null };
    });
    return collectPages(pages, (p) => p.runs);
  }

  private async firstRootPage(
    query: LangSmithRunsQuery,
    from: LangSmithPosition,
  ): Promise<{ page: RunsPage; position: LangSmithPosition }> {
    try {
      return { page: await this.rootRunsPage(query, from), position: from };
    } catch (err) {
      // Only a fresh v2 walk falls back: a v2 cursor means this server already spoke v2.
      if (from.api !== "v2" || from.cursor !== null || !isFallbackStatus(err)) {
        throw err;
      }
      const v1: LangSmithPosition = { api: "v1", cursor: null };
      return { page: await this.rootRunsPage(query, v1), position: v1 };
    }
  }

  /** v2 answers `{ items, next_cursor }`. */
  private async queryV2(body: Record<string, unknown>): Promise<RunsPage> {
    const envelope = expectObject(
      LANGSMITH_SERVICE,
      (await this.http.post("/api/v2/runs/query", body)).value,
      "response",
    );
    const next = envelope.next_cursor;
    return {
      runs: objectArray(LANGSMITH_SERVICE, envelope, "items"),
      next: typeof next === "string" && next !== "" ? next : null,
    };
  }

  /** v1 answers `{ runs, cursors: { next } }`. */
  private async queryV1(body: Record<string, unknown>): Promise<RunsPage> {
    const envelope = expectObject(
      LANGSMITH_SERVICE,
      (await this.http.post("/api/v1/runs/query", body)).value,
      "response",
    );
    const cursors = envelope.cursors;
    const next = isRawObject(cursors) ? cursors.next : undefined;
    return {
      runs: objectArray(LANGSMITH_SERVICE, envelope, "runs"),
      next: typeof next === "string" && next !== "" ? next : null,
    };
  }
}
