/**
 * The work under way in the main process (IPC calls, a scheduled backup, the start-up check), so
 * quitting can let it finish before the database is closed: a backup or a restore cut off by a
 * quit would leave a partial file and a person who thinks their backup was made.
 */
export class WorkTracker {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  get count(): number {
    return this.running.size;
  }

  /** Resolves once nothing is running (work started meanwhile is waited for too), or after `timeoutMs`. */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
      await Promise.race([Promise.allSettled([...this.running]), timeout]);
      clearTimeout(timer);
    }
    return true;
  }
}
