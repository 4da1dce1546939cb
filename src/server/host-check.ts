/**
 * DNS rebinding: a page on attacker.example can make its own name resolve to 127.0.0.1 and then read this server
 * from the victim's browser as if it were the same site (the browser sends `Host: attacker.example`). So the server
 * answers only the names it serves:
 *
 * - the host of `server.origin` (the address people use, e.g. behind a reverse proxy), and
 * - when it listens on loopback, the loopback names and addresses (localhost, 127.x.x.x, [::1]) with its port;
 * - when it listens beyond loopback without `server.origin`, an IP address (a rebinding attack needs a name) or
 *   this machine's own name, with its port.
 *
 * Anything else is 421 Misdirected Request, before any route runs.
 */
import { hostname as machineName } from "node:os";
import type { MiddlewareHandler } from "hono";
import type { HearthConfig } from "../config/config.ts";
import { HttpError } from "./http-error.ts";
import type { ServerEnv } from "./server-types.ts";

const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function isLoopbackName(name: string): boolean {
  return name === "localhost" || name.endsWith(".localhost") || name === "[::1]" || (ipv4.test(name) && name.startsWith("127."));
}

function isAddress(name: string): boolean {
  return ipv4.test(name) || (name.startsWith("[") && name.endsWith("]"));
}

/** The listening address is loopback: only this machine can reach the server directly. */
export function listensOnLoopback(host: string): boolean {
  const name = host.toLowerCase();
  return isLoopbackName(name) || name === "::1";
}

/** A Host header split into a lower-cased name ("[::1]" keeps its brackets) and a port (undefined when absent). */
export function parseHostHeader(value: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match?.[1]) return undefined;
  return { name: match[1].toLowerCase(), port: match[2] === undefined ? undefined : Number(match[2]) };
}

/** The names this server answers to, as a predicate over a parsed Host header and the port the request came in on. */
export function hostAllowed(config: HearthConfig["server"], host: { name: string; port: number | undefined }, localPort: number): boolean {
  if (config.origin) {
    const origin = new URL(config.origin);
    const originPort = origin.port === "" ? (origin.protocol === "https:" ? 443 : 80) : Number(origin.port);
    const hostPort = host.port ?? (origin.protocol === "https:" ? 443 : 80);
    if (host.name === origin.hostname.toLowerCase() && hostPort === originPort) return true;
  }
  // Straight to the listening port (a browser on this machine, a health check, the CLI's tests).
  if ((host.port ?? 80) !== localPort) return false;
  if (isLoopbackName(host.name)) return true;
  if (listensOnLoopback(config.host) || config.origin) return false;
  const own = machineName().toLowerCase();
  return isAddress(host.name) || host.name === own || host.name === `${own}.local`;
}

export function hostCheck(config: HearthConfig["server"]): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const header = c.req.header("host");
    const host = header === undefined ? undefined : parseHostHeader(header);
    // Through app.fetch (no socket) the configured port stands in for the one the request came in on.
    const localPort = c.env?.incoming?.socket?.localPort ?? config.port;
    if (!host || !hostAllowed(config, host, localPort)) {
      throw new HttpError(
        421,
        `This server does not answer for the host "${header ?? ""}"; open it at its own address${config.origin ? ` (${config.origin})` : ""}, or set HEARTH_ORIGIN (server.origin) to the address people use`,
      );
    }
    await next();
  };
}
