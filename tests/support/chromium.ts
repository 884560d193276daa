import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The browser for the e2e tests: Debian's Chromium (Playwright's own
 * download cannot work on these machines). CHROMIUM_PATH overrides.
 */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function findChromium(): string | null {
  const override = process.env.CHROMIUM_PATH;
  if (override) return existsSync(override) ? override : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/** Finds Chromium, or installs Debian's package when running as root with apt; else explains how. */
export function ensureChromium(): string {
  const override = process.env.CHROMIUM_PATH;
  if (override && !existsSync(override)) {
    throw new Error(
      `CHROMIUM_PATH is ${override}, which does not exist: point it at a Chromium or Chrome binary, or unset it.`,
    );
  }
  const found = findChromium();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium not found: installing Debian's chromium package (about 30 s)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error(
    "The browser tests need Chromium and none was found. Install it (Debian/Ubuntu: `sudo apt-get install chromium`) " +
      "or set CHROMIUM_PATH to a Chromium or Chrome binary, then run `npm test` again.",
  );
}

/** Flags that keep headless Chromium off the network and quiet on these machines. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
