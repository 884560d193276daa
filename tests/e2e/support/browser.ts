/**
 * Chromium for the journeys, with stand-ins for the external sites (bmj.com,
 * fda.gov, ...) that answers cite, without the internet.
 *
 * Two ways in, because Playwright never routes the hop after a redirect
 * (microsoft/playwright#3994, #33882): a direct navigation or request to an
 * external URL is fulfilled by `context.route` (./participant.ts); the hop
 * that /out's 302 leads to reaches Chromium's network stack, so
 * `--host-resolver-rules` sends every external host to a local HTTPS server
 * that answers with the same page.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../../support/chromium";

export const isLoopback = (url: URL) => url.hostname === "127.0.0.1" || url.hostname === "localhost";

export const externalPage = (url: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>External page (test stand-in)</title></head>` +
  `<body><h1>External page</h1><p data-url>${url.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p></body></html>`;

type ExternalSites = { port: number; hits: string[]; close(): Promise<void> };

async function startExternalSites(): Promise<ExternalSites> {
  const dir = mkdtempSync(join(tmpdir(), "lsp-e2e-tls-"));
  let key: Buffer;
  let cert: Buffer;
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=external sites of the e2e tests",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "pipe" },
    );
    key = readFileSync(join(dir, "key.pem"));
    cert = readFileSync(join(dir, "cert.pem"));
  } catch (error) {
    throw new Error(`The e2e tests need the openssl command for a throwaway TLS certificate: ${error}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const hits: string[] = [];
  const server = createServer({ key, cert }, (request, response) => {
    const url = `https://${request.headers.host?.replace(/:\d+$/, "")}${request.url}`;
    hits.push(url);
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(externalPage(url));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestBrowser = {
  browser: Browser;
  /** External URLs that Chromium reached through a redirect (the local HTTPS stand-in). */
  externalHits: string[];
  close(): Promise<void>;
};

/** Launches Debian's Chromium, headless and offline; external hosts resolve to the local stand-in. */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = findChromium();
  if (!executablePath)
    throw new Error("No Chromium found: install it or set CHROMIUM_PATH (see global-setup.ts).");
  const external = await startExternalSites();
  try {
    const browser = await chromium.launch({
      executablePath,
      args: [
        ...CHROMIUM_ARGS,
        `--host-resolver-rules=MAP * 127.0.0.1:${external.port}, EXCLUDE 127.0.0.1, EXCLUDE localhost`,
      ],
    });
    return {
      browser,
      externalHits: external.hits,
      close: async () => {
        await browser.close();
        await external.close();
      },
    };
  } catch (error) {
    await external.close();
    throw error;
  }
}
