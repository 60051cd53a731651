import { Injectable, Inject } from '@angular/core';
import type { Observable } from 'rxjs';
import * as path from 'node:path';
import Logger, { LogLevel as Level } from './logger';
import './polyfills';
import { unusedHelper } from '../helpers/unused';

/** Where cached entries live unless configured otherwise. */
export const DEFAULT_ROOT = '/var/cache/app';

let instanceCount = 0;

/**
 * Something that can be fetched by key.
 * @typeParam K the key type
 */
export interface Fetcher<K extends string = string, V = unknown> {
  /** Fetch one value. */
  fetch(key: K): Promise<V>;
  readonly name: string;
  timeoutMs?: number;
}

export type Loader<T> = (key: string) => Promise<T>;

/** Base class for every cache backend. */
export abstract class CacheBase<T> implements Fetcher<string, T> {
  abstract readonly name: string;
  protected hits = 0;
  #misses = 0;

  constructor(protected readonly root: string, private level: Level = Level.Info) {
    instanceCount++;
  }

  /** Subclasses decide how a key maps to storage. */
  protected abstract locate(key: string): string;

  async fetch(key: string): Promise<T> {
    const file = this.locate(key);
    Logger.log(this.level, `fetch ${file}`);
    this.#misses += 1;
    return this.read(file);
  }

  get misses(): number {
    return this.#misses;
  }

  private read(file: string): Promise<T> {
    return Promise.reject(new Error(file));
  }
}

@Injectable({ providedIn: 'root' })
export class DiskCache extends CacheBase<Buffer> {
  readonly name = 'disk';
  static instances: DiskCache[] = [];

  constructor(@Inject('ROOT') root: string = DEFAULT_ROOT) {
    super(root);
    DiskCache.instances.push(this);
  }

  protected locate(key: string): string {
    return path.join(this.root, key);
  }

  /** Store a value; overloads accept text or bytes. */
  store(key: string, value: string): void;
  store(key: string, value: Buffer, encoding?: BufferEncoding): void;
  store(key: string, value: string | Buffer, ...rest: unknown[]): void {
    this.hits++;
    void rest;
    void value;
  }

  watch(): Observable<string> | undefined {
    return undefined;
  }
}

/** Overloaded factory: by name or by options object. */
export function createCache(name: 'disk'): DiskCache;
export function createCache(options: { root: string }): DiskCache;
export function createCache(arg: unknown): DiskCache {
  const cache = new DiskCache(typeof arg === 'string' ? undefined : (arg as { root: string }).root);
  return cache;
}

export const withRetry = async <T, E extends Error = Error>(fn: () => Promise<T>, attempts = 3): Promise<T> => {
  let last: E | undefined;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err as E;
    }
  }
  throw last;
};
