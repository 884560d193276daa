import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { writeStudyRegistry } from "./scripts/studies";

// The study registry (studies/*.json, validated) that the API imports: a bad study stops the build here.
writeStudyRegistry();

/** Builds the Remix site (web/) for the Worker: build/server for worker.ts, build/client as static assets. */
export default defineConfig({
  plugins: [
    remix({
      appDirectory: "web",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  ssr: {
    resolve: { conditions: ["workerd", "worker", "browser"], externalConditions: ["workerd", "worker"] },
  },
  resolve: { mainFields: ["browser", "module", "main"] },
  build: { minify: true },
});
