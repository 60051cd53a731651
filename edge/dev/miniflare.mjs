// A real local Cloudflare D1, offline: Miniflare (workerd + D1 on SQLite) with
//   - the D1 REST shim (dev/d1-rest.js) on --port: the Python D1 store talks to it exactly as to
//     https://api.cloudflare.com/client/v4 (only the base URL and the token differ);
//   - the API Worker (src/index.js), if that file exists, on --api-port, bound to the SAME D1
//     database (same d1Databases id), so it reads what the Python client wrote.
// Prints one JSON line when ready: {"rest_base", "api_url", "account", "database", "persist"}.
// Stops cleanly on SIGTERM, SIGINT or when stdin closes.
//
//   node dev/miniflare.mjs [--port 0] [--api-port 0] [--persist DIR] [--account ID] [--database ID]
//                          [--api-script src/index.js]
// The REST shim's bearer token comes from $THREAD_D1_TOKEN (never printed; default
// "local-dev-token"); $THREAD_API_TOKEN, if set, becomes the API Worker's API_TOKEN secret.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

process.env.WRANGLER_SEND_METRICS = "false";
const { Miniflare } = await import("miniflare");

const EDGE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    "api-port": { type: "string", default: "0" },
    persist: { type: "string" },
    account: { type: "string", default: "local-account" },
    database: { type: "string", default: "00000000-0000-4000-8000-000000000d1d" },
    "compatibility-date": { type: "string", default: "2025-09-01" },
    "api-script": { type: "string" },
  },
});
const token = process.env.THREAD_D1_TOKEN || "local-dev-token";

// what the API Worker needs from edge/wrangler.toml (owned by the API engineer), read minimally:
// the D1 binding name, compatibility date and flags, and plain string [vars]
function wranglerConfig() {
  const path = join(EDGE, "wrangler.toml");
  const config = { binding: "DB", compatibilityDate: args["compatibility-date"], compatibilityFlags: [], vars: {} };
  if (!existsSync(path)) return config;
  const text = readFileSync(path, "utf8");
  const binding = text.match(/\[\[\s*d1_databases\s*\]\][^[]*?\bbinding\s*=\s*"([^"]+)"/);
  if (binding) config.binding = binding[1];
  const date = text.match(/^\s*compatibility_date\s*=\s*"([^"]+)"/m);
  if (date) config.compatibilityDate = date[1];
  const flags = text.match(/^\s*compatibility_flags\s*=\s*\[([^\]]*)\]/m);
  if (flags) config.compatibilityFlags = [...flags[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const vars = text.match(/^\s*\[vars\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m);
  if (vars) {
    for (const m of vars[1].matchAll(/^\s*([A-Za-z_][\w]*)\s*=\s*"([^"]*)"\s*$/gm)) config.vars[m[1]] = m[2];
  }
  return config;
}

const D1_ID = `thread-${args.database}`; // the one database both workers bind
const apiScript = args["api-script"] ? resolve(args["api-script"]) : join(EDGE, "src", "index.js");
if (args["api-script"] && !existsSync(apiScript)) {
  process.stderr.write(`no API Worker at ${apiScript}\n`);
  process.exit(2);
}
const workers = [
  {
    name: "d1-rest",
    modules: true,
    scriptPath: join(EDGE, "dev", "d1-rest.js"),
    compatibilityDate: args["compatibility-date"],
    d1Databases: { DB: D1_ID },
    bindings: { TOKEN: token, ACCOUNT: args.account, DATABASE_ID: args.database },
  },
];
if (existsSync(apiScript)) {
  const config = wranglerConfig();
  workers.push({
    name: "api",
    modules: true,
    modulesRules: [{ type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    scriptPath: apiScript,
    // module names are relative to this root: edge/ for src/index.js (it may import ../shared)
    modulesRoot: apiScript.startsWith(EDGE + "/") ? EDGE : dirname(apiScript),
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    d1Databases: { [config.binding]: D1_ID },
    bindings: process.env.THREAD_API_TOKEN ? { ...config.vars, API_TOKEN: process.env.THREAD_API_TOKEN } : config.vars,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: Number(args["api-port"]) }],
  });
}

const mf = new Miniflare({
  host: "127.0.0.1",
  port: Number(args.port),
  cf: false, // else Miniflare fetches request.cf data from the internet at start
  d1Persist: args.persist ? resolve(args.persist) : false,
  workers,
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  // dispose stops workerd; after a failed start it may never settle: exit within 5 s regardless
  const timeout = new Promise((done) => setTimeout(done, 5000).unref());
  try {
    await Promise.race([mf.dispose(), timeout]);
  } catch {
    // exiting anyway
  } finally {
    process.exit(code);
  }
}
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
process.stdin.on("end", () => stop(0));
process.stdin.on("error", () => stop(0));
process.stdin.resume();

try {
  const url = await mf.ready;
  const apiUrl = workers.length > 1 ? (await mf.unsafeGetDirectURL("api")).href.replace(/\/$/, "") : null;
  process.stdout.write(
    JSON.stringify({
      rest_base: new URL("/client/v4", url).href,
      api_url: apiUrl,
      account: args.account,
      database: args.database,
      persist: args.persist ? resolve(args.persist) : null,
    }) + "\n",
  );
} catch (error) {
  if (stopping) process.exit(0);
  process.stderr.write(`miniflare failed to start: ${error?.stack ?? error}\n`);
  await stop(1);
}
