/** Serialises work per key (requests of one visitor) while different keys run concurrently. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Run `task` once every earlier task of `key` has finished. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    // Nearly always nobody holds the key: then the task starts at once, without a chained promise.
    const tail = previous === undefined ? done : previous.then(() => done);
    this.tails.set(key, tail);
    if (previous !== undefined) await previous;
    try {
      return await task();
    } finally {
      release();
      // Drop the entry when nobody queued behind us, so the map does not grow with every visitor.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
