import { Subscribable } from './subscribable'
import type { Query } from './query'
import type { QueryClient } from './queryClient'
type Listener = () => void
export class QueryObserver extends Subscribable<Listener> {
  #client: QueryClient
  #currentQuery!: Query
  constructor(client: QueryClient, public options: object) {
    super()
    this.#client = client
    this.bindMethods()
  }
  protected bindMethods(): void {
    this.refetch = this.refetch.bind(this)
  }
  protected onSubscribe(): void {
    if (this.hasListeners()) {
      this.#currentQuery.addObserver(this)
    }
    this.#updateQuery()
  }
  #updateQuery(): void {
    const query = this.#client.getQueryCache().build(this.#client, this.options)
    query.addObserver(this)
    this.#currentQuery = query
  }
  onQueryUpdate(): void {}
  refetch(): void {}
}
