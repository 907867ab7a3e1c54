import { rm } from 'node:fs/promises';
import type { Logger } from '../../log.js';
import type { BulkJobRow } from './models.js';
import { runExport, type ExportDeps } from './run-export.js';

/**
 * Runs queued export jobs one at a time, outside any request, in the server process. A job a
 * stopped server left `running` is queued again on start and resumes from its checkpoint, so
 * none hangs.
 */
export class BulkWorker {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private lastSweep = 0;

  constructor(
    private readonly deps: Omit<ExportDeps, 'stopping'>,
    private readonly log: Logger,
    private readonly pollMs = 2000,
    private readonly sweepMs = 60_000,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** A job was queued: look now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Finishes the current page, puts the job back in the queue (its checkpoint kept) and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    try {
      const requeued = await this.deps.jobs.requeueRunning();
      if (requeued) this.log.info({ jobs: requeued }, 'bulk export jobs queued again after a restart');
    } catch (error) {
      this.log.error({ err: error }, 'bulk export jobs could not be queued again');
    }
    while (!this.stopped) {
      try {
        if (Date.now() - this.lastSweep >= this.sweepMs) await this.sweep();
        const job = await this.deps.jobs.claimNext();
        if (job) {
          await this.execute(job);
          continue;
        }
      } catch (error) {
        if (!this.stopped) this.log.error({ err: error }, 'bulk export worker');
      }
      await this.sleep();
    }
  }

  private async execute(job: BulkJobRow): Promise<void> {
    try {
      const end = await runExport({ ...this.deps, stopping: () => this.stopped }, job);
      if (end === 'stopped') await this.deps.jobs.setQueued(job.id);
      this.log.info({ job: job.id, end }, 'bulk export job ended');
    } catch (error) {
      this.log.error({ err: error, job: job.id }, 'bulk export job failed');
      // the detail stays in the log; the client sees a generic message
      await this.deps.jobs.fail(job.id, 'the export failed on the server');
    }
  }

  /** Deletes expired jobs and their files (an expired job then answers 404). */
  async sweep(now = new Date()): Promise<void> {
    this.lastSweep = Date.now();
    for (const job of await this.deps.jobs.expired(now)) {
      await rm(this.deps.dirOf(job.id), { recursive: true, force: true });
      await this.deps.jobs.remove(job.id);
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.wakeUp = done;
    });
  }
}
