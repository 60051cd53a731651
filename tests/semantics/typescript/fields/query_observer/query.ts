import type { QueryObserver } from './queryObserver'
export class Query {
  observers: Array<QueryObserver> = []
  addObserver(observer: QueryObserver): void {
    this.observers.push(observer)
    this.observers.forEach((o) => o.onQueryUpdate())
  }
}
