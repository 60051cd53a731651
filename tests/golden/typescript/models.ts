export { Subject, BehaviorSubject as Behavior } from 'rxjs';
export * from './operators';
export * as testing from './testing/index';
import { strict as assert } from 'assert';
import fs = require('fs');

/** Status of a job as stored in the database. */
export enum JobStatus {
  Queued,
  Running = 'running',
  /** Terminal state. */
  Done = 1 << 4,
}

const enum Flags {
  None = 0,
  Verbose = 1,
}

export type JobId = string & { readonly __brand: 'JobId' };
type Handler<T extends object = {}> = (event: T) => void;

/** Everything about jobs lives here. */
export namespace Jobs {
  export const MAX_RETRIES = 5;

  export interface Job {
    id: JobId;
    status: JobStatus;
    run(): Promise<void>;
  }

  export namespace Internal {
    export function requeue(job: Job): Job {
      return { ...job, status: JobStatus.Queued };
    }
  }

  function log(message: string): void {
    console.log(message);
  }

  export function start(job: Job, handler?: Handler<Job>): void {
    log(`starting ${job.id}`);
    handler?.(job);
    job.run().then(() => Internal.requeue(job));
  }
}

declare module 'express' {
  interface Request {
    jobId?: JobId;
  }
}

declare global {
  interface Window {
    jobs: Jobs.Job[];
  }
}

declare function fetchJob(id: JobId): Promise<Jobs.Job>;
declare const BUILD_ID: string;

export default class Registry<K extends string, V extends Jobs.Job = Jobs.Job> {
  private readonly entries = new Map<K, V>();
  private onChange: Handler<V> = () => {};

  register(key: K, value: V): this {
    assert(!this.entries.has(key), 'duplicate key');
    this.entries.set(key, value);
    this.onChange(value);
    return this;
  }

  async load(key: K): Promise<V | undefined> {
    const { parse } = await import('./parser');
    const raw = fs.readFileSync(`${key}.json`, 'utf8');
    return parse(raw) as V;
  }

  *keys(): IterableIterator<K> {
    yield* this.entries.keys();
  }
}

export const flags = Flags.Verbose | Flags.None;
export { fetchJob as loadJob };
