// The production build goes to dist/; scripts/build-data.sh copies it next
// to the relos binary (BUILD/src/cli/web), where `relos serve` finds it.
// `npm run dev` and `vite preview` proxy /api to a running `relos serve`
// (RELOS_API, default http://127.0.0.1:8080).
import { defineConfig } from "vite";

export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 900 },
  server: { proxy: { "/api": process.env.RELOS_API ?? "http://127.0.0.1:8080" } },
  preview: { proxy: { "/api": process.env.RELOS_API ?? "http://127.0.0.1:8080" } },
});
