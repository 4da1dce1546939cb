import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("defaults to the offline extractive answerer and the per-user data folder", () => {
    const result = loadConfig({ HOME: "/home/manager" });
    if (!result.ok) throw result.error;
    expect(result.value.dataDir).toBe("/home/manager/.local/share/hearth");
    expect(result.value.llm.provider).toBe("extractive");
    expect(result.value.embeddings.provider).toBe("none");
    expect(result.value.server).toEqual({
      host: "127.0.0.1",
      port: 8787,
      maxUploadBytes: 200 * 1024 * 1024,
      workspaceCreation: "server-admins",
      allowedModelHosts: [],
    });
  });

  it("reads the environment, with the command line winning", () => {
    const result = loadConfig(
      { HEARTH_DATA: "/srv/hearth", HEARTH_LLM_PROVIDER: "openai", HEARTH_LLM_BASE_URL: "http://127.0.0.1:11434/v1", HEARTH_LLM_MODEL: "llama3.1", HEARTH_PORT: "9000" },
      { dataDir: "/tmp/override" },
    );
    if (!result.ok) throw result.error;
    expect(result.value.dataDir).toBe("/tmp/override");
    expect(result.value.llm).toMatchObject({ provider: "openai", baseUrl: "http://127.0.0.1:11434/v1", model: "llama3.1" });
    expect(result.value.server.port).toBe(9000);
  });

  it("reads a config file in the data folder, under the environment", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hearth-config-"));
    writeFileSync(join(dataDir, "config.json"), JSON.stringify({ llm: { provider: "anthropic", model: "claude-x" }, server: { port: 8800 } }));
    const result = loadConfig({ HEARTH_DATA: dataDir, HEARTH_LLM_MODEL: "claude-y" });
    if (!result.ok) throw result.error;
    expect(result.value.llm).toMatchObject({ provider: "anthropic", model: "claude-y" });
    expect(result.value.server.port).toBe(8800);
  });

  it("names the field that is wrong", () => {
    const provider = loadConfig({ HEARTH_DATA: "/tmp/x", HEARTH_LLM_PROVIDER: "gpt" });
    expect(provider.ok).toBe(false);
    if (!provider.ok) expect(provider.error.message).toContain("llm.provider");
    const url = loadConfig({ HEARTH_DATA: "/tmp/x", HEARTH_LLM_BASE_URL: "not a url" });
    if (!url.ok) expect(url.error.message).toContain("llm.baseUrl");
    expect(url.ok).toBe(false);
  });

  it("names a config file that is not JSON", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hearth-config-"));
    writeFileSync(join(dataDir, "config.json"), "{ nope");
    const result = loadConfig({ HEARTH_DATA: dataDir });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("config.json");
  });
});
