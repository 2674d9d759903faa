import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The API server (apps/server) serves the built app; in dev, vite proxies the API and Pyodide to it.
const apiServer = process.env.PATCHBAY_API ?? "http://localhost:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    // As the server sends them (apps/server http/server.ts): SharedArrayBuffer for interrupting browser runs.
    headers: { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "credentialless" },
    proxy: {
      // Host kept as the browser sent it: the server checks that mutations come from the host they address (CSRF).
      "/trpc": { target: apiServer, changeOrigin: false },
      "/pyodide": { target: apiServer, changeOrigin: true },
      "/healthz": { target: apiServer, changeOrigin: true },
    },
  },
  worker: { format: "es" },
  // The Python worker imports Pyodide from /pyodide/ at run time; pre-bundling it would reload the dev page on first use.
  optimizeDeps: { exclude: ["pyodide"] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
});
