/**
 * Where the server may send requests to language and embedding models. A model address can make the server call
 * anything it can reach, so loopback, link-local (cloud metadata), private and other internal ranges are refused
 * unless the server's configuration names that host (`server.allowedModelHosts`, e.g. "localhost:11434" for Ollama).
 * Names are resolved and every address checked, so a public name pointing inside is refused too.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const internal = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  internal.addSubnet(network, prefix, "ipv6");
}

/** Whether an IP address is loopback, link-local, private, multicast or otherwise not a public host. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return internal.check(mapped[1], "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return internal.check(address, family === 4 ? "ipv4" : "ipv6");
}

export type OutboundVerdict = { ok: true } | { ok: false; reason: string };

/** Checks a model or embedding URL against the policy; resolves the host name. */
export async function checkOutboundUrl(rawUrl: string, allowedHosts: readonly string[]): Promise<OutboundVerdict> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "only http and https addresses are allowed" };
  if (url.username || url.password) return { ok: false, reason: "put credentials in the API key, not in the address" };
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const allowed = allowedHosts.map((entry) => entry.trim().toLowerCase());
  if (allowed.includes(host) || allowed.includes(`${host}:${port}`) || allowed.includes(url.host.toLowerCase())) return { ok: true };
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    return { ok: false, reason: `the host ${host} cannot be found` };
  }
  if (addresses.length === 0 || addresses.some(isInternalAddress)) {
    return {
      ok: false,
      reason: `${host} is a loopback, link-local or private address; the server's configuration must allow it (server.allowedModelHosts)`,
    };
  }
  return { ok: true };
}
