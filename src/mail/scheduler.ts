/**
 * The mail scheduler of a server process (croner): at start and then every minute it sends the
 * due e-mail reports, every ten minutes it checks conversion goals. Any number of processes may run it at once —
 * every send is claimed in the metadata store first (`report-sender.ts`, `goal-notifier.ts`).
 *
 * A pass never throws: a failing SMTP server or store is logged and counted, the report stays
 * due, and this process waits before trying that report again (1, 2, 4 … up to 60 minutes), so a
 * dead mail server is not hammered every minute.
 */
import { Cron } from 'croner';
import { errorInfo, type MailContext } from './context.ts';
import { notifyReachedGoals, type GoalPassResult } from './goal-notifier.ts';
import { sendDueReports, type ReportPassResult, type RetryPolicy } from './report-sender.ts';

const MINUTE_MS = 60_000;

/** In-memory back-off per report after failed sends: `first`, doubling, at most `max`. */
export class RetryBook implements RetryPolicy {
  readonly #entries = new Map<string, { failures: number; retryAt: number }>();

  constructor(
    readonly first: number = MINUTE_MS,
    readonly max: number = 60 * MINUTE_MS,
  ) {}

  waiting(reportId: string, now: Date): boolean {
    const entry = this.#entries.get(reportId);
    return entry !== undefined && now.getTime() < entry.retryAt;
  }

  failed(reportId: string, now: Date): void {
    const failures = (this.#entries.get(reportId)?.failures ?? 0) + 1;
    const delay = Math.min(this.max, this.first * 2 ** (failures - 1));
    this.#entries.set(reportId, { failures, retryAt: now.getTime() + delay });
  }

  succeeded(reportId: string): void {
    this.#entries.delete(reportId);
  }
}

export interface SchedulerOptions {
  /** Cron pattern of the report pass (default every minute). */
  reports?: string;
  /** Cron pattern of the goal pass (default every ten minutes). */
  goals?: string;
}

export interface PassResult {
  reports: ReportPassResult | undefined;
  goals: GoalPassResult;
}

export class MailScheduler {
  readonly #ctx: MailContext;
  readonly #retry: RetryBook;
  readonly #jobs: Cron[] = [];
  /** Passes in flight, awaited by `stop()` before the stores close. */
  readonly #running = new Set<Promise<unknown>>();

  /** `retryAfterMs`: the first back-off after a failed report (default one minute). */
  constructor(ctx: MailContext, options: { retryAfterMs?: number } = {}) {
    this.#ctx = ctx;
    this.#retry = new RetryBook(options.retryAfterMs);
  }

  /** Send due reports now (nothing without a mail transport). */
  sendDueReports(now: Date = new Date()): Promise<ReportPassResult | undefined> {
    const { mailer } = this.#ctx;
    if (!mailer) return Promise.resolve(undefined);
    return this.#track(sendDueReports({ ...this.#ctx, mailer }, now, this.#retry));
  }

  /** Check conversion goals now. */
  notifyReachedGoals(now: Date = new Date()): Promise<GoalPassResult> {
    return this.#track(notifyReachedGoals(this.#ctx, now));
  }

  /** Both passes, one after the other (`spoor report send-due`). */
  async runOnce(now: Date = new Date()): Promise<PassResult> {
    const reports = await this.sendDueReports(now);
    const goals = await this.notifyReachedGoals(now);
    return { reports, goals };
  }

  /** Start the timers, and send what is due right away (a restart at 07:00:30 need not wait). */
  start(options: SchedulerOptions = {}): void {
    if (this.#jobs.length > 0) return;
    const run = (name: string, pass: () => Promise<unknown>) => async () => {
      try {
        await pass();
      } catch (err) {
        this.#ctx.log.error({ err: errorInfo(err) }, `mail scheduler: the ${name} pass failed`);
      }
    };
    // protect: a pass still running when the next minute starts is not overlapped.
    const cron = { protect: true, catch: true, unref: true } as const;
    this.#jobs.push(
      new Cron(
        options.reports ?? '0 * * * * *',
        cron,
        run('report', () => this.sendDueReports()),
      ),
      new Cron(
        options.goals ?? '30 */10 * * * *',
        cron,
        run('goal', () => this.notifyReachedGoals()),
      ),
    );
    void run('report', () => this.sendDueReports())();
  }

  /** Stop the timers and wait for a pass in flight. Idempotent. */
  async stop(): Promise<void> {
    for (const job of this.#jobs.splice(0)) job.stop();
    await Promise.allSettled([...this.#running]);
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#running.add(promise);
    void promise.finally(() => this.#running.delete(promise)).catch(() => {});
    return promise;
  }
}
