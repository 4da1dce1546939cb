/**
 * The security suite: each hole found in the team-server review, attacked over real HTTP and seen refused.
 * (Workspace isolation, roles on the API, CSRF tokens, XSS, traversal and upload probes that already held are in
 * auth.test.ts, workspaces.test.ts, uploads.test.ts and static-files.test.ts.)
 */
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, readEvents, startServerWithAdmin, testPassword } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";

let server: TestServer;
let admin: ApiClient;
let workspaceId: string;
/** A loopback "internal service" that answers with a secret, as a metadata endpoint or an admin console would. */
let internal: Server;
let internalUrl: string;
const internalSecret = "INTERNAL-SECRET-7f3a";

beforeAll(async () => {
  internal = createServer((_request, response) => {
    response.writeHead(500, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { message: `db password is ${internalSecret}` } }));
  });
  await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/v1`;
  // "localhost" is allowed (as for Ollama on the same machine); 127.0.0.1 and every other internal address is not.
  ({ server, admin, workspaceId } = await startServerWithAdmin((config) => ({ ...config, server: { ...config.server, allowedModelHosts: ["localhost"] } }), { workspaceName: "Oak Homes" }));
  for (const [email, role] of [
    ["vera@example.org", "viewer"],
    ["wanda@example.org", "admin"],
  ] as const) {
    const added = await admin.call("POST", `/api/workspaces/${workspaceId}/members`, { json: { email, name: email, role, password: testPassword } });
    expect(added.status).toBe(201);
  }
});
afterAll(async () => {
  await server.close();
  internal.close();
});

async function signedIn(email: string, password = testPassword): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  expect(await client.signIn(email, password)).toBe(200);
  return client;
}

const host = (): string => new URL(server.url).host;

describe("security: login CSRF and cross-site writes", () => {
  it("refuses a cross-site text/plain form signing the victim in, and a form-encoded one", async () => {
    // What <form enctype="text/plain" action=".../api/auth/login"> on another site sends.
    const textPlain = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: "https://evil.example" },
      body: JSON.stringify({ email: "ann@example.org", password: testPassword }),
    });
    expect(textPlain.status).toBe(403);
    expect(textPlain.headers.get("set-cookie")).toBeNull();
    // Same-origin but not JSON: still refused (no parsing of text/plain as JSON).
    const sameOriginText = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: server.url },
      body: JSON.stringify({ email: "ann@example.org", password: testPassword }),
    });
    expect(sameOriginText.status).toBe(415);
    expect(sameOriginText.headers.get("set-cookie")).toBeNull();
    const urlencoded = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=ann%40example.org&password=a+long+test+password",
    });
    expect(urlencoded.status).toBe(415);
    // A browser without Origin still says the request is cross-site.
    const fetchSite = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" },
      body: JSON.stringify({ email: "ann@example.org", password: testPassword }),
    });
    expect(fetchSite.status).toBe(403);
    // The page itself (JSON, same origin) signs in.
    const own = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://${host()}`, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ email: "ann@example.org", password: testPassword }),
    });
    expect(own.status).toBe(200);
  });

  it("refuses a cross-site multipart upload even with the victim's cookie and token", async () => {
    const form = new FormData();
    form.append("files", new Blob(["# Planted\n\nAttacker text.\n"]), "planted.md");
    const planted = await admin.call("POST", `/api/workspaces/${workspaceId}/uploads`, { body: form, headers: { origin: "https://evil.example" } });
    expect(planted.status).toBe(403);
    const setup = await fetch(`${server.url}/api/setup`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(setup.status).toBe(415);
    // A body that claims JSON and is not: a 400 with {error}, on hand-parsed and validator-typed routes alike.
    for (const path of ["/api/workspaces", `/api/workspaces/${workspaceId}/settings`]) {
      const broken = await admin.call<{ error: string }>(path.endsWith("settings") ? "PUT" : "POST", path, { body: "{nope", headers: { "content-type": "application/json" } });
      expect([path, broken.status, typeof broken.body.error]).toEqual([path, 400, "string"]);
    }
  });
});

