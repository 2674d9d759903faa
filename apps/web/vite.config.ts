import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The API server (apps/server) serves the built app; in dev, vite proxies the API and Pyodide to it.
const apiServer = process.env.PATCHBAY_API ?? "http://localhost:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "/trpc": { target: apiServer, changeOrigin: true },
      "/pyodide": { target: apiServer, changeOrigin: true },
      "/healthz": { target: apiServer, changeOrigin: true },
    },
  },
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
});
