// Thread's query API on Cloudflare Workers, from D1: the same routes, parameters, pagination,
// errors, auth and JSON as `thread serve` (thread_assets/api/), so a client cannot tell which one
// answered. Everything that could drift comes from ./contract.js, generated from the Python
// contract and the sql/ files (`python -m thread_assets.api.edge`); this file only interprets it.
//
// Bindings: DB (D1, the index: schema from edge/migrations), API_TOKEN (optional secret: when set,
// every /api/ request needs `Authorization: Bearer <API_TOKEN>`).
//
// POST /api/analyze is not answered here (it parses code: no D1 behind it) but by an analysis
// backend, a `thread serve` the Worker forwards the request to, after the same token check:
//   - ANALYZER: on Cloudflare, a Durable Object namespace whose class is a Container running
//     `thread serve --analyze-only` (src/container.js, edge/wrangler.toml); ANALYZER_INSTANCES
//     (a var, default 1) spreads requests over that many containers;
//   - else ANALYZE_ORIGIN: the base URL of a `thread serve` anywhere else (a var), with
//     ANALYZE_TOKEN (a secret) as its bearer token when it has one.
// Neither: 503. The backend's answer (status, JSON, headers that matter) goes back as it is, so the
// answers are those of `thread serve`; a backend that does not answer is a 502.
//
// No Host check (`thread serve` refuses unknown host names when it has no token, against DNS
// rebinding): Cloudflare hands the Worker only the requests for its own routes and workers.dev
// name, so a rebinding page's name never reaches it.

import { CODES, MESSAGES, OPENAPI_JSON, PAGE, ROUTES, SQL } from "./contract.js";

const ROUTE = Object.fromEntries(ROUTES.map((r) => [r.name, r]));
const ALLOW = "GET, HEAD";
const PASSED_HEADERS = ["content-type", "allow", "www-authenticate"];
const DIGITS = /^[0-9]{1,10}$/;
const FILE_SYMBOLS = /^\/api\/files\/(.*)\/symbols$/s; // like Starlette's {path:path}: greedy, may hold "/"
const HEALTH = JSON.stringify({ status: "ok" });

// rows -> JSON-able values, as resources/store/rows.py `plain` does: JSON text decoded, 0/1 flags as booleans
const JSON_COLUMNS = {
  symbols: ["parameters", "generics", "decorators"],
  dep_edges: ["names", "kinds", "resolved_by"],
  cycles: ["members", "cycle_path"],
};
const BOOL_COLUMNS = { symbols: ["exported"], dep_edges: ["external", "type_only", "deferred"] };

class ApiError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

function format(template, fields) {
  return template.replace(/\{(\w+)\}/g, (_, k) => String(fields[k]));
}

function bad(kind, fields) {
  return new ApiError(400, format(MESSAGES[kind], fields));
}

