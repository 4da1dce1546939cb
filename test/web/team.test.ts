/**
 * The team server in a real browser (Debian's chromium through playwright-core): login CSRF from a second origin,
 * the Settings form's profile reaching a draft, the table-row citation highlight, and the phone layout at 390 px.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestServer, testPassword } from "../../src/server/test-support.ts";
import type { TestServer } from "../../src/server/test-support.ts";
import { corpus, withoutCorpus } from "../support/corpus.ts";
import { builtWebRoot } from "../support/web-build.ts";
import type { WebBuild } from "../support/web-build.ts";
import { sharedBrowser, withoutChromium } from "../support/chromium.ts";

let webBuild: WebBuild | undefined;

const cambridgeshire = "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf";
const nottinghamshire = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
const attacker = { email: "mallory@example.org", password: "mallory's long password" };

let server: TestServer;
let api: ApiClient;
let workspaceId: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Another site (another origin) with a page that forges a sign-in as Mallory. */
let evil: Server;
let evilUrl: string;

async function signIn(target: Page, email: string, password: string): Promise<void> {
  await target.goto("/library");
  await target.getByRole("heading", { name: "Sign in to Hearth" }).waitFor();
  await target.getByLabel("Email").fill(email);
  await target.getByLabel("Password").fill(password);
  await target.getByRole("button", { name: "Sign in" }).click();
  await target.getByRole("heading", { level: 1, name: "Library" }).waitFor();
}

async function navigate(target: Page, to: "Library" | "Ask" | "Sessions" | "Toolkit" | "Settings"): Promise<void> {
  await target.getByRole("navigation", { name: "Main" }).getByRole("link", { name: to, exact: true }).click();
  await target.getByRole("heading", { level: 1, name: to }).waitFor();
}

/** These tests need a browser; the corpus only for the table-row test. */
const skip = withoutChromium();