describe("security: outbound model addresses (SSRF)", () => {
  it("lets only a server admin create workspaces by default", async () => {
    const vera = await signedIn("vera@example.org");
    const refused = await vera.call("POST", "/api/workspaces", { json: { name: "Vera's own" } });
    expect(refused.status).toBe(403);
    expect((await admin.call("POST", "/api/workspaces", { json: { name: "Second" } })).status).toBe(201);
  });

  it("refuses a model address from a workspace admin who is not a server admin", async () => {
    const wanda = await signedIn("wanda@example.org");
    const refused = await wanda.call<{ error: string }>("PUT", `/api/workspaces/${workspaceId}/settings`, {
      json: { provider: { provider: "openai", baseUrl: "https://models.example.com/v1", model: "m" } },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/server admin/);
    // Choosing the provider and model without an address is a workspace admin's to do.
    expect((await wanda.call("PUT", `/api/workspaces/${workspaceId}/settings`, { json: { provider: { provider: "extractive" } } })).status).toBe(200);
  });

  it("refuses loopback, link-local and private addresses even from a server admin, unless the config allows the host", async () => {
    for (const address of [internalUrl, "http://169.254.169.254/latest/meta-data", "http://10.0.0.7:8080/v1", "http://[::1]:11434/v1", "http://192.168.1.20/v1", "http://0.0.0.0:80/"]) {
      const refused = await admin.call<{ error: string }>("PUT", `/api/workspaces/${workspaceId}/settings`, {
        json: { provider: { provider: "openai", baseUrl: address, model: "m" } },
      });
      expect([address, refused.status]).toEqual([address, 403]);
      expect(refused.body.error).toMatch(/not allowed/);
    }
    const allowed = await admin.call("PUT", `/api/workspaces/${workspaceId}/settings`, {
      json: { provider: { provider: "openai", baseUrl: internalUrl.replace("127.0.0.1", "localhost"), model: "m" } },
    });
    expect(allowed.status).toBe(200);
  });

  it("never echoes the remote reply in a failed provider test", async () => {
    const result = await admin.call<{ ok: boolean; message: string }>("POST", `/api/workspaces/${workspaceId}/settings/test-provider`);
    expect(result.body.ok).toBe(false);
    expect(result.body.message).toMatch(/HTTP 500/);
    expect(result.body.message).not.toContain(internalSecret);
    expect(result.body.message).not.toContain("db password");
    const ask = await admin.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question: "What do the regulations say about staffing?" } });
    expect(JSON.stringify(await readEvents(ask))).not.toContain(internalSecret);
    await admin.call("PUT", `/api/workspaces/${workspaceId}/settings`, { json: { provider: { provider: "extractive" } } });
  });

  it("seals the API key at rest with the server key (0600), never in plain text in the workspace database", async () => {
    const key = "sk-live-plaintext-check-91";
    expect(
      (await admin.call("PUT", `/api/workspaces/${workspaceId}/settings`, { json: { provider: { provider: "anthropic", model: "claude-x", apiKey: key } } })).status,
    ).toBe(200);
    const folder = join(server.dataDir, "workspaces", workspaceId);
    const bytes = Buffer.concat(
      ["hearth.db", "hearth.db-wal"].map((name) => {
        try {
          return readFileSync(join(folder, name));
        } catch {
          return Buffer.alloc(0);
        }
      }),
    );
    expect(bytes.includes(Buffer.from(key))).toBe(false);
    expect(bytes.includes(Buffer.from("enc:v1:"))).toBe(true);
    expect(statSync(join(server.dataDir, "server.key")).mode & 0o777).toBe(0o600);
    const read = await admin.call<{ provider: { hasApiKey: boolean } }>("GET", `/api/workspaces/${workspaceId}/settings`);
    expect(read.body.provider.hasApiKey).toBe(true);
    expect(JSON.stringify(read.body)).not.toContain(key);
    await admin.call("PUT", `/api/workspaces/${workspaceId}/settings`, { json: { provider: { provider: "extractive", apiKey: "" } } });
  });
});