function json(text, status = 200, headers = {}, head = false) {
  return new Response(head ? null : text, {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function errorResponse(status, message, headers = {}, head = false) {
  const body = JSON.stringify({ error: { status, code: CODES[String(status)], message } });
  return json(body, status, headers, head);
}

// Python's urllib.parse.unquote (what uvicorn does to the path): runs of %XX become UTF-8 bytes,
// decoded with replacement characters; anything else stays as written.
const UTF8 = new TextDecoder("utf-8");
function unquote(text) {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    return UTF8.decode(bytes);
  });
}

// ---- parameters: the rules of thread_assets/api/contract.py (parse_params, convert)

function allParams(route) {
  return route.paged ? [...route.params, ...PAGE] : route.params;
}

function parseParams(route, searchParams, pathValues) {
  const params = allParams(route);
  const allowed = new Set(params.map((p) => p.name));
  const given = new Map();
  const multiple = new Map(params.filter((p) => p.multiple).map((p) => [p.name, []]));
  for (const [name, value] of searchParams) {
    if (!allowed.has(name)) throw bad("unknown", { name });
    if (multiple.has(name)) {
      multiple.get(name).push(value);
      continue;
    }
    if (given.has(name)) throw bad("repeated", { name });
    given.set(name, value);
  }
  const out = {};
  for (const name of route.path_params) {
    out[name] = pathValues[name] ?? "";
    if (out[name] === "") throw bad("missing", { name });
  }
  for (const p of params) {
    if (p.multiple) {
      out[p.name] = multiple.get(p.name).filter((v) => v !== "");
      continue;
    }
    const raw = given.get(p.name) ?? "";
    if (raw === "") {
      if (p.required) throw bad("missing", { name: p.name });
      out[p.name] = p.default;
      continue;
    }
    out[p.name] = convert(p, raw);
  }
  return out;
}

function convert(p, raw) {
  if (p.type === "integer") {
    const n = DIGITS.test(raw) ? Number(raw) : NaN;
    if (!(n >= (p.minimum ?? 0) && n <= (p.maximum ?? 0))) {
      throw bad("integer", { name: p.name, minimum: p.minimum, maximum: p.maximum });
    }
    return n;
  }
  if (p.type === "boolean") {
    if (!["true", "false", "1", "0"].includes(raw)) throw bad("boolean", { name: p.name });
    return raw === "true" || raw === "1";
  }
  if (p.choices.length && !p.choices.includes(raw)) {
    throw bad("choice", { name: p.name, choices: p.choices.join(", ") });
  }
  return raw;
}

function page(rows, limit, offset) {
  return {
    items: rows.slice(0, limit),
    limit,
    offset,
    next_offset: rows.length > limit ? offset + limit : null,
  };
}

// ---- the store queries (resources/store/sqlbase.py), on D1

function statement(db, name, values) {
  const q = SQL[name];
  return db.prepare(q.sql).bind(...q.params.map((p) => (values[p] === undefined ? null : values[p])));
}

async function query(db, name, values) {
  return (await statement(db, name, values).all()).results;
}

// ---- cycles without type-only / deferred edges: engine/graph/deps.py find_cycles, in JavaScript
// (stored cycles are those of the whole graph; these are computed per request, as SqlStore does)

function compareArrays(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

function components(succ) {
  // Tarjan's algorithm, iterative: every strongly connected component
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  let next = 0;
  for (const start of succ.keys()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      const targets = succ.get(node);
      if (i < targets.length) {
        frame[1]++;
        const t = targets[i];
        if (t === node) continue;
        if (!index.has(t)) {
          index.set(t, next);
          low.set(t, next++);
          stack.push(t);
          onStack.add(t);
          work.push([t, 0]);
        } else if (onStack.has(t)) low.set(node, Math.min(low.get(node), index.get(t)));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        out.push(component);
      }
    }
  }
  return out;
}

function shortestCycle(start, succ, members) {
  const parent = new Map();
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    const node = queue[k];
    for (const t of succ.get(node)) {
      if (!members.has(t) || t === node) continue;
      if (t === start) {
        const path = [node];
        while (path[path.length - 1] !== start) path.push(parent.get(path[path.length - 1]));
        return [...path.reverse(), start];
      }
      if (!parent.has(t)) {
        parent.set(t, node);
        queue.push(t);
      }
    }
  }
  return [start, start];
}

function findCycles(pairs) {
  const succ = new Map();
  for (const [s, t] of pairs) {
    if (!succ.has(s)) succ.set(s, []);
    if (!succ.has(t)) succ.set(t, []);
    if (!succ.get(s).includes(t)) succ.get(s).push(t);
  }
  for (const targets of succ.values()) targets.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const cycles = [];
  for (const component of components(succ)) {
    if (component.length < 2) continue;
    const members = component.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const inside = new Set(members);
    let edges = 0;
    for (const m of members) for (const t of succ.get(m)) if (inside.has(t) && t !== m) edges++;
    cycles.push({ kind: "scc", members, cycle_path: shortestCycle(members[0], succ, inside), edge_count: edges });
  }
  const selfImports = [...succ.keys()].filter((n) => succ.get(n).includes(n)).sort();
  for (const n of selfImports) cycles.push({ kind: "self_import", members: [n], cycle_path: [n, n], edge_count: 1 });
  cycles.sort(
    (a, b) => b.members.length - a.members.length || compareArrays(a.members, b.members) || (a.kind < b.kind ? -1 : 1),
  );
  return cycles;
}

