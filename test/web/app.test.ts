/**
 * The web app end to end: the real server (startServer on 127.0.0.1:0, temporary data folder) serving the built UI,
 * driven by Debian's chromium through playwright-core. One browser for the file; the tests run in order and build
 * on each other (setup → upload → ask → viewer → sessions → settings → viewer account). Screenshots of each page
 * (1280x800) are written to docs/screenshots/ for the README when HEARTH_UPDATE_SCREENSHOTS=1.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestServer, testPassword } from "../../src/server/test-support.ts";
import type { TestServer } from "../../src/server/test-support.ts";
import { sharedBrowser, withoutChromium } from "../support/chromium.ts";
import { withoutCorpus } from "../support/corpus.ts";
import { corpus, repositoryRoot } from "../support/run-hearth.ts";

/** These tests need a browser and upload documents from the sample corpus. */
const skip = withoutChromium() || withoutCorpus();

const webRoot = join(repositoryRoot, "web");
// The README's screenshots are rewritten only on request (HEARTH_UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
const screenshots = process.env.HEARTH_UPDATE_SCREENSHOTS
  ? join(repositoryRoot, "docs", "screenshots")
  : mkdtempSync(join(tmpdir(), "hearth-screenshots-"));
const nottinghamshire = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
const somerset = "Somerset Homes and Horizons Members Briefing.pptx";
const question = "What percentage of Nottinghamshire's children are in unrelated foster care?";
const sessionName = "Sufficiency review";
const admin = { name: "Ann Admin", email: "ann@example.org", password: testPassword, workspaceName: "Oak Homes" };
const viewer = { name: "Vic Viewer", email: "vic@example.org", password: "viewer password 123" };

function newestModification(folder: string): number {
  return Math.max(
    ...readdirSync(folder, { withFileTypes: true }).map((entry) => {
      const path = join(folder, entry.name);
      return entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs;
    }),
  );
}

/** Builds web/dist unless it is newer than every source file (`npm test` builds it first anyway). */
async function ensureBuilt(): Promise<void> {
  const index = join(webRoot, "dist", "index.html");
  const sources = Math.max(newestModification(join(webRoot, "src")), statSync(join(webRoot, "index.html")).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  await build({ configFile: join(webRoot, "vite.config.ts"), logLevel: "error" });
}

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

async function navigate(to: "Library" | "Ask" | "Sessions" | "Settings"): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: to, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: to }).waitFor();
}

beforeAll(async () => {
  if (skip) return;
  mkdirSync(screenshots, { recursive: true });
  await ensureBuilt();
  // A 2 MB upload limit, so the page's own size check can be shown with a small file.
  server = await startTestServer((config) => ({ ...config, server: { ...config.server, maxUploadBytes: 2 * 1024 * 1024 } }));
  browser = await sharedBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, baseURL: server.url });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
});

