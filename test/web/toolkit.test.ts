/**
 * The Toolkit page end to end: the real server serving the built UI, driven by Debian's chromium through
 * playwright-core. The library (two LA strategies and a briefing deck) and the organisation profile are set up
 * through the API; the page drafts the LA commissioner email into a session, shows the comparison across
 * authorities with its chart, and downloads it as CSV. docs/screenshots/toolkit.png is rewritten only when
 * HEARTH_UPDATE_SCREENSHOTS=1.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestServer, testPassword } from "../../src/server/test-support.ts";
import type { TestServer } from "../../src/server/test-support.ts";
import { sharedBrowser, withoutChromium } from "../support/chromium.ts";
import { withoutCorpus } from "../support/corpus.ts";
import { corpus, repositoryRoot } from "../support/run-hearth.ts";
import { builtWebRoot } from "../support/web-build.ts";
import type { WebBuild } from "../support/web-build.ts";

let webBuild: WebBuild | undefined;

/** These tests need a browser and upload documents from the sample corpus. */
const skip = withoutChromium() || withoutCorpus();

const nottinghamshire = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
const cambridgeshire = "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf";
const somerset = "Somerset Homes and Horizons Members Briefing.pptx";
const sessionName = "Notts outreach";

let server: TestServer;
let api: ApiClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (skip) return;
  server = await startTestServer((config) => config, { webRoot: (webBuild = await builtWebRoot()).root });
  api = new ApiClient(server.url);
  const { workspaceId } = await api.setup({ name: "Ann Admin", email: "ann@example.org", password: testPassword, workspaceName: "Lumen Way" });
  const { events } = await api.uploadAndWait(
    workspaceId,
    [nottinghamshire, cambridgeshire, somerset].map((name) => ({ name, bytes: readFileSync(corpus(`library/${name}`)) })),
  );
  expect(events.at(-1)?.data).toMatchObject({ ingested: 3 });
  const profile = await api.call("PUT", `/api/workspaces/${workspaceId}/settings`, {
    json: { profile: { name: "Lumen Way Homes", signature: "Alex Morgan\nResponsible Individual" } },
  });
  expect(profile.status).toBe(200);

  browser = await sharedBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, baseURL: server.url });
  // The API client's sign-in session, handed to the browser.
  const [name, value] = (api.cookie ?? "").split("=") as [string, string];
  await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: "Lax" }]);
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
}, 90_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  webBuild?.remove();
});

