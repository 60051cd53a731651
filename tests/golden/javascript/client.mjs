import EventEmitter from 'node:events';
import { readFile, writeFile as write } from 'fs/promises';
import * as http from './http.js';
import defaults, { retry } from '../config/defaults.js';
import 'dotenv/config';
export { Transport } from './transport.js';
export * from './errors.js';

/** Requests sent before the client was closed. */
export let pending = 0;
export const VERSION = '2.1.0', USER_AGENT = `client/${VERSION}`;

/**
 * A small HTTP client.
 * @extends EventEmitter
 */
export class Client extends EventEmitter {
  static #instances = 0;
  baseUrl;
  timeout = defaults.timeout;
  #token = null;
  onError = (err) => this.emit('error', err);

  constructor(baseUrl, { token, timeout = 5000 } = {}) {
    super();
    this.baseUrl = baseUrl;
    this.#token = token;
    this.timeout = timeout;
    Client.#instances++;
  }

  /** Authorisation header, if a token is set. */
  get #auth() {
    return this.#token ? { Authorization: `Bearer ${this.#token}` } : {};
  }

  set token(value) {
    this.#token = value;
  }

  async request(method, path, ...bodyParts) {
    pending += 1;
    const res = await retry(() => http.send(method, this.baseUrl + path, this.#auth, bodyParts), 3);
    pending -= 1;
    return res?.json?.();
  }

  async *pages(path) {
    let next = path;
    while (next) {
      const page = await this.request('GET', next);
      yield page.items;
      next = page.next;
    }
  }

  static create(url) {
    return new Client(url);
  }
}

export async function saveConfig(file, config = {}) {
  await write(file, JSON.stringify(config, null, 2));
  const { format } = await import('./format.js');
  return format`saved ${file}`;
}

export default function connect(url) {
  return Client.create(url);
}

const loadPlugins = async function (names) {
  return Promise.all(names.map((n) => import(`./plugins/${n}.js`)));
};
