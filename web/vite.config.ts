/** Builds the web app: `npm run build:web` (root web/, output web/dist, served by `hearth serve`). */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  logLevel: "warn",
  build: { outDir: fileURLToPath(new URL("./dist", import.meta.url)), emptyOutDir: true, sourcemap: false, target: "es2022" },
  // `vite --config web/vite.config.ts` serves the UI with hot reload and hands /api to `hearth serve`.
  server: { proxy: { "/api": { target: "http://127.0.0.1:8787", changeOrigin: false } } },
});