function filteredCycles(rows, skipTypeOnly, skipDeferred) {
  const byRepo = new Map();
  for (const r of rows) {
    if ((skipTypeOnly && r.type_only) || (skipDeferred && r.deferred)) continue;
    if (!byRepo.has(r.repo)) byRepo.set(r.repo, []);
    byRepo.get(r.repo).push([r.source, r.target]);
  }
  const repos = [...new Set(rows.map((r) => r.repo))].sort();
  return repos.flatMap((repo) =>
    findCycles(byRepo.get(repo) ?? []).map((c, ordinal) => ({
      repo,
      ordinal,
      kind: c.kind,
      members: c.members,
      cycle_path: c.cycle_path,
      member_count: c.members.length,
      edge_count: c.edge_count,
    })),
  );
}

function plain(table, row) {
  for (const c of JSON_COLUMNS[table] ?? []) if (row[c] != null) row[c] = JSON.parse(row[c]);
  for (const c of BOOL_COLUMNS[table] ?? []) if (row[c] != null) row[c] = Boolean(row[c]);
  return row;
}

// sqlbase.prefix_upper_bound: the smallest string above every string starting with prefix, in
// code-point order (SQLite BINARY = UTF-8 byte order)
function prefixUpperBound(prefix) {
  const chars = Array.from(prefix);
  while (chars.length) {
    let code = chars.pop().codePointAt(0) + 1;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xe000;
    if (code <= 0x10ffff) return chars.join("") + String.fromCodePoint(code);
  }
  return "\u{10ffff}".repeat(Array.from(prefix).length + 16);
}

function ratio(part, whole) {
  return whole ? part / whole : null;
}

function sortedObject(map) {
  const out = {};
  for (const key of [...map.keys()].sort(codePointCompare)) out[key] = map.get(key);
  return out;
}

