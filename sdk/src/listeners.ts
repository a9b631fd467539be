/** A set of callbacks: add returns the remover; emit isolates each listener's errors. */

/** Rethrows a callback's error outside the caller's flow, so one bad listener cannot break it. */
export function safeCall(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    setTimeout(() => {
      throw err;
    });
  }
}

export class Listeners<T> {
  #set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.#set]) safeCall(() => listener(value));
  }
}
