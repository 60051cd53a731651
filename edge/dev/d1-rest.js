// The Cloudflare D1 REST API over a real (local) D1 database, for tests and local development:
//   POST .../accounts/:account/d1/database/:database/query   rows as objects, with meta
//   POST .../accounts/:account/d1/database/:database/raw     rows as arrays {columns, rows}
// Body {"sql", "params"} or {"batch": [{"sql", "params"}, ...]} (a batch is one transaction).
// Answers in D1's response shape {result, success, errors, messages}: SQL errors are HTTP 400 with
// success:false and errors:[{code: 7500, message}], a wrong token 403 (code 10000), an unknown
// account or database 404 (code 7404). D1's per-statement limits are enforced the way D1 does
// (100 bound parameters, 100 KB of SQL text, 2 MB per bound string), so a client that passes here
// stays within them on Cloudflare. Bindings: DB (the D1 database), TOKEN, ACCOUNT, DATABASE_ID.

const ROUTE = /\/accounts\/([^/]+)\/d1\/database\/([^/]+)\/(query|raw)\/?$/;
const MAX_PARAMS = 100;
const MAX_SQL_BYTES = 100_000;
const MAX_VALUE_BYTES = 2_000_000;
const encoder = new TextEncoder();

function reply(status, body) {
  return Response.json({ result: [], success: false, errors: [], messages: [], ...body }, { status });
}

function fail(status, code, message) {
  return reply(status, { errors: [{ code, message }] });
}

function checkLimits({ sql, params }) {
  if (typeof sql !== "string" || !sql.trim()) return "No SQL statements detected.";
  if (encoder.encode(sql).length > MAX_SQL_BYTES) return "statement too long: SQLITE_TOOBIG";
  if (params !== undefined && params !== null && !Array.isArray(params)) return "params must be an array";
  const values = params ?? [];
  if (values.length > MAX_PARAMS) return `too many SQL variables (${values.length} > ${MAX_PARAMS}): SQLITE_ERROR`;
  for (const value of values) {
    if (typeof value === "string" && encoder.encode(value).length > MAX_VALUE_BYTES)
      return "string or blob too big: SQLITE_TOOBIG";
  }
  return null;
}

function sqlError(error) {
  const message = String(error && error.message ? error.message : error).replace(/^D1_ERROR:\s*/, "");
  return fail(400, 7500, message.replace(/^Error:\s*/, ""));
}

function rawShape(result) {
  // a batch comes back as objects: turn them into {columns, rows} like /raw does
  const rows = result.results ?? [];
  const columns = rows.length ? Object.keys(rows[0]) : [];
  return { ...result, results: { columns, rows: rows.map((r) => columns.map((c) => r[c])) } };
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const match = pathname.match(ROUTE);
    if (!match) return fail(404, 7003, `Could not route to ${pathname}, perhaps your object identifier is invalid?`);
    if (request.method !== "POST") return fail(405, 10000, "Method not allowed");
    if ((request.headers.get("authorization") ?? "") !== `Bearer ${env.TOKEN}`)
      return fail(403, 10000, "Authentication error");
    const [, account, database, mode] = match;
    if (account !== env.ACCOUNT || database !== env.DATABASE_ID)
      return fail(404, 7404, `The database ${database} could not be found in account ${account}`);
    let body;
    try {
      body = await request.json();
    } catch {
      return fail(400, 7400, "The request body is not valid JSON");
    }
    const batch = Array.isArray(body?.batch);
    const queries = batch ? body.batch : [body];
    if (!queries.length) return fail(400, 7500, "No SQL statements detected.");
    for (const query of queries) {
      const problem = checkLimits(query ?? {});
      if (problem) return fail(400, 7500, problem);
    }
    const statements = queries.map(({ sql, params }) => env.DB.prepare(sql).bind(...(params ?? [])));
    try {
      if (batch) {
        const results = await env.DB.batch(statements);
        return reply(200, { success: true, result: mode === "raw" ? results.map(rawShape) : results });
      }
      if (mode === "raw") {
        const [columns, ...rows] = await statements[0].raw({ columnNames: true });
        return reply(200, { success: true, result: [{ results: { columns: columns ?? [], rows }, success: true, meta: {} }] });
      }
      return reply(200, { success: true, result: [await statements[0].all()] });
    } catch (error) {
      return sqlError(error);
    }
  },
};
