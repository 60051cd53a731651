export class Subscriber<T> {
  next(value: T): void {}
  complete(): void {}
}

export class Observable<T> {
  constructor(private subscribe: (subscriber: Subscriber<T>) => void) {}
}

export function operate<T>(init: (source: Observable<T>, subscriber: Subscriber<T>) => void) {
  return init;
}

export function schedule(work: (this: Subscriber<number>, state: number) => void) {}