describe.skipIf(skip)("the web app", () => {
  it("sets up the first admin account on first run and lands in the library", async () => {
    await page.goto("/");
    await page.getByRole("heading", { name: "Welcome to Hearth" }).waitFor();
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password (at least 10 characters)").fill(admin.password);
    await page.getByLabel("Workspace name (your organisation or team)").fill(admin.workspaceName);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { level: 1, name: "Library" }).waitFor();
    expect(await page.getByLabel("Workspace", { exact: true }).locator("option:checked").textContent()).toBe(admin.workspaceName);
    // The document list loads after the heading shows: waited for, not read at once (it failed so on a busy machine).
    await page.getByText("No documents yet.").waitFor({ timeout: 10_000 });
  });

  it("uploads a corpus PDF and shows its progress until it is ingested", async () => {
    const seen = new Set<string>();
    // Records every status the row passes through, however briefly.
    await page.exposeFunction("recordStatus", (status: string) => seen.add(status));
    await page.evaluate(`new MutationObserver(() => {
      for (const row of document.querySelectorAll(".upload-row")) window.recordStatus(row.dataset.status ?? "");
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] })`);
    await page.locator("#upload-input").setInputFiles([corpus(`library/${nottinghamshire}`), corpus(`library/${somerset}`)]);
    const row = page.locator(`.upload-row[data-file="${nottinghamshire}"]`);
    await row.and(page.locator('[data-status="ingested"]')).waitFor({ timeout: 60_000 });
    await page.locator(`.upload-row[data-file="${somerset}"][data-status="ingested"]`).waitFor({ timeout: 60_000 });
    expect(await row.locator(".status").textContent()).toMatch(/^Ingested \(18 pages, \d+ passages\)$/);
    expect([...seen]).toEqual(expect.arrayContaining(["queued", "ingested"]));
    const documentRow = page.locator(`tr[data-document="${nottinghamshire}"]`);
    await documentRow.waitFor();
    expect(await documentRow.textContent()).toContain("18 pages");
    expect(await page.locator(`tr[data-document="${somerset}"]`).textContent()).toMatch(/\d+ slides/);
  });

  it("shows why a hostile upload failed, in its row", async () => {
    const random = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 256));
    await page.locator("#upload-input").setInputFiles({ name: "random.pdf", mimeType: "application/pdf", buffer: random });
    const row = page.locator('.upload-row[data-file="random.pdf"][data-status="failed"]');
    await row.waitFor();
    const reason = await row.getByRole("alert").textContent();
    expect(reason).toMatch(/^random\.pdf: /);
    expect(reason).not.toMatch(/^random\.pdf: random\.pdf/);
    expect(reason).toContain("unrecognised binary data");
    expect(await page.locator('tr[data-document="random.pdf"]').count()).toBe(0);
    await screenshot("library");
  });

  it("refuses a file over the upload limit before sending it, with the reason in its row", async () => {
    const large = Buffer.alloc(3 * 1024 * 1024, 0x20);
    await page.locator("#upload-input").setInputFiles({ name: "huge.pdf", mimeType: "application/pdf", buffer: large });
    const row = page.locator('.upload-row[data-file="huge.pdf"][data-status="failed"]');
    await row.waitFor();
    expect(await row.getByRole("alert").textContent()).toMatch(/^huge\.pdf: 3 MB is larger than the 2 MB upload limit/);
    expect(await page.locator('tr[data-document="huge.pdf"]').count()).toBe(0);
  });

  it("streams an answer, links its citations and lists the sources", async () => {
    await navigate("Ask");
    await page.getByLabel("Your question").fill(question);
    await page.getByLabel("Save to session (optional)").fill(sessionName);
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const answer = page.getByTestId("answer").last();
    await answer.and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
    // The text arrived as several token events before the full answer replaced it.
    expect(Number(await answer.getAttribute("data-tokens"))).toBeGreaterThan(1);
    expect(await answer.textContent()).toContain("55.2");
    const first = answer.locator('button.citation-link[data-citation="1"]').first();
    expect(await first.textContent()).toBe("[1]");
    expect(await first.getAttribute("aria-label")).toBe(`Source 1: ${nottinghamshire}, page 4`);
    const sources = page.getByRole("complementary", { name: "Sources" });
    const firstSource = (await sources.locator('li[data-source="1"]').textContent()) ?? "";
    expect(firstSource).toContain(nottinghamshire);
    expect(firstSource).toContain("Page 4");
    await screenshot("ask");
  });

  it("opens a citation at its page with the quoted words highlighted", async () => {
    await page.getByTestId("answer").last().locator('button.citation-link[data-citation="1"]').first().click();
    const dialog = page.getByRole("dialog", { name: nottinghamshire });
    await dialog.waitFor();
    const image = dialog.locator("img");
    await image.waitFor();
    const source = (await image.getAttribute("src")) ?? "";
    expect(source).toMatch(/\/documents\/\d+\/pages\/4\/image\?highlight=.+/);
    await expect.poll(() => image.evaluate((element) => (element as unknown as { complete: boolean }).complete), { timeout: 15_000 }).toBe(true);
    expect(await image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    // The server found the quote on the page and drew boxes round it.
    const boxes = await page.evaluate(async (url) => (await fetch(url)).headers.get("x-highlight-boxes"), source);
    expect(Number(boxes)).toBeGreaterThan(0);
    await dialog.getByText("Page 4 of 18 (cited)").waitFor();
    await screenshot("viewer");
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  it("opens a slide citation at the cited slide with the quote marked", async () => {
    await page.getByLabel("Your question").fill("How many Somerset children in care live in Devon?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const answer = page.getByTestId("answer").last();
    await answer.and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
    const slideCitation = answer.locator(`button.citation-link[aria-label^="Source"][aria-label*="${somerset}"]`).first();
    const label = (await slideCitation.getAttribute("aria-label")) ?? "";
    const slide = Number(/page (\d+)$/.exec(label)?.[1]);
    // dev-questions.json d04: the answer is on slide 3.
    expect(slide).toBe(3);
    await slideCitation.click();
    const dialog = page.getByRole("dialog", { name: somerset });
    const cited = dialog.locator('section.unit[aria-current="location"]');
    await cited.waitFor();
    expect(await cited.getByRole("heading").textContent()).toBe(`Slide ${slide}`);
    expect((await cited.locator("mark").textContent())?.length).toBeGreaterThan(10);
    // Scrolled so that the marked quote is inside the visible part of the units list.
    const inView = await cited.locator("mark").evaluate((mark) => {
      const box = mark.getBoundingClientRect();
      const list = mark.closest(".units")?.getBoundingClientRect();
      return list !== undefined && box.top >= list.top - 1 && box.top < list.bottom;
    });
    expect(inView).toBe(true);
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  it("lists the session and exports it as Markdown with the cited file and page", async () => {
    await navigate("Sessions");
    await page.getByRole("link", { name: new RegExp(sessionName) }).click();
    await page.getByRole("heading", { level: 2, name: sessionName }).waitFor();
    // Both questions asked on the Ask page went into the session named there.
    expect(await page.locator(".session-detail .exchange").count()).toBe(2);
    await screenshot("sessions");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export Markdown" }).click()]);
    expect(download.suggestedFilename()).toBe(`${sessionName}.md`);
    const markdown = readFileSync(await download.path(), "utf8");
    expect(markdown).toContain("## QUESTION");
    expect(markdown).toContain(`- File: ${nottinghamshire}, Page: 4`);
    expect(markdown).toContain("55.2");
    const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export PDF" }).click()]);
    expect(readFileSync(await pdf.path()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("saves the profile, tests the provider and adds a viewer from the settings page", async () => {
    await navigate("Settings");
    await page.getByLabel("Organisation name").fill("Oak Homes Ltd");
    await page.getByLabel("Where you operate").fill("Nottinghamshire\nDerbyshire");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Profile saved: drafts use it from now on.").waitFor();
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => page.getByTestId("provider-status").textContent(), { timeout: 10_000 }).toBe("The extractive answerer needs no language model.");

    // Ann set Hearth up, so she administers the server and may add an account directly.
    const form = page.getByRole("form", { name: "Add a member" });
    await form.getByLabel("Email").fill(viewer.email);
    await form.getByLabel("Name (for a new account)").fill(viewer.name);
    await form.getByLabel("Initial password (for a new account, at least 10 characters)").fill(viewer.password);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Add member" }).click();
    await expect.poll(() => page.getByLabel(`Role of ${viewer.name}`).inputValue().catch(() => ""), { timeout: 10_000 }).toBe("viewer");
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot("settings");

    const api = new ApiClient(server.url);
    expect(await api.signIn(admin.email, admin.password)).toBe(200);
    const workspaces = await api.call<{ workspaces: { id: string }[] }>("GET", "/api/workspaces");
    const settings = await api.call<{ profile: Record<string, unknown> }>("GET", `/api/workspaces/${workspaces.body.workspaces[0]?.id}/settings`);
    expect(settings.body.profile).toMatchObject({ name: "Oak Homes Ltd", locations: ["Nottinghamshire", "Derbyshire"] });
  });

  it("fits a tablet (768 px wide) on every page without sideways scrolling", async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    try {
      for (const to of ["Library", "Ask", "Sessions", "Settings"] as const) {
        await navigate(to);
        const overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        expect(overflow, `${to} is wider than the screen`).toBe(0);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it("signs a viewer in, shows no upload control or remove buttons, and the server refuses a viewer's upload", async () => {
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
    try {
      const viewerPage = await viewerContext.newPage();
      viewerPage.setDefaultTimeout(20_000);
      await viewerPage.goto("/library");
      await viewerPage.getByRole("heading", { name: "Sign in to Hearth" }).waitFor();
      await viewerPage.getByLabel("Email").fill(viewer.email);
      await viewerPage.getByLabel("Password").fill("not the password");
      await viewerPage.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => viewerPage.getByRole("alert").textContent().catch(() => ""), { timeout: 10_000 }).toBe("Wrong email or password");
      await viewerPage.getByLabel("Password").fill(viewer.password);
      await viewerPage.getByRole("button", { name: "Sign in" }).click();
      await viewerPage.getByRole("heading", { level: 1, name: "Library" }).waitFor();
      await viewerPage.locator(`tr[data-document="${nottinghamshire}"]`).waitFor();
      expect(await viewerPage.locator("#upload-input").count()).toBe(0);
      expect(await viewerPage.getByTestId("drop-zone").count()).toBe(0);
      expect(await viewerPage.getByRole("button", { name: /^Remove/ }).count()).toBe(0);
      expect(await viewerPage.getByRole("button", { name: /^Re-ingest/ }).count()).toBe(0);

      const status = await viewerPage.evaluate(async () => {
        const me = (await (await fetch("/api/me")).json()) as { csrfToken: string };
        const { workspaces } = (await (await fetch("/api/workspaces")).json()) as { workspaces: { id: string }[] };
        const form = new FormData();
        form.append("files", new Blob(["plain text"]), "note.txt");
        const response = await fetch(`/api/workspaces/${workspaces[0]?.id}/uploads`, {
          method: "POST",
          headers: { "x-csrf-token": me.csrfToken },
          body: form,
        });
        return { status: response.status, body: (await response.json()) as { error: string } };
      });
      expect(status.status).toBe(403);
      expect(status.body.error).toContain("editor");
    } finally {
      await viewerContext.close();
    }
  });
});