function codePointCompare(a, b) {
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

// ---- the repository map: thread_assets/engine/repomap.py map_document over the stored plan
// (symbol_ranks, written by the repo_rank asset); a focus needs ranks computed per request, which
// only thread serve does

function mapDocument(rows, repo, tokens, focus) {
  const files = [];
  let text = "";
  let used = 0;
  for (const row of rows) {
    if (!files.length || files[files.length - 1].path !== row.path) {
      files.push({ path: row.path, symbols: [] });
      text += `${row.path}:\n`;
    }
    files[files.length - 1].symbols.push({
      id: row.id,
      name: row.name,
      kind: row.kind,
      line: row.start_line,
      rank: row.rank,
      text: row.line,
    });
    text += `${row.line}\n`;
    used = Math.max(used, row.cumulative_tokens);
  }
  return { repo, tokens, used, focus, files, text };
}

const HANDLERS = {
  async map(db, q) {
    if (q.focus.length) throw new ApiError(501, MESSAGES.focus_unsupported);
    let repo = q.repo;
    if (repo === null) {
      const names = (await query(db, "map_repos", {})).map((r) => r.repo);
      if (names.length > 1) {
        throw new ApiError(400, `the index holds several repositories (${names.join(", ")}): name one`);
      }
      repo = names.length ? names[0] : null;
    }
    if (repo === null) return mapDocument([], null, q.tokens, q.focus);
    return mapDocument(await query(db, "map_entries", { repo, tokens: q.tokens }), repo, q.tokens, q.focus);
  },

  async symbols(db, q) {
    const values = { name: q.name, repo: q.repo, kind: q.kind, language: q.lang, limit: q.limit + 1, offset: q.offset };
    if (q.prefix) Object.assign(values, { upper: prefixUpperBound(q.name), length: Array.from(q.name).length });
    const rows = await query(db, q.prefix ? "find_symbols_prefix" : "find_symbols", values);
    return page(rows.map((r) => plain("symbols", r)), q.limit, q.offset);
  },

  async file_symbols(db, q) {
    const values = { path: q.path, repo: q.repo, limit: q.limit + 1, offset: q.offset };
    const rows = await query(db, "file_symbols", values);
    if (!rows.length && !(await query(db, "file_exists", values))[0].files) {
      throw new ApiError(404, format(MESSAGES.no_file, { path: q.path }));
    }
    return page(rows.map((r) => plain("symbols", r)), q.limit, q.offset);
  },

  async file_symbols_query(db, q) {
    return HANDLERS.file_symbols(db, q);
  },

  async callers(db, q) {
    const values = { symbol: q.symbol, repo: q.repo, limit: q.limit + 1, offset: q.offset };
    return page(await query(db, "callers_page", values), q.limit, q.offset);
  },

  async callees(db, q) {
    const values = { symbol: q.symbol, repo: q.repo, limit: q.limit + 1, offset: q.offset };
    return page(await query(db, "callees_page", values), q.limit, q.offset);
  },

  async hierarchy(db, q) {
    const values = { symbol: q.symbol, repo: q.repo, limit: q.limit + 1, offset: q.offset };
    return page(await query(db, "hierarchy", values), q.limit, q.offset);
  },

  async implementations(db, q) {
    const values = { symbol: q.symbol, repo: q.repo, limit: q.limit + 1, offset: q.offset };
    return page(await query(db, "implementations", values), q.limit, q.offset);
  },

  async deps(db, q) {
    const ways = ["out", "in"].filter((w) => q.direction === w || q.direction === "both");
    const results = await db.batch(ways.map((w) => statement(db, `deps_${w}`, { path: q.path, repo: q.repo })));
    const rows = ways.flatMap((way, i) => results[i].results.map((r) => ({ direction: way, ...plain("dep_edges", r) })));
    return page(rows.slice(q.offset, q.offset + q.limit + 1), q.limit, q.offset);
  },

  async cycles(db, q) {
    const rows =
      q.skip_type_only || q.skip_deferred
        ? filteredCycles(await query(db, "dep_pairs", { repo: q.repo }), q.skip_type_only, q.skip_deferred)
        : (await query(db, "cycles", { repo: q.repo })).map((r) => plain("cycles", r));
    return page(rows.slice(q.offset, q.offset + q.limit + 1), q.limit, q.offset);
  },

  async stats(db, q) {
    const values = { repo: q.repo };
    const [groupsResult, countsResult, cyclesResult, verdictsResult] = await db.batch([
      statement(db, "stats_files", values),
      statement(db, "stats_counts", values),
      statement(db, "cycles", values),
      statement(db, "stats_verdicts", values),
    ]);
    const verdicts = {};
    for (const v of verdictsResult.results) (verdicts[v.language] ??= {})[v.verdict] = v.n;
    const totalCalls = Object.values(verdicts).reduce((n, v) => n + Object.values(v).reduce((a, b) => a + b, 0), 0);
    const resolvedCalls = Object.values(verdicts).reduce((n, v) => n + (v.resolved ?? 0), 0);
    const groups = groupsResult.results;
    const counts = countsResult.results[0];
    const byLanguage = new Map();
    const byStatus = new Map();
    for (const g of groups) {
      const lang = g.language !== null ? g.language : "unknown";
      byLanguage.set(lang, (byLanguage.get(lang) ?? 0) + g.files);
      byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + g.files);
    }
    const inCycles = new Set();
    for (const c of cyclesResult.results) for (const m of JSON.parse(c.members)) inCycles.add(m);
    const resolved = counts.resolved_internal + counts.resolved_external;
    const sum = (key) => groups.reduce((n, g) => n + g[key], 0);
    return {
      repo: q.repo,
      files: sum("files"),
      files_by_language: sortedObject(byLanguage),
      files_by_status: sortedObject(byStatus),
      symbols: counts.symbols,
      imports: counts.imports,
      unused_imports: counts.unused_imports,
      calls: counts.calls,
      pattern_matches: counts.pattern_matches,
      import_resolutions: {
        total: counts.resolutions,
        internal: counts.resolved_internal,
        external: counts.resolved_external,
        unresolved: counts.resolutions - resolved,
        ratio: ratio(resolved, counts.resolutions),
      },
      call_resolution: {
        total: totalCalls,
        resolved: resolvedCalls,
        ratio: ratio(resolvedCalls, totalCalls),
        edges: counts.call_edges,
      },
      call_verdicts: verdicts,
      dep_edges: counts.dep_edges,
      cycles: counts.cycles,
      files_in_cycles: inCycles.size,
      parse_errors: {
        failed_files: byStatus.get("error") ?? 0,
        files_with_syntax_errors: sum("with_syntax_errors"),
        error_nodes: sum("error_nodes"),
      },
    };
  },
};

