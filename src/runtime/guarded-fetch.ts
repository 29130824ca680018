import { type LookupAddress, lookup } from "node:dns";
import { isIP } from "node:net";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { ADDRESS_REFUSED_CODE } from "../errors";
import { isPrivateHost } from "../integrations/url-policy";
import type { FetchFn } from "../sources";

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

function refusal(host: string, address: string): Error {
  const message =
    `refused: ${host} resolves to ${address}, a private or loopback address; ` +
    "set ALLOW_PRIVATE_SOURCE_URLS=true on a server that should reach its own network";
  return Object.assign(new Error(message), { code: ADDRESS_REFUSED_CODE });
}

/**
 * fetch for calls to user-configured endpoints (integrations) on a server that must not reach its own
 * network: every connection's address is checked when it is made, after DNS resolution, so a public
 * name resolving to a private address, a redirect to one, or a DNS answer that changes between a
 * check and the connection (rebinding) are all refused. The URL policy (src/integrations/url-policy.ts)
 * only sees the host as written; this is the part that sees where the bytes would go.
 */
export function createGuardedFetch(isRefused: (address: string) => boolean = isPrivateHost): FetchFn {
  const guardedLookup = (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      const refused = addresses.find((a) => isRefused(a.address));
      const [first] = addresses;
      if (refused || !first) {
        callback(refusal(hostname, refused?.address ?? "no address"), []);
      } else if (options.all) {
        callback(null, addresses);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
  const connect = buildConnector({ lookup: guardedLookup as never });
  const dispatcher = new Agent({
    // An address literal is connected to without a lookup, so it is checked here.
    connect: (options, callback) => {
      const host = options.hostname.replace(/^\[|\]$/g, "");
      if (isIP(host) !== 0 && isRefused(host)) {
        callback(refusal(host, host), null);
        return;
      }
      connect(options, callback);
    },
  });
  return (input, init) =>
    undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
}
