// The core's event hub: handlers publish ApiEvents, transports (SSE, IPC) subscribe and forward them.

import type { ApiEvent } from '../api/index.js';

export class EventHub {
  private readonly listeners = new Set<(e: ApiEvent) => void>();

  /** Sends `event` to every subscriber; a failing subscriber is dropped and never stops the others. */
  publish(event: ApiEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        this.listeners.delete(listener);
        process.emitWarning(`voxlab: an event subscriber failed and was removed: ${(e as Error).message}`);
      }
    }
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
