import { AppError, validationError } from "../errors";

// A multi-tenant server must not let a workspace point an integration at the server's own network
// (SSRF): loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT and unspecified
// addresses. This checks the URL's host as written, for a clear 400 when the integration is saved; the
// Node host's outbound fetch (src/runtime/guarded-fetch.ts) checks every connection after DNS.
// Workers' fetch cannot reach the deployment's private network in the first place.
const PRIVATE_IPV4: [number, number][] = [
  [0x0a000000, 8], // 10/8
  [0x7f000000, 8], // 127/8
  [0xa9fe0000, 16], // 169.254/16
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0x64400000, 10], // 100.64/10
  [0x00000000, 8], // 0/8
];

function ipv4ToInt(host: string): number | null {
  const parts = host.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    return null;
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function isPrivateIpv4(value: number): boolean {
  return PRIVATE_IPV4.some(
    ([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)),
  );
}

function isPrivateIpv6(host: string): boolean {
  const h = host.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
  if (mapped) {
    const v4 = ipv4ToInt(mapped);
    return v4 === null || isPrivateIpv4(v4);
  }
  return h === "::" || h === "::1" || /^f[cd]/.test(h) || /^fe[89ab]/.test(h);
}

/** True for hosts a multi-tenant server must not call: loopback, private, link-local, `localhost`. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal")) {
    return true;
  }
  if (host.includes(":")) {
    return isPrivateIpv6(host);
  }
  const v4 = ipv4ToInt(host);
  return v4 !== null && isPrivateIpv4(v4);
}

const HINT = "set ALLOW_PRIVATE_SOURCE_URLS=true on a server that should reach its own network";

/** @throws VALIDATION_ERROR when `url` names a private host and the server does not allow that. */
export function checkBaseUrlAllowed(url: string, allowPrivate: boolean): void {
  if (!allowPrivate && isPrivateHost(new URL(url).hostname)) {
    throw validationError("base_url points to a private or loopback address", [
      { path: "base_url", message: `private, loopback and link-local hosts are refused here; ${HINT}` },
    ]);
  }
}

/** @throws FORBIDDEN before any request to a private host stored while the policy allowed it. */
export function assertOutboundUrlAllowed(url: string, allowPrivate: boolean): void {
  if (!allowPrivate && isPrivateHost(new URL(url).hostname)) {
    throw new AppError("FORBIDDEN", `This server does not call private or loopback addresses (${HINT})`);
  }
}