describe("security: invitations instead of adding people without consent", () => {
  it("refuses a workspace admin adding a registered person directly, and answers invitations the same for known and unknown emails", async () => {
    const wanda = await signedIn("wanda@example.org");
    const direct = await wanda.call("POST", `/api/workspaces/${workspaceId}/members`, { json: { email: "vera@example.org", role: "editor" } });
    expect(direct.status).toBe(403);
    const known = await wanda.call<Record<string, unknown>>("POST", `/api/workspaces/${workspaceId}/invitations`, { json: { email: "ann@example.org", role: "viewer" } });
    const unknown = await wanda.call<Record<string, unknown>>("POST", `/api/workspaces/${workspaceId}/invitations`, { json: { email: "nobody-here@example.org", role: "viewer" } });
    expect(known.status).toBe(201);
    expect(unknown.status).toBe(201);
    const shape = (body: Record<string, unknown>): unknown => JSON.parse(JSON.stringify(body, (key, value: unknown) => (typeof value === "string" && key !== "role" ? "" : value)));
    expect(shape(known.body)).toEqual(shape(unknown.body));
  });

  it("lets only the invited email accept; a new person signs up through the link", async () => {
    const invited = await admin.call<{ invitation: { id: string }; link: string }>("POST", `/api/workspaces/${workspaceId}/invitations`, {
      json: { email: "vera@example.org", role: "editor" },
    });
    const wanda = await signedIn("wanda@example.org");
    expect((await wanda.call("POST", `/api/invitations/${invited.body.invitation.id}/accept`)).status).toBe(404);
    const vera = await signedIn("vera@example.org");
    const mine = await vera.call<{ invitations: { id: string; role: string }[] }>("GET", "/api/invitations");
    expect(mine.body.invitations.map((invitation) => invitation.role)).toEqual(["editor"]);
    // Vera stays a viewer until she says yes; then declining is no longer possible.
    expect((await vera.call<{ workspaces: { role: string }[] }>("GET", "/api/workspaces")).body.workspaces[0]?.role).toBe("viewer");
    expect((await vera.call("POST", `/api/invitations/${invited.body.invitation.id}/decline`)).status).toBe(204);
    expect((await vera.call<{ workspaces: { role: string }[] }>("GET", "/api/workspaces")).body.workspaces[0]?.role).toBe("viewer");

    const newcomer = await admin.call<{ link: string }>("POST", `/api/workspaces/${workspaceId}/invitations`, { json: { email: "nina@example.org", role: "viewer" } });
    const token = newcomer.body.link.split("/").at(-1) ?? "";
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.call<{ hasAccount: boolean }>("POST", "/api/invitations/lookup", { json: { token } })).body.hasAccount).toBe(false);
    expect((await anonymous.call("POST", "/api/invitations/lookup", { json: { token: `${token}x` } })).status).toBe(404);
    const joined = await anonymous.call<{ workspace: { role: string } }>("POST", "/api/invitations/sign-up", { json: { token, name: "Nina", password: testPassword } });
    expect(joined.status).toBe(201);
    expect(joined.body.workspace.role).toBe("viewer");
    // The link is used up.
    expect((await new ApiClient(server.url).call("POST", "/api/invitations/sign-up", { json: { token, name: "Again", password: testPassword } })).status).toBe(404);
  });
});

describe("security: viewers write nothing shared", () => {
  it("saves a viewer's question in the viewer's own session, never the admin's shared one", async () => {
    const shared = "Board briefing";
    await readEvents(await admin.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question: "What is a children's home?", session: shared } }));
    const vera = await signedIn("vera@example.org");
    const events = await readEvents(await vera.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question: "Planted by the viewer?", session: shared } }));
    const answer = events.find((event) => event.event === "answer")?.data as { session?: string };
    expect(answer.session).toBe(`${shared} (vera@example.org)`);
    const board = await admin.call<{ exchanges: { answer: { question: string } }[] }>("GET", `/api/workspaces/${workspaceId}/sessions/${encodeURIComponent(shared)}`);
    expect(board.body.exchanges.map((exchange) => exchange.answer.question)).toEqual(["What is a children's home?"]);
    const report = await admin.request("GET", `/api/workspaces/${workspaceId}/sessions/${encodeURIComponent(shared)}/export?format=md`);
    expect(await report.text()).not.toContain("Planted by the viewer");
  });

  it("does not draft for a viewer who asks in plain words, as POST /drafts refuses", async () => {
    const vera = await signedIn("vera@example.org");
    expect((await vera.call("POST", `/api/workspaces/${workspaceId}/drafts`, { json: { template: "la-commissioner-email", la: "Nottinghamshire" } })).status).toBe(403);
    const question = "Please write an email to Nottinghamshire introducing us, about their shortage of local children's homes.";
    const viewerEvents = await readEvents(await vera.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question } }));
    const viewerAnswer = viewerEvents.find((event) => event.event === "answer")?.data as { answer: string };
    expect(viewerAnswer.answer).not.toMatch(/^Draft:/);
    // The same words from an admin are drafted: the difference is the role, not the wording.
    const adminEvents = await readEvents(await admin.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question } }));
    expect((adminEvents.find((event) => event.event === "answer")?.data as { answer: string }).answer).toMatch(/^Draft:/);
  });
});

