import { createParser } from "eventsource-parser";
import { SSEStreamingApi } from "hono/streaming";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskStreamEvents } from "./ask.ts";
import { sseEvent } from "./ask.ts";
import { startTestServer } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";

/** What Hono's writeSSE writes for the event (the way ask.ts sent each piece before they went out in one write). */
async function writtenByHono<Name extends keyof AskStreamEvents>(event: Name, data: AskStreamEvents[Name]): Promise<string> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const api = new SSEStreamingApi(writable, readable);
  const reading = new Response(api.responseReadable).text();
  await api.writeSSE({ event, data: JSON.stringify(data) });
  await api.close();
  return await reading;
}

describe("POST .../ask's events as one write", () => {
  it("writes each event exactly as writeSSE does, so readers parse the same events", async () => {
    const pieces: AskStreamEvents["token"][] = [
      { text: "Of our 953 children 55.2% are in foster care. [1]\n\n" },
      { text: "- Most are in Ashfield “and Mansfield”: \"quoted\", tabs\tand \\ back-slashes. [2]" },
      { text: "Line\r\nbreaks of every kind\rstay inside the data." },
    ];
    let joined = "";
    for (const piece of pieces) {
      const text = sseEvent("token", piece);
      expect(text).toBe(await writtenByHono("token", piece));
      joined += text;
    }
    const parsed: { event: string | undefined; data: unknown }[] = [];
    const parser = createParser({ onEvent: (message) => parsed.push({ event: message.event, data: JSON.parse(message.data) }) });
    parser.feed(joined);
    expect(parsed).toEqual(pieces.map((data) => ({ event: "token", data })));
  });
});

describe("/api/health", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("answers uncompressed even to a client that accepts gzip (polled by load balancers, a few bytes)", async () => {
    const response = await fetch(`${server.url}/api/health`, { headers: { "accept-encoding": "gzip" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.json()).toMatchObject({ ok: true });
  });
});
