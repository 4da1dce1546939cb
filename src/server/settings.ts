/**
 * Workspace settings: the organisation profile and the language model provider, kept in the workspace's own
 * library (store settings "profile" and "provider"). The profile is the one schema of src/profile (the CLI's and the
 * templates'). The API key is sealed with the server key at rest and never sent back, only whether one is set.
 *
 * Outbound addresses: a workspace admin chooses the provider, model and key; only a server admin may give a model
 * address other than the server's, and every address passes the outbound policy (no loopback, link-local or
 * private hosts unless the server's configuration allows them). Provider errors shown to the web never carry the
 * remote server's reply body.
 */
import { Hono } from "hono";
import * as z from "zod";
import type { HearthConfig } from "../config/config.ts";
import type { HearthError } from "../errors/hearth-error.ts";
import { getProfile, organisationProfileSchema, profileSetting } from "../profile/organisation-profile.ts";
import { createLanguageModel } from "../providers/from-config.ts";
import type { SettingDefinition, Store } from "../store/types.ts";
import { allow, mayChooseModelAddress, refusedModelAddress } from "./authorise.ts";
import { audit, currentUser } from "./auth.ts";
import { HttpError } from "./http-error.ts";
import { checkOutboundUrl } from "./outbound-policy.ts";
import type { SecretBox } from "./secret-box.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { jsonBody } from "./validate.ts";

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

/** The workspace's model provider, kept as the setting "provider" (its API key sealed with the server key). */
export const providerSetting: SettingDefinition<z.infer<typeof storedProviderSchema>> = { key: "provider", schema: storedProviderSchema };

/** The workspace's provider (its key opened with the server key), or the server's when the workspace has not chosen. */
export async function workspaceProvider(store: Store, config: HearthConfig, secrets: SecretBox): Promise<ProviderSettings> {
  const stored = await store.settings.get(providerSetting);
  if (stored) return { ...stored, apiKey: stored.apiKey ? secrets.open(stored.apiKey) : undefined };
  return { provider: config.llm.provider, baseUrl: config.llm.baseUrl, model: config.llm.model, apiKey: config.llm.apiKey };
}

/** The configuration a workspace's answers use: the server's, with the workspace's provider and its own request log. */
export async function workspaceConfig(store: Store, config: HearthConfig, folder: string, secrets: SecretBox): Promise<HearthConfig> {
  const provider = await workspaceProvider(store, config, secrets);
  return {
    ...config,
    dataDir: folder,
    llm: { ...config.llm, provider: provider.provider, baseUrl: provider.baseUrl, model: provider.model, apiKey: provider.apiKey },
  };
}

/** Refuses (403) a model address the outbound policy does not allow; the server's own configured address passes. */
export async function assertModelAddressAllowed(baseUrl: string | undefined, config: HearthConfig): Promise<void> {
  if (!baseUrl || baseUrl === config.llm.baseUrl) return;
  const verdict = await checkOutboundUrl(baseUrl, config.server.allowedModelHosts);
  if (!verdict.ok) throw new HttpError(403, `The model address is not allowed: ${verdict.reason}`);
}

function publicProvider(settings: ProviderSettings): { provider: ProviderSettings["provider"]; baseUrl: string | null; model: string | null; hasApiKey: boolean } {
  return {
    provider: settings.provider,
    baseUrl: settings.baseUrl ?? null,
    model: settings.model ?? null,
    hasApiKey: Boolean(settings.apiKey),
  };
}

/**
 * A provider failure in words of our own: the code and HTTP status, never the remote reply (which an internal
 * service could fill with anything it holds).
 */
