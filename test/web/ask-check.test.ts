/**
 * The Ask page with a language model, end to end: the real server (its model a loopback OpenAI-compatible server
 * that streams slowly enough to watch) serving the built UI, driven by Debian's chromium through playwright-core.
 * The model's draft streams in marked "checking…"; the checked answer then replaces it, with the gap the model
 * stated shown first, the removed sentence listed (collapsed) with why, **bold** rendered, and Hearth's notes in
 * their own panel. A follow-up is answered as its rewritten question, with the conversation sent to the model.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeModelServer } from "../../src/providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../../src/providers/testing/fake-model-server.ts";
import { ApiClient, startTestServer, testPassword } from "../../src/server/test-support.ts";
import type { TestServer } from "../../src/server/test-support.ts";
import { sharedBrowser, withoutChromium } from "../support/chromium.ts";
import { withoutCorpus } from "../support/corpus.ts";
import { corpus, repositoryRoot } from "../support/run-hearth.ts";
import { builtWebRoot } from "../support/web-build.ts";
import type { WebBuild } from "../support/web-build.ts";

let webBuild: WebBuild | undefined;

const nottinghamshire = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";

/** The number of the passage holding `needle` in the prompt the model received. */
function numberOf(user: string, needle: string): number {
  for (const match of user.matchAll(/^\[(\d+)\] File: [^\n]*\n([\s\S]*?)(?=\n\n\[\d+\] File:|\nPASSAGES>>>)/gm)) if (match[2]!.includes(needle)) return Number(match[1]);
  return 1;
}

let model: FakeModelServer;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

describe.skipIf(withoutChromium() || withoutCorpus())("the Ask page checks a model's answer in view", () => {
  beforeAll(async () => {
    model = await startFakeModelServer("openai");
    model.pieceDelayMs = 40;
    server = await startTestServer(
      (config) => ({ ...config, llm: { ...config.llm, provider: "openai", baseUrl: model.url, model: "test-model", maxRetries: 0, timeoutMs: 20_000 } }),
      { webRoot: (webBuild = await builtWebRoot()).root },
    );
    const api = new ApiClient(server.url);
    const { workspaceId } = await api.setup({ name: "Ann Admin", email: "ann@example.org", password: testPassword, workspaceName: "Lumen Way" });
    const { events } = await api.uploadAndWait(workspaceId, [{ name: nottinghamshire, bytes: readFileSync(corpus(`library/${nottinghamshire}`)) }]);
    expect(events.at(-1)?.data).toMatchObject({ ingested: 1 });
    browser = await sharedBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url, permissions: ["clipboard-read", "clipboard-write"] });
    const [name, value] = (api.cookie ?? "").split("=") as [string, string];
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: "Lax" }]);
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await model?.close();
    webBuild?.remove();
  });

  it("streams the draft as 'checking…', then shows the checked answer, its gap, what was removed and why, and the notes apart", async () => {
    model.respond = ({ user }) =>
      [
        `Of Nottinghamshire's 953 children, **55.2%** are in unrelated foster care [${numberOf(user, "55.2%")}].`,
        `The council pays its foster carers more than any other East Midlands council [${numberOf(user, "55.2%")}].`,
        "",
        "Not in the library: the passages give no national figure to compare with.",
      ].join("\n");
    await page.goto("/ask");
    await page.getByLabel("Your question").fill("What percentage of Nottinghamshire's children are in unrelated foster care?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const answer = page.getByTestId("answer").last();
    // While the model writes, its text is shown as a draft being checked.
    await page.locator('[data-testid="answer"][data-state="checking"]').waitFor();
    await expect(page.getByTestId("checking").textContent()).resolves.toMatch(/checking against the library/);
    // Then the checked answer replaces it.
    await page.locator('[data-testid="answer"][data-state="checked"]').waitFor();
    await expect(page.getByTestId("checking").count()).resolves.toBe(0);
    await expect(answer.locator("strong", { hasText: "55.2%" }).count()).resolves.toBe(1);
    await expect(answer.textContent()).resolves.not.toContain("**");
    await expect(answer.textContent()).resolves.not.toContain("East Midlands council [");
    await expect(answer.getByTestId("answer-gaps").textContent()).resolves.toMatch(/Not in the library.*no national figure/);
    const check = answer.getByTestId("answer-check");
    await expect(check.getAttribute("open")).resolves.toBeNull();
    await check.locator("summary").click();
    await expect(check.locator('li[data-outcome="removed"]').textContent()).resolves.toMatch(/East Midlands council.*because/);
    await expect(answer.getByTestId("answer-notes").textContent()).resolves.toMatch(/left out because the passages did not support it/);
    await expect(answer.locator(".answer-text").textContent()).resolves.not.toMatch(/left out/);
    // Copying takes the checked text with its sources written out, and leaves Hearth's notes behind.
    await answer.getByRole("button", { name: "Copy answer" }).click();
    await answer.getByRole("button", { name: /^Copied/ }).waitFor();
    const copied = await page.evaluate<string>("navigator.clipboard.readText()");
    expect(copied).toMatch(/55\.2%.*\[1\]\.[\s\S]*\n\nSources:\n\[1\] Nottinghamshire Sufficiency and Commissioning Strategy 2023-25\.pdf, page \d+/);
    expect(copied).not.toMatch(/East Midlands council|left out/);
    // docs/screenshots/ask-check.png is rewritten only on request (HEARTH_UPDATE_SCREENSHOTS=1).
    const folder = process.env.HEARTH_UPDATE_SCREENSHOTS ? join(repositoryRoot, "docs", "screenshots") : (process.env.HEARTH_SCREENSHOT_DIR ?? null);
    if (folder) await page.screenshot({ path: join(folder, "ask-check.png") });
  });

  it("answers a follow-up as its rewritten question, with the conversation sent to the model", async () => {
    model.requests.length = 0;
    model.respond = ({ user }) => `In Nottinghamshire, 17.1% of children are in residential care [${numberOf(user, "17.1%")}].`;
    await page.getByLabel("Your question").fill("and how does that compare with residential care?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await page.locator('[data-testid="answer"][data-state="checked"]').nth(1).waitFor();
    const answer = page.getByTestId("answer").nth(1);
    await expect(answer.getByTestId("resolved-question").textContent()).resolves.toMatch(/Answered as: How does the percentage of Nottinghamshire's children/);
    const messages = model.requests[0]!.body.messages as { role: string; content: string }[];
    expect(messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(messages[1]!.content).toMatch(/unrelated foster care/);
  });
});
