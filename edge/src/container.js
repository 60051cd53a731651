// The analysis backend on Cloudflare: a Container (a Durable Object class from
// @cloudflare/containers) running the Thread image with `thread serve --analyze-only`. The Worker
// (src/index.js) forwards POST /api/analyze to one of these through the ANALYZER binding; the
// container is reachable only that way, so it needs no token and answers any Host name.
// Configured in edge/wrangler.toml ([[containers]], the ANALYZER binding and its migration).

import { Container } from "@cloudflare/containers";

export const ANALYZER_PORT = 8000;

export class AnalysisContainer extends Container {
  defaultPort = ANALYZER_PORT;
  // idle containers stop (and cost nothing) after this; the next request starts one (cold start)
  sleepAfter = "10m";
  // the Dockerfile's entrypoint runs `thread`: these are its arguments
  entrypoint = [
    "thread",
    "serve",
    "--analyze-only",
    "--host",
    "0.0.0.0",
    "--port",
    String(ANALYZER_PORT),
    "--allowed-host",
    "*",
  ];
  enableInternet = false; // analysis needs no network
  pingEndpoint = "localhost/health";
}
