import { Subscribable } from './subscribable'
import { Query } from './query'
import type { QueryClient } from './queryClient'
type Listener = () => void
export class QueryCache extends Subscribable<Listener> {
  #queries = new Map<string, Query>()
  build(client: QueryClient, options: object): Query {
    let query = this.#queries.get('x')
    if (!query) {
      query = new Query()
      this.#queries.set('x', query)
    }
    return query
  }
}