describe("security: accounts", () => {
  it("changes a password (the old one and other devices stop working), and signs out everywhere", async () => {
    const created = await admin.call("POST", "/api/admin/users", { json: { email: "paul@example.org", name: "Paul", password: testPassword } });
    expect(created.status).toBe(201);
    const laptop = await signedIn("paul@example.org");
    const phone = await signedIn("paul@example.org");
    expect((await laptop.call("POST", "/api/me/password", { json: { currentPassword: "wrong password!", newPassword: "a new long password" } })).status).toBe(400);
    expect((await laptop.call("POST", "/api/me/password", { json: { currentPassword: testPassword, newPassword: "a new long password" } })).status).toBe(204);
    expect((await phone.call("GET", "/api/me")).status).toBe(401);
    expect((await laptop.call("GET", "/api/me")).status).toBe(200);
    expect(await new ApiClient(server.url).signIn("paul@example.org", testPassword)).toBe(401);
    const tablet = await signedIn("paul@example.org", "a new long password");
    expect((await laptop.call("POST", "/api/auth/logout-everywhere")).status).toBe(204);
    expect((await tablet.call("GET", "/api/me")).status).toBe(401);
    expect((await laptop.call("GET", "/api/me")).status).toBe(401);
  });

  it("resets a password with a one-time code from a server admin, refusing a wrong or reused code alike", async () => {
    const vera = await signedIn("vera@example.org");
    const users = await admin.call<{ users: { id: string; email: string }[] }>("GET", "/api/admin/users");
    const paul = users.body.users.find((user) => user.email === "paul@example.org");
    expect((await vera.call("POST", `/api/admin/users/${paul?.id}/reset`)).status).toBe(403);
    const issued = await admin.call<{ code: string }>("POST", `/api/admin/users/${paul?.id}/reset`);
    const anonymous = new ApiClient(server.url);
    const wrong = await anonymous.call<{ error: string }>("POST", "/api/auth/reset", { json: { email: "paul@example.org", code: "WRONGCODE", password: "reset long password" } });
    const stranger = await anonymous.call<{ error: string }>("POST", "/api/auth/reset", { json: { email: "nobody@example.org", code: "WRONGCODE", password: "reset long password" } });
    expect(wrong.status).toBe(400);
    expect(stranger).toEqual(wrong);
    const reset = await anonymous.call("POST", "/api/auth/reset", { json: { email: "paul@example.org", code: issued.body.code, password: "reset long password" } });
    expect(reset.status).toBe(200);
    expect((await anonymous.call("GET", "/api/me")).status).toBe(200);
    const reused = await new ApiClient(server.url).call("POST", "/api/auth/reset", { json: { email: "paul@example.org", code: issued.body.code, password: "another long password" } });
    expect(reused.status).toBe(400);
    expect(await new ApiClient(server.url).signIn("paul@example.org", "reset long password")).toBe(200);
  });

  it("deletes one's own account with the password, but not the last admin of a workspace", async () => {
    const paul = await signedIn("paul@example.org", "reset long password");
    expect((await paul.call("DELETE", "/api/me", { json: { password: "not it at all" } })).status).toBe(400);
    expect((await paul.call("DELETE", "/api/me", { json: { password: "reset long password" } })).status).toBe(204);
    expect(await new ApiClient(server.url).signIn("paul@example.org", "reset long password")).toBe(401);
    const lone = await admin.call<{ workspace: { id: string } }>("POST", "/api/workspaces", { json: { name: "Ann alone" } });
    expect(lone.status).toBe(201);
    const refused = await admin.call<{ error: string }>("DELETE", "/api/me", { json: { password: testPassword } });
    expect(refused.status).toBe(409);
  });
});

