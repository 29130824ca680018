import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

// A real HTTP proxy in front of a fixture server, for imports that must be caught mid-walk: it can
// hold a request until the test lets it through, and delay every answer (a slow source).

export interface GateProxyOptions {
  /** Milliseconds added before each answer (a slow source, real time: for child-process tests). */
  delayMs?: number;
  /** Called with each request's 1-based number and path; the request waits until it resolves. */
  hold?: (count: number, pathAndQuery: string) => Promise<void> | undefined;
}

export interface GateProxy {
  url: string;
  /** Paths (with query) in arrival order. */
  seen: string[];
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

export async function startGateProxy(target: string, options: GateProxyOptions = {}): Promise<GateProxy> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    seen.push(path);
    const count = seen.length;
    (async () => {
      const body = await bodyOf(req);
      await options.hold?.(count, path);
      if (options.delayMs) {
        await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string" && e[0] !== "host"),
      );
      const answer = await fetch(`${target}${path}`, { method: req.method, headers, body });
      const text = await answer.text();
      res.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "application/json",
        ...(answer.headers.get("retry-after") ? { "retry-after": answer.headers.get("retry-after") as string } : {}),
      });
      res.end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
