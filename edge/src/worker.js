// The module wrangler deploys (edge/wrangler.toml `main`): the API Worker of src/index.js plus the
// Durable Object class of its analysis container. Kept apart so that src/index.js imports nothing
// but ./contract.js: Miniflare runs it as it is, with no bundler, while this module's package
// import (@cloudflare/containers) is bundled by wrangler at deploy time.

export { default } from "./index.js";
export { AnalysisContainer } from "./container.js";