describe("security: data at rest, export, headers, audit", () => {
  it("keeps the data folder 0700 and the databases and uploads 0600", async () => {
    const { events } = await admin.uploadAndWait(workspaceId, [
      { name: "notes.md", bytes: Buffer.from("# Notes\n\nStaffing ratios are reviewed monthly.\n") },
      // An HTML fragment (no <html> or <body>) is read as HTML, not refused as "plain text".
      { name: "fragment.html", bytes: Buffer.from("<h2>Night staffing</h2>\n<p>Two waking staff cover the night in each home.</p>\n") },
    ]);
    expect(events.at(-1)?.data).toMatchObject({ ingested: 2, failed: 0 });
    const mode = (path: string): number => statSync(path).mode & 0o777;
    expect(mode(server.dataDir)).toBe(0o700);
    expect(mode(join(server.dataDir, "accounts.db"))).toBe(0o600);
    const folder = join(server.dataDir, "workspaces", workspaceId);
    expect(mode(folder)).toBe(0o700);
    expect(mode(join(folder, "hearth.db"))).toBe(0o600);
    const documents = await admin.call<{ documents: { id: number }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    const id = documents.body.documents[0]?.id;
    const stored = readFileSync(join(folder, "hearth.db"));
    expect(stored.length).toBeGreaterThan(0);
    const file = await admin.request("GET", `/api/workspaces/${workspaceId}/documents/${id}/file`);
    expect(file.status).toBe(200);
  });

  it("escapes HTML from questions and documents in the Markdown export", async () => {
    await admin.uploadAndWait(workspaceId, [
      { name: "hostile.md", bytes: Buffer.from("# Hostile\n\nStaffing <script>alert(1)</script> and <img src=x onerror=alert(2)> ratios matter.\n") },
    ]);
    const session = "Escaping";
    await readEvents(await admin.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question: "<script>alert(3)</script> staffing ratios?", session } }));
    const markdown = await (await admin.request("GET", `/api/workspaces/${workspaceId}/sessions/${session}/export?format=md`)).text();
    expect(markdown).not.toMatch(/<script|<img/i);
    expect(markdown).toContain("&lt;script&gt;");
  });

  it("sends a strict CSP on pages and API answers, and compresses JSON", async () => {
    for (const path of ["/", "/api/health"]) {
      const response = await fetch(`${server.url}${path}`);
      const policy = response.headers.get("content-security-policy") ?? "";
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain("unsafe-inline");
    }
    const raw = await admin.request("GET", `/api/workspaces/${workspaceId}/audit?limit=200`, { headers: { "accept-encoding": "gzip" } });
    expect(raw.headers.get("content-encoding")).toBe("gzip");
    expect(raw.headers.get("vary")).toMatch(/accept-encoding/i);
    // fetch decompresses; the body is still the JSON.
    expect(((await raw.json()) as { events: unknown[] }).events.length).toBeGreaterThan(0);
  });

  it("audits exports, downloads, page views, sign-outs, refusals and lockouts, and exports the log as CSV", async () => {
    const vera = await signedIn("vera@example.org");
    await vera.call("DELETE", `/api/workspaces/${workspaceId}/documents/1`);
    await vera.call("POST", "/api/auth/logout");
    const attacker = new ApiClient(server.url);
    for (let attempt = 0; attempt < 6; attempt++) await attacker.call("POST", "/api/auth/login", { json: { email: "vera@example.org", password: `guess ${attempt}` } });
    const documents = await admin.call<{ documents: { id: number }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    await admin.call("GET", `/api/workspaces/${workspaceId}/documents/${documents.body.documents[0]?.id}/units`);
    const log = await admin.call<{ events: { action: string; user: string; detail: string }[] }>("GET", `/api/workspaces/${workspaceId}/audit?limit=1000`);
    const actions = new Set(log.body.events.map((event) => event.action));
    for (const action of ["export", "download", "view", "sign-out", "forbidden", "lockout", "sign-in-failed", "invited", "settings"]) {
      expect([action, actions.has(action)]).toEqual([action, true]);
    }
    const csv = await admin.request("GET", `/api/workspaces/${workspaceId}/audit.csv`);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe('"time","user","action","detail"');
    expect(text).toContain('"lockout"');
    // A cell a spreadsheet would run as a formula is defused.
    expect(text).not.toMatch(/,"=/);
  });
});

describe("security: sign-in throttle", () => {
  it("locks out one address spraying passwords over many accounts (20 failures), whatever the email it tries next", async () => {
    const client = new ApiClient(server.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 24; attempt++) {
      statuses.push((await client.call("POST", "/api/auth/login", { json: { email: `spray${attempt}@example.org`, password: "wrong password" } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    const locked = await client.call<{ error: string }>("POST", "/api/auth/login", { json: { email: "ann@example.org", password: testPassword } });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatch(/from this address/);
  });
});