export function safeProviderMessage(error: HearthError): string {
  const status = /\((\d{3})\b/.exec(error.message)?.[1];
  const withStatus = status ? ` (HTTP ${status})` : "";
  switch (error.code) {
    case "PROVIDER_AUTH":
      return `The model provider refused the API key${withStatus}; check the key.`;
    case "PROVIDER_RATE_LIMITED":
      return "The model provider is limiting requests; try again shortly.";
    case "PROVIDER_UNAVAILABLE":
      return "The model provider cannot be reached; check the address and that it is running.";
    case "TIMEOUT":
      return "The model provider did not answer in time.";
    case "PROVIDER_BAD_RESPONSE":
      return "The model provider sent a reply Hearth cannot read; check the address and model.";
    case "PROVIDER_FAILED":
      return `The model provider failed${withStatus}; check the address and model name.`;
    case "CONFIG_INVALID":
    case "INVALID_INPUT":
      return error.message;
    default:
      return "The model provider could not be used; the details are in the server's log.";
  }
}

/** Asks the workspace's model for one word, with a short timeout and no retries: proves address, key and model. */
async function testProvider(config: HearthConfig): Promise<{ ok: boolean; message: string }> {
  if (config.llm.provider === "extractive") return { ok: true, message: "The extractive answerer needs no language model." };
  const model = createLanguageModel({ llm: { ...config.llm, timeoutMs: Math.min(config.llm.timeoutMs, 20_000), maxRetries: 0 }, privacy: config.privacy });
  if (!model.ok) return { ok: false, message: safeProviderMessage(model.error) };
  if (!model.value) return { ok: true, message: "The extractive answerer needs no language model." };
  const reply = await model.value.generate({
    system: "Reply with the single word OK.",
    messages: [{ role: "user", content: "Are you there?" }],
    maxTokens: 5,
  });
  if (!reply.ok) return { ok: false, message: safeProviderMessage(reply.error) };
  return { ok: true, message: `${model.value.id} answered.` };
}

const settingsBodySchema = z.object({ profile: organisationProfileSchema.strict().optional(), provider: providerSchema.optional() });

/**
 * The settings routes as a typed sub-app: the web app's client is generated from this type (`hc<SettingsRoutes>`),
 * so a profile field the server does not accept cannot compile there.
 */
export function settingsRoutes(services: ServerServices) {
  const { libraries, config, secrets } = services;
  return new Hono<ServerEnv>()
    .get("/api/workspaces/:workspaceId/settings", async (c) => {
      const { store } = await libraries.get(c.get("workspace").id);
      return c.json({ profile: await getProfile(store), provider: publicProvider(await workspaceProvider(store, config, secrets)) });
    })
    .put("/api/workspaces/:workspaceId/settings", allow("admin"), jsonBody(settingsBodySchema), async (c) => {
      const workspaceId = c.get("workspace").id;
      const body = c.req.valid("json");
      const { store } = await libraries.get(workspaceId);
      if (body.provider) {
        const current = await workspaceProvider(store, config, secrets);
        const baseUrl = body.provider.baseUrl || undefined;
        if (baseUrl !== current.baseUrl && baseUrl !== config.llm.baseUrl && !mayChooseModelAddress(currentUser(c))) throw refusedModelAddress();
        await assertModelAddressAllowed(baseUrl, config);
        const apiKey = body.provider.apiKey === undefined ? current.apiKey : body.provider.apiKey || undefined;
        await store.settings.set(providerSetting, {
          provider: body.provider.provider,
          baseUrl,
          model: body.provider.model || undefined,
          apiKey: apiKey ? secrets.seal(apiKey) : undefined,
        });
      }
      if (body.profile) await store.settings.set(profileSetting, body.profile);
      await audit(c, services, "settings", [body.profile ? "profile" : "", body.provider ? `provider ${body.provider.provider}` : ""].filter(Boolean).join(", "));
      return c.json({ profile: await getProfile(store), provider: publicProvider(await workspaceProvider(store, config, secrets)) });
    })
    .post("/api/workspaces/:workspaceId/settings/test-provider", allow("admin"), async (c) => {
      const { store, folder } = await libraries.get(c.get("workspace").id);
      const effective = await workspaceConfig(store, config, folder, secrets);
      await assertModelAddressAllowed(effective.llm.baseUrl, config);
      return c.json(await testProvider(effective));
    });
}

export type SettingsRoutes = ReturnType<typeof settingsRoutes>;
