class Logger {
  log() {}
}

class Service {
  constructor() {
    this.logger = new Logger();
  }
  run() {
    this.logger.log();
    console.log("done");
  }
}

export function start() {
  const s = new Service();
  s.run();
}
