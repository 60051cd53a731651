import { Observable, operate, schedule } from "./operate";

export function take(count: number) {
  return operate((source, subscriber) => {
    subscriber.next(count);
  });
}

export function of(value: number) {
  return new Observable<number>((subscriber) => {
    subscriber.next(value);
    subscriber.complete();
  });
}

export function loop() {
  schedule(function (state) {
    this.complete();
  });
  [1, 2].forEach((n) => n.toFixed());
}
