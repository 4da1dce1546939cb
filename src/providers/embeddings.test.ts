import { embeddingModelContract } from "./embedding-model-contract.ts";
import { createOllamaEmbeddings, createOpenAICompatibleEmbeddings } from "./embeddings.ts";

embeddingModelContract("OpenAI-compatible /v1/embeddings", {
  protocol: "openai",
  path: "/v1/embeddings",
  create: (options) => createOpenAICompatibleEmbeddings({ ...options, model: "text-embedding-3-small" }),
});

embeddingModelContract("Ollama /api/embed", {
  protocol: "ollama",
  path: "/api/embed",
  create: (options) => createOllamaEmbeddings({ ...options, model: "nomic-embed-text" }),
});
