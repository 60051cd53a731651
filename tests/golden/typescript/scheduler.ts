import { Subscription } from '../Subscription';
import type { SchedulerAction, TimestampProvider } from '../types';
import { dateTimestampProvider } from './dateTimestampProvider';
import * as timers from './timers';

/**
 * An execution context and a data structure to order tasks and schedule their
 * execution.
 */
export class Scheduler implements TimestampProvider {
  public static now: () => number = dateTimestampProvider.now;

  constructor(private schedulerActionCtor: typeof Action, now: () => number = Scheduler.now) {
    this.now = now;
  }

  public now: () => number;

  /** Schedule `work` after `delay` milliseconds. */
  public schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay: number = 0, state?: T): Subscription {
    return new this.schedulerActionCtor<T>(this, work).schedule(state, delay);
  }
}

export class Action<T> extends Subscription {
  protected pending = false;
  private _delay = 0;

  constructor(protected scheduler: Scheduler, protected work: (this: SchedulerAction<T>, state?: T) => void) {
    super();
  }

  get delay(): number {
    return this._delay;
  }

  set delay(value: number) {
    this._delay = Math.max(0, value);
  }

  public schedule(state?: T, delay: number = 0): Subscription {
    this.delay = delay;
    const id = timers.setInterval(/* handler */ () => this.execute(state), delay);
    return new Subscription(() => timers.clearInterval(id));
  }

  protected execute(state?: T): void {
    this.work.call(this as unknown as SchedulerAction<T>, state);
  }

  override unsubscribe(): void {
    this.pending = false;
    super.unsubscribe();
  }
}

export const animationFrameScheduler = new (class AnimationFrameScheduler extends Scheduler {
  flush(action?: Action<unknown>): void {
    this.actions?.forEach((a) => a.execute(undefined));
  }
  private actions?: Action<unknown>[];
})(Action);

export interface Registry {
  [name: string]: Scheduler | undefined;
  (name: string): Scheduler;
  new (ctor: typeof Action): Scheduler;
}

export function isScheduler(value: any): value is Scheduler {
  return value instanceof Scheduler || typeof value?.schedule === 'function';
}

export function assertScheduler(value: unknown): asserts value is Scheduler {
  if (!isScheduler(value)) throw new TypeError('not a scheduler');
}

declare class NativeScheduler {
  postTask(callback: () => void, options?: { delay?: number }): Promise<void>;
}
