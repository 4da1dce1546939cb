/**
 * Workspace settings: the organisation profile and the language model provider, kept in the workspace's own
 * library (store settings "profile" and "provider"). The API key is never sent back, only whether one is set.
 */
import type { Hono } from "hono";
import { z } from "zod";
import type { HearthConfig } from "../config/config.ts";
import { createLanguageModel } from "../providers/from-config.ts";
import type { Store } from "../store/types.ts";
import { currentUser } from "./auth.ts";
import { readJson } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { requireRole } from "./workspaces.ts";

const profileSchema = z.record(z.string().max(200), z.union([z.string().max(20_000), z.array(z.string().max(2_000)).max(500)]));

const providerNames = ["extractive", "openai", "anthropic", "llama-cpp"] as const;
const providerSchema = z.object({
  provider: z.enum(providerNames),
  baseUrl: z.string().url().or(z.literal("")).optional(),
  model: z.string().max(200).optional(),
  /** Omitted: keep the stored key. Empty: remove it. */
  apiKey: z.string().max(1000).optional(),
});

export interface ProviderSettings {
  provider: (typeof providerNames)[number];
  baseUrl?: string | undefined;
  model?: string | undefined;
  apiKey?: string | undefined;
}

const storedProviderSchema = providerSchema.extend({ apiKey: z.string().optional() });

/** The workspace's provider, or the server's configured one when the workspace has not chosen. */
export function workspaceProvider(store: Store, config: HearthConfig): ProviderSettings {
  const stored = storedProviderSchema.safeParse(store.getSetting("provider"));
  if (stored.success) return stored.data;
  return { provider: config.llm.provider, baseUrl: config.llm.baseUrl, model: config.llm.model, apiKey: config.llm.apiKey };
}

/** The configuration a workspace's answers use: the server's, with the workspace's provider and its own request log. */
export function workspaceConfig(store: Store, config: HearthConfig, folder: string): HearthConfig {
  const provider = workspaceProvider(store, config);
  return {
    ...config,
    dataDir: folder,
    llm: { ...config.llm, provider: provider.provider, baseUrl: provider.baseUrl, model: provider.model, apiKey: provider.apiKey },
  };
}

function publicProvider(settings: ProviderSettings): Record<string, unknown> {
  return {
    provider: settings.provider,
    baseUrl: settings.baseUrl ?? null,
    model: settings.model ?? null,
    hasApiKey: Boolean(settings.apiKey),
  };
}

/** Asks the workspace's model for one word, with a short timeout and no retries: proves address, key and model. */
async function testProvider(config: HearthConfig): Promise<{ ok: boolean; message: string }> {
  if (config.llm.provider === "extractive") return { ok: true, message: "The extractive answerer needs no language model." };
  const model = createLanguageModel({ llm: { ...config.llm, timeoutMs: Math.min(config.llm.timeoutMs, 20_000), maxRetries: 0 } });
  if (!model.ok) return { ok: false, message: model.error.message };
  if (!model.value) return { ok: true, message: "The extractive answerer needs no language model." };
  const reply = await model.value.generate({
    system: "Reply with the single word OK.",
    messages: [{ role: "user", content: "Are you there?" }],
    maxTokens: 5,
  });
  if (!reply.ok) return { ok: false, message: reply.error.message };
  return { ok: true, message: `${model.value.id} answered.` };
}

export function registerSettingsRoutes(app: Hono<ServerEnv>, services: ServerServices): void {
  const { libraries, config, accounts } = services;

  app.get("/api/workspaces/:workspaceId/settings", (c) => {
    const { store } = libraries.get(c.get("workspace").id);
    const profile = profileSchema.safeParse(store.getSetting("profile"));
    return c.json({ profile: profile.success ? profile.data : {}, provider: publicProvider(workspaceProvider(store, config)) });
  });

  app.put("/api/workspaces/:workspaceId/settings", async (c) => {
    requireRole(c, "admin");
    const workspaceId = c.get("workspace").id;
    const body = await readJson(c.req.raw, z.object({ profile: profileSchema.optional(), provider: providerSchema.optional() }));
    const { store } = libraries.get(workspaceId);
    if (body.profile) store.setSetting("profile", body.profile);
    if (body.provider) {
      const current = workspaceProvider(store, config);
      const next: ProviderSettings = {
        provider: body.provider.provider,
        baseUrl: body.provider.baseUrl || undefined,
        model: body.provider.model || undefined,
        apiKey: body.provider.apiKey === undefined ? current.apiKey : body.provider.apiKey || undefined,
      };
      store.setSetting("provider", next);
    }
    accounts.recordAudit({
      userId: currentUser(c).id,
      workspaceId,
      action: "settings",
      detail: [body.profile ? "profile" : "", body.provider ? `provider ${body.provider.provider}` : ""].filter(Boolean).join(", "),
    });
    const profile = profileSchema.safeParse(store.getSetting("profile"));
    return c.json({ profile: profile.success ? profile.data : {}, provider: publicProvider(workspaceProvider(store, config)) });
  });

  app.post("/api/workspaces/:workspaceId/settings/test-provider", async (c) => {
    requireRole(c, "admin");
    const { store, folder } = libraries.get(c.get("workspace").id);
    return c.json(await testProvider(workspaceConfig(store, config, folder)));
  });
}
