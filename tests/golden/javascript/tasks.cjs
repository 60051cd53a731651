#!/usr/bin/env node
'use strict';

const path = require('path');
const { promisify } = require('util');
const { exec: run, spawn } = require('child_process');
const chalk = require('chalk').default;
const unusedLib = require('lodash');
require('./register');

/**
 * Default options for every task.
 */
const DEFAULTS = {
  cwd: process.cwd(),
  verbose: false,
  retries: 2,
};

var registry = new Map();

/** Register a task under a name. */
function task(name, fn, options) {
  registry.set(name, { fn, options: Object.assign({}, DEFAULTS, options) });
  return registry.get(name);
}

function* orderedNames() {
  yield* [...registry.keys()].sort();
}

async function runTask(name) {
  const entry = registry.get(name);
  if (!entry) {
    throw new Error(`unknown task ${name}`);
  }
  const execAsync = promisify(run);
  const started = Date.now();
  try {
    await entry.fn(entry.options);
    log(chalk.green(`done ${name}`), Date.now() - started);
  } catch (err) {
    log(chalk.red(err.message));
    process.exitCode = 1;
  }
  return execAsync;
}

function log(message, elapsed) {
  const suffix = elapsed === undefined ? '' : ` (${elapsed} ms)`;
  console.log(`${message}${suffix}`);
}

function Watcher(dir) {
  this.dir = path.resolve(dir);
  this.handlers = [];
  this.onChange = function (file) {
    this.handlers.forEach((h) => h(file));
  };
}

Watcher.prototype.start = function () {
  const child = spawn('inotifywait', ['-m', this.dir]);
  child.stdout.on('data', (buf) => this.onChange(String(buf).trim()));
  return child;
};

exports.task = task;
exports.runAll = async function runAll() {
  for (const name of orderedNames()) {
    await runTask(name);
  }
};

module.exports.Watcher = Watcher;
module.exports = { task, runTask, log, Watcher };
