import { QueryCache } from './queryCache'
export interface QueryClientConfig { queryCache?: QueryCache }
export class QueryClient {
  #queryCache: QueryCache
  constructor(config: QueryClientConfig = {}) {
    this.#queryCache = config.queryCache || new QueryCache()
  }
  getQueryCache(): QueryCache {
    return this.#queryCache
  }
  mount(): void {
    this.#queryCache.subscribe(() => {})
  }
}
