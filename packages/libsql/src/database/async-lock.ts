/** A first-come, first-served async mutex. */
export class AsyncLock {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every earlier holder has finished, and releases the lock after it. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work, work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

// One lock per database file for the whole process. libSQL runs local statements
// synchronously, so a connection waiting in SQLite's busy handler blocks the event loop: if
// the lock holder were another client of this same process, it could never finish and the
// wait would always time out. Serializing same-file work in JavaScript keeps SQLite's busy
// timeout for what it is meant for, other processes.
const fileLocks = new Map<string, AsyncLock>();

/** The process-wide lock of the database file at `path` (an absolute path). */
export function lockForFile(path: string): AsyncLock {
  let lock = fileLocks.get(path);
  if (!lock) {
    lock = new AsyncLock();
    fileLocks.set(path, lock);
  }
  return lock;
}

const clientLocks = new WeakMap<object, AsyncLock>();

/**
 * The lock of a client whose database has no file (`:memory:`): it lives on the client's one
 * connection, so every adapter sharing that client takes turns on it.
 */
export function lockForClient(client: object): AsyncLock {
  let lock = clientLocks.get(client);
  if (!lock) {
    lock = new AsyncLock();
    clientLocks.set(client, lock);
  }
  return lock;
}