describe.skipIf(skip)("the Toolkit page", () => {
  it("drafts the LA commissioner email with the profile, cited to its pages, into a session", async () => {
    await page.goto("/library");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Toolkit", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Toolkit" }).waitFor();
    await page.getByLabel("Template").selectOption("la-commissioner-email");
    await page.getByLabel("Local authority", { exact: true }).fill("Nottinghamshire");
    await page.getByLabel("Save to session (optional)").fill(sessionName);
    await page.getByRole("button", { name: "Draft", exact: true }).click();
    const draft = page.getByTestId("draft");
    await draft.and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
    const text = (await draft.textContent()) ?? "";
    expect(text).toContain("Introducing Lumen Way Homes");
    expect(text).toContain("Alex Morgan");
    const first = draft.locator('button.citation-link[data-citation="1"]').first();
    expect(await first.textContent()).toBe("[1]");
    expect(await draft.getByRole("link", { name: `“${sessionName}”` }).count()).toBe(1);
    const sources = page.getByRole("complementary", { name: "Sources" });
    expect(await sources.locator("li[data-source]").count()).toBeGreaterThan(0);
    expect(await sources.textContent()).toContain(nottinghamshire);

    await first.click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });

    const session = await api.call<{ exchanges: { answer: { answer: string } }[] }>(
      "GET",
      `/api/workspaces/${(await api.call<{ workspaces: { id: string }[] }>("GET", "/api/workspaces")).body.workspaces[0]?.id}/sessions/${encodeURIComponent(sessionName)}`,
    );
    expect(session.body.exchanges.map((exchange) => exchange.answer.answer)).toEqual([expect.stringContaining("Lumen Way Homes")]);
  });

  it("lists the templates under Registering a home, Running a home and Working with commissioners, each with a request to ask", async () => {
    const list = page.locator("section.template-list");
    await list.getByRole("heading", { level: 3, name: "Running a home" }).waitFor();
    expect(await list.getByRole("heading", { level: 3 }).allTextContents()).toEqual(["Registering a home", "Running a home", "Working with commissioners"]);
    expect(await list.locator('[data-template="mock-inspection-sccif"]').textContent()).toContain("Ask: “Create a mock inspection checklist against the SCCIF”");
    expect(await list.locator('[data-template="staffing-training-matrix"]').textContent()).toContain("(staffing-training-matrix, version 1)");
    const groups = await page.getByLabel("Template").locator("optgroup").evaluateAll((elements) => elements.map((element) => element.getAttribute("label")));
    expect(groups).toEqual(["Registering a home", "Running a home", "Working with commissioners"]);
  });

  it("drafts the staffing matrix with the home's options from the form", async () => {
    await page.getByLabel("Template").selectOption("staffing-training-matrix");
    await page.getByLabel("Age range", { exact: true }).fill("11 to 17");
    await page.getByLabel("Beds", { exact: true }).fill("3");
    await page.getByRole("button", { name: "Draft", exact: true }).click();
    const draft = page.getByTestId("draft");
    await draft.getByText("Template: Staffing plan and training and qualifications matrix").waitFor({ timeout: 30_000 });
    await draft.and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
    expect((await draft.textContent()) ?? "").toContain("Lumen Way Homes: a home for 3 children aged 11 to 17.");
  });

  it("reaches the mock inspection from a misspelt request on the Ask page, naming the template", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ask", exact: true }).click();
    await page.getByLabel("Your question").fill("mock inspecton for our home please");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const answer = page.getByTestId("answer").last();
    await answer.and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
    const text = (await answer.textContent()) ?? "";
    expect(text).toContain("Template: Mock inspection against the SCCIF (mock-inspection-sccif, version 1)");
    expect(text).toContain('Drafted with the "Mock inspection against the SCCIF" template');
    expect(await answer.getByRole("heading", { name: "The effectiveness of leaders and managers" }).count()).toBe(1);
  });

  it("revises the last draft in the session when a follow-up asks for it as a letter", async () => {
    await page.getByLabel("Save to session (optional)").fill("Opening");
    await page.getByLabel("Your question").fill("help me drfat a regulation 44 visit report");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await page.getByTestId("answer").last().getByText("Template: Independent person's visit report (regulation 44)").waitFor({ timeout: 30_000 });
    await page.getByTestId("answer").last().and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
    await page.getByLabel("Your question").fill("now as a letter please");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const revised = page.getByTestId("answer").last();
    await revised.getByText("This revises the last draft in the session").waitFor({ timeout: 30_000 });
    const text = (await revised.textContent()) ?? "";
    expect(text).toContain("Template: Independent person's visit report (regulation 44)");
    expect(text).toContain("Yours sincerely,");
    await page.getByLabel("Save to session (optional)").fill("");
  });

  it("drafts the email when it is asked for on the Ask page, as the seed user asked", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ask", exact: true }).click();
    await page
      .getByLabel("Your question")
      .fill("Can you draft an email to Nottinghamshire introducing Lumen Way Homes and ask whether they are struggling with placement breakdowns?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const answer = page.getByTestId("answer").last();
    await answer.and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 30_000 });
    const text = (await answer.textContent()) ?? "";
    expect(text).toContain("Draft: Email introducing the organisation to an LA commissioner — Nottinghamshire");
    expect(text).toContain("Dear Nottinghamshire commissioning team,");
    expect(text).toContain("whether you are struggling with placement breakdowns");
    expect(await answer.getByRole("heading", { name: "Subject" }).count()).toBe(1);
    expect(await answer.locator("button.citation-link").count()).toBeGreaterThan(0);
    expect(await page.getByRole("complementary", { name: "Sources" }).textContent()).toContain(nottinghamshire);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Toolkit", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Toolkit" }).waitFor();
  });

  it("compares the authorities in a table with sources, not-found cells and a placement chart", async () => {
    const cell = (field: string, authority: string) => page.locator(`tr[data-field="${field}"] td[data-authority="${authority}"]`);
    await cell("children_in_care", "Nottinghamshire").waitFor();
    expect(await cell("children_in_care", "Nottinghamshire").textContent()).toContain("953");
    expect(await cell("unit_cost_in_house_residential_weekly", "Cambridgeshire").textContent()).toContain("£2,278");
    const missing = cell("children_in_care", "Somerset");
    expect(await missing.textContent()).toBe("not found");
    expect(await missing.getAttribute("class")).toBe("not-found");
    expect(await page.getByRole("table").getByRole("columnheader").allTextContents()).toEqual(["Figure", "Cambridgeshire", "Nottinghamshire", "Somerset"]);

    const chart = page.getByRole("figure");
    expect(await chart.locator(".chart-bar").count()).toBeGreaterThan(0);
    expect(await chart.getByRole("group", { name: "Nottinghamshire placement mix" }).textContent()).toContain("Residential17.1%");
    expect(await chart.locator("figcaption").textContent()).toContain("Not found for: Cambridgeshire, Somerset.");

    // A figure opens the page it was read from.
    const figure = cell("children_in_care", "Nottinghamshire").getByRole("button", { name: /^953, Children in care, Nottinghamshire: open / });
    expect(await figure.getAttribute("aria-label")).toBe(`953, Children in care, Nottinghamshire: open ${nottinghamshire}, page 4`);
    await figure.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: nottinghamshire });
    await dialog.getByText("Page 4 of 18 (cited)").waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });

    if (process.env.HEARTH_UPDATE_SCREENSHOTS) {
      // The comparison, from its heading: chart, downloads and the first rows of the table (the draft is like an answer).
      await page.getByRole("heading", { level: 2, name: "Local authorities" }).evaluate((heading) => heading.scrollIntoView({ block: "start" }));
      await page.evaluate("document.activeElement?.blur(); window.scrollBy(0, -24)");
      await page.screenshot({ path: join(repositoryRoot, "docs", "screenshots", "toolkit.png") });
    }
  });

  it("downloads the comparison as CSV and Markdown", async () => {
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(csv.suggestedFilename()).toBe("local-authorities.csv");
    const lines = readFileSync(await csv.path(), "utf8").split("\n");
    expect(lines[0]).toBe("authority,field,label,value,date,file,page,quote");
    expect(lines.some((line) => line.startsWith("Nottinghamshire,children_in_care,Children in care,953,"))).toBe(true);
    const [markdown] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download Markdown" }).click()]);
    expect(readFileSync(await markdown.path(), "utf8").split("\n")[0]).toBe("| Figure | Cambridgeshire | Nottinghamshire | Somerset |");
  });

  it("shows each document's source type on the Library page, and an editor corrects it", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library", exact: true }).click();
    const row = page.locator(`tr[data-document="${cambridgeshire}"]`);
    const cell = row.locator("td.source-authority");
    await cell.waitFor();
    expect(await cell.textContent()).toContain("LA strategy · 2011-2015 (guessed from the name)");
    await row.getByRole("button", { name: `Change the source type of ${cambridgeshire}` }).click();
    const form = row.getByRole("form", { name: `Source type of ${cambridgeshire}` });
    await form.getByLabel("Source type").selectOption("market_research");
    await form.getByLabel("Year or period").fill("nonsense");
    await form.getByRole("button", { name: "Save" }).click();
    expect(await form.getByRole("alert").textContent()).toMatch(/date/i);
    await form.getByLabel("Year or period").fill("2012");
    await form.getByRole("button", { name: "Save" }).click();
    await row.locator('td.source-authority[data-authority="market_research"]').waitFor();
    expect(await cell.textContent()).toMatch(/^market research \/ data · 2012 Change/);
    // Back as it was, through the same control.
    await row.getByRole("button", { name: `Change the source type of ${cambridgeshire}` }).click();
    await form.getByLabel("Source type").selectOption("la_strategy");
    await form.getByLabel("Year or period").fill("2011-2015");
    await form.getByRole("button", { name: "Save" }).click();
    await row.locator('td.source-authority[data-authority="la_strategy"]').waitFor();
    expect(await cell.textContent()).toMatch(/^LA strategy · 2011-2015 Change/);
  });

  it("fits a tablet (768 px wide) without sideways scrolling of the page", async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    try {
      const overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
      expect(overflow).toBe(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