beforeAll(async () => {
  if (skip) return;
  server = await startTestServer((config) => config, { webRoot: (webBuild = await builtWebRoot()).root });
  api = new ApiClient(server.url);
  ({ workspaceId } = await api.setup({ name: "Ann Admin", email: "ann@example.org", password: testPassword, workspaceName: "Oak Homes" }));
  expect((await api.call("POST", "/api/admin/users", { json: { email: attacker.email, name: "Mallory", password: attacker.password } })).status).toBe(201);
  if (!withoutCorpus()) {
    const { events } = await api.uploadAndWait(
      workspaceId,
      [cambridgeshire, nottinghamshire].map((name) => ({ name, bytes: readFileSync(corpus(`library/${name}`)) })),
    );
    expect(events.at(-1)?.data).toMatchObject({ ingested: 2 });
  }
  evil = createServer((_request, response) => {
    // The classic login-CSRF form: text/plain so that the body reads as JSON, posted on load.
    const field = `{"email":"${attacker.email}","password":"${attacker.password}","x":"`;
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<!doctype html><title>Win a prize</title>
      <form id="f" method="POST" action="${server.url}/api/auth/login" enctype="text/plain">
        <input type="hidden" name='${field}' value='"}'>
      </form>
      <script>document.getElementById("f").submit()</script>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
  browser = await sharedBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  evil?.close();
  webBuild?.remove();
});

describe.skipIf(skip)("the team server in a browser", () => {
  it("refuses a sign-in forged by another site's form, so the victim is not signed in as the attacker", async () => {
    const victim = await browser.newContext({ baseURL: server.url });
    try {
      const tab = await victim.newPage();
      const [response] = await Promise.all([tab.waitForResponse((candidate) => candidate.url().endsWith("/api/auth/login")), tab.goto(evilUrl)]);
      expect(response.status()).toBe(403);
      expect(response.headers()["set-cookie"]).toBeUndefined();
      expect(await victim.cookies(server.url)).toEqual([]);
      await tab.goto("/library");
      await tab.getByRole("heading", { name: "Sign in to Hearth" }).waitFor();
      // The attacker's account itself is fine: it signs in from Hearth's own page.
      await signIn(tab, attacker.email, attacker.password);
    } finally {
      await victim.close();
    }
  });

  it("saves the organisation profile in the Settings form and the draft introduces and signs with it", async () => {
    await signIn(page, "ann@example.org", testPassword);
    await navigate(page, "Settings");
    await page.getByLabel("Organisation name").fill("Oak Homes Ltd");
    await page.getByLabel("What you provide").fill("Independent therapeutic children's homes");
    await page.getByLabel("Where you operate").fill("Nottinghamshire\nDerbyshire");
    await page.getByLabel("Contact name").fill("Ann Admin");
    await page.getByLabel("Contact's role").fill("Responsible Individual");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Profile saved: drafts use it from now on.").waitFor();
    const draft = await page.evaluate(async (id) => {
      const me = (await (await fetch("/api/me")).json()) as { csrfToken: string };
      const response = await fetch(`/api/workspaces/${id}/drafts`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": me.csrfToken },
        body: JSON.stringify({ template: "la-commissioner-email", la: "Nottinghamshire" }),
      });
      return ((await response.json()) as { draft: { answer: string } }).draft.answer;
    }, workspaceId);
    expect(draft).toContain("Introducing Oak Homes Ltd: Independent therapeutic children's homes");
    expect(draft).toMatch(/Ann Admin\s+Responsible Individual/);
    expect(draft).not.toContain("hearth profile set");
  });

  it.skipIf(withoutCorpus())("lights only the cited table row on the page and scrolls to it", async () => {
    await navigate(page, "Ask");
    await page.getByLabel("Your question").fill("What is Cambridgeshire's weekly cost for in-house residential children's homes?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const answer = page.getByTestId("answer").last();
    await answer.and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
    expect(await answer.textContent()).toContain("2,278");
    await answer.locator(`button.citation-link[aria-label*="${cambridgeshire}"]`).first().click();
    const dialog = page.getByRole("dialog", { name: cambridgeshire });
    const image = dialog.locator("img");
    await image.waitFor();
    const source = (await image.getAttribute("src")) ?? "";
    expect(decodeURIComponent(source)).toContain("£2,278 per week");
    const headers = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { boxes: response.headers.get("x-highlight-boxes"), top: response.headers.get("x-highlight-top") };
    }, source);
    // The row's three cells (label, Cambridgeshire's cost, the average), not the page's nine "per week".
    expect(headers.boxes).toBe("3");
    await expect.poll(() => image.evaluate((element) => (element as unknown as { complete: boolean }).complete), { timeout: 15_000 }).toBe(true);
    // Scrolled so that the lit row is in view inside the page frame.
    const rowInView = await dialog.locator(".page-frame").evaluate((frame, top) => {
      const picture = frame.querySelector("img");
      if (!picture) return false;
      const rowY = Number(top) * picture.clientHeight;
      return rowY >= frame.scrollTop && rowY <= frame.scrollTop + frame.clientHeight;
    }, headers.top);
    expect(rowInView).toBe(true);
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  it("fits a phone (390 px wide) on every page without sideways scrolling, with Sign out and the viewer's Close in reach", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: server.url, isMobile: true, hasTouch: true });
    try {
      const tab = await phone.newPage();
      tab.setDefaultTimeout(20_000);
      await signIn(tab, "ann@example.org", testPassword);
      const withinScreen = async (name: string, box: { x: number; width: number } | null): Promise<void> => {
        expect(box, `${name} is not shown`).not.toBeNull();
        expect(box && box.x >= 0 && box.x + box.width <= 390, `${name} is cut off`).toBe(true);
      };
      for (const to of ["Library", "Ask", "Sessions", "Toolkit", "Settings"] as const) {
        await navigate(tab, to);
        await tab.waitForTimeout(300);
        const overflow = await tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        expect(overflow, `${to} is wider than the phone`).toBe(0);
        await withinScreen("Sign out", await tab.getByRole("button", { name: "Sign out", exact: true }).boundingBox());
      }
      if (!withoutCorpus()) {
        await navigate(tab, "Ask");
        await tab.getByLabel("Your question").fill("What percentage of Nottinghamshire's children are in unrelated foster care?");
        await tab.getByRole("button", { name: "Ask", exact: true }).click();
        const answer = tab.getByTestId("answer").last();
        await answer.and(tab.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
        await answer.locator("button.citation-link").first().click();
        const dialog = tab.getByRole("dialog");
        await dialog.locator("img").waitFor();
        await withinScreen("Close", await dialog.getByRole("button", { name: "Close" }).boundingBox());
        expect(await tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")).toBe(0);
      }
    } finally {
      await phone.close();
    }
  });
});