// ---- auth: constant-time comparison of the bearer token (thread_assets/api/app.py BearerAuth)

const ENCODER = new TextEncoder();
function sameSecret(a, b) {
  const x = ENCODER.encode(a);
  const y = ENCODER.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function authProblem(request, token) {
  const header = request.headers.get("authorization");
  if (header === null) return "no_token";
  const space = header.indexOf(" ");
  const scheme = space < 0 ? header : header.slice(0, space);
  const credentials = space < 0 ? "" : header.slice(space + 1).trim();
  if (scheme.toLowerCase() !== "bearer" || !credentials) return "no_token";
  return sameSecret(credentials, token) ? null : "bad_token";
}

// ---- dispatch

function match(path) {
  for (const r of ROUTES) {
    if (!r.path_params.length) {
      if (r.path === path) return [r, {}];
    } else {
      const m = FILE_SYMBOLS.exec(path);
      if (m) return [r, { [r.path_params[0]]: m[1] }];
    }
  }
  return [null, {}];
}

// ---- /api/analyze: forwarded to the analysis backend

function analysisBackend(env) {
  if (env.ANALYZER) {
    // one of N containers, picked at random (what @cloudflare/containers' getRandom does)
    const instances = Math.max(1, Number.parseInt(env.ANALYZER_INSTANCES ?? "1", 10) || 1);
    const name = `analyzer-${Math.floor(Math.random() * instances)}`;
    return { stub: env.ANALYZER.get(env.ANALYZER.idFromName(name)), base: "http://analyzer" };
  }
  if (env.ANALYZE_ORIGIN) return { stub: null, base: env.ANALYZE_ORIGIN.replace(/\/+$/, "") };
  return null;
}

async function analyze(request, env, url, route) {
  const backend = analysisBackend(env);
  if (!backend) return errorResponse(503, MESSAGES.no_analyzer);
  const headers = new Headers();
  for (const name of ["content-type", "content-length", "authorization"]) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (env.ANALYZE_TOKEN) headers.set("authorization", `Bearer ${env.ANALYZE_TOKEN}`);
  else if (env.API_TOKEN || backend.stub) headers.delete("authorization"); // the Worker's token is not the backend's
  const forwarded = new Request(backend.base + route.path + url.search, { method: "POST", headers, body: request.body });
  let answer;
  try {
    answer = await (backend.stub ? backend.stub.fetch(forwarded) : fetch(forwarded));
  } catch (error) {
    console.error("analysis backend failed:", error?.stack ?? error);
    return errorResponse(502, MESSAGES.analyzer_unreachable);
  }
  const out = new Headers();
  for (const name of PASSED_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  return new Response(answer.body, { status: answer.status, headers: out });
}

async function handle(request, env) {
  const url = new URL(request.url);
  const path = unquote(url.pathname);
  const head = request.method === "HEAD";
  if (env.API_TOKEN && path.startsWith("/api/")) {
    const problem = authProblem(request, env.API_TOKEN);
    if (problem) return errorResponse(401, MESSAGES[problem], { "www-authenticate": "Bearer" }, head);
  }
  const [route, pathValues] = match(path);
  if (!route) return errorResponse(404, MESSAGES.no_route, {}, head);
  if (route.method === "POST") {
    if (request.method !== "POST") return errorResponse(405, format(MESSAGES.method, { allow: "POST" }), { allow: "POST" }, head);
    return analyze(request, env, url, route);
  }
  if (request.method !== "GET" && !head) {
    return errorResponse(405, format(MESSAGES.method, { allow: "GET" }), { allow: ALLOW });
  }
  if (route.name === "health") return json(HEALTH, 200, {}, head);
  if (route.name === "openapi") return json(OPENAPI_JSON, 200, {}, head);
  try {
    const params = parseParams(route, url.searchParams, pathValues);
    const body = await HANDLERS[route.name](env.DB, params);
    return json(JSON.stringify(body), 200, {}, head);
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error.status, error.message, error.headers, head);
    throw error;
  }
}

export default {
  async fetch(request, env) {
    try {
      return await handle(request, env);
    } catch (error) {
      console.error("query failed:", request.method, new URL(request.url).pathname, error?.stack ?? error);
      return errorResponse(500, MESSAGES.internal);
    }
  },
};
