/**
 * The session's grading queue: one grading at a time, in the order asked. Asking again for an
 * exercise already waiting adds nothing, so saves that arrive during a grading give exactly one
 * more grading, which reads the newest content.
 */

export interface GradingJob {
  id: string;
  /** Replay this token instead of searching (`check --replay`). */
  replay?: string;
}

/** One grading at a time, in order; a job already waiting is not queued twice. */
export class GradingQueue {
  private readonly queue: GradingJob[] = [];
  private running: GradingJob | null = null;
  private drained: Promise<void> = Promise.resolve();

  /** `run` grades one job; it must not throw (a failure is a verdict). */
  constructor(private readonly run: (job: GradingJob) => Promise<void>) {}

  request(job: GradingJob): void {
    if (this.queue.some((w) => w.id === job.id && w.replay === job.replay)) return;
    this.queue.push(job);
    if (!this.running) this.drained = this.drain();
  }

  /** The job being graded, if any. */
  get current(): GradingJob | null {
    return this.running;
  }

  /** Whether a grading of `id` waits its turn. */
  waiting(id: string): boolean {
    return this.queue.some((job) => job.id === id);
  }

  /** Resolves once nothing is graded or waiting. */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0) await this.drained;
  }

  /** Forget what waits; the grading under way finishes. */
  clear(): void {
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      this.running = job;
      try {
        await this.run(job);
      } finally {
        this.running = null;
      }
    }
  }
}
