export class Emitter {
  constructor(protected name: string) {}
  hasListeners(): boolean { return true; }
  emit(event: string): void {}
}
