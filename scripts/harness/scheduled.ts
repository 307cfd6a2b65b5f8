// Cloud Scheduler for the local run. Scheduled functions never fire under the emulators (they ride on
// Pub/Sub, which cannot run here, and firebase-tools' Pub/Sub emulator cannot deliver to a v2 scheduled
// function anyway), so the stale sweep would never rescue a job whose worker died. The harness plays the
// scheduler: for each scheduled function the functions emulator loaded it reads the schedule from the
// emulator's own view of the function (`/backends`, which firebase-tools reads from the built bundle's
// `__endpoint.scheduleTrigger`), and on that interval POSTs to the route the emulator serves the function
// on, with Cloud Scheduler's headers. So each run is the deployed code, in the emulator's worker, with the
// emulator's environment, exactly as the emulator loads it. Each run is logged (when, how long, and the
// function's own summary line) in .emulators/logs/scheduler.log; runs that did something also on stdout.
import { writeSync } from 'node:fs';
import { FUNCTIONS_ORIGIN, PROJECT_ID } from './env.js';
import { UsageError } from './args.js';
import { logSize, openLog, readLog, readLogFrom, seconds, status } from './logs.js';
import { describeMs, parseDuration, scheduleIntervalMs } from './schedule.js';
import { acknowledgeHold, clearHold, isHeld } from './scheduler-hold.js';

/** The option that shortens the stale sweep's interval for tests and demos, e.g. `30s`. */
export const SWEEP_EVERY_ENV = 'REELFORGE_SWEEP_EVERY';
/** Told to the command: the sweep's effective interval in ms, when the harness runs it. */
export const SWEEP_EVERY_MS_ENV = 'REELFORGE_SWEEP_EVERY_MS';
export const SWEEP_FUNCTION = 'sweepStaleJobsScheduled';
export const SCHEDULER_LOG = 'scheduler';

interface Trigger {
  id: string;
  entryPoint: string;
  schedule?: { schedule?: string; timeZone?: string | null };
}

interface Backends {
  backends?: { functionTriggers?: Trigger[] }[];
}

/** The option's interval; throws with a message the user can act on when it is not a duration. */
export function sweepOverrideMs(): number | undefined {
  const raw = process.env[SWEEP_EVERY_ENV];
  if (!raw) return undefined;
  const ms = parseDuration(raw);
  if (ms === undefined)
    throw new UsageError(`${SWEEP_EVERY_ENV}=${raw} is not a duration (e.g. 30s, 2m, 1h, 500ms)`);
  return ms;
}

async function scheduledTriggers(): Promise<Trigger[]> {
  const res = await fetch(`${FUNCTIONS_ORIGIN}/backends`);
  const { backends } = (await res.json()) as Backends;
  return (backends ?? []).flatMap((b) => b.functionTriggers ?? []).filter((t) => t.schedule?.schedule);
}

/**
 * The emulator keys event-style triggers `<id>-<generation>`; the generation grows each time it reloads the
 * functions (a rebuild while running) and a trigger keeps its key while its definition is unchanged. The
 * candidates, newest first: one per load the emulator logged.
 */
function candidateKeys(id: string): string[] {
  const loads = Math.max(1, readLog('functions').split('Loaded functions definitions').length - 1);
  return Array.from({ length: loads }, (_, i) => `${id}-${loads - 1 - i}`);
}

/** The function's summary line for this run: its structured log entry carrying our schedule time. */
async function summaryLine(scheduleTime: string, from: number): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 20; i++) {
    const text = readLogFrom('functions', from);
    const line = text.split('\n').find((l) => l.includes(`"schedule_time":"${scheduleTime}"`));
    if (line) {
      try {
        return JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

function summaryText(entry: Record<string, unknown> | undefined): string {
  if (!entry) return 'no summary line in the functions log';
  const { event: _event, severity: _severity, message, schedule_time: _time, ...fields } = entry;
  if (typeof fields.projects === 'number') {
    const { projects, requeued, failed, left, took_ms } = fields;
    return `looked at ${String(projects)} project(s), requeued ${String(requeued)}, failed ${String(failed)}, left ${String(left)} (still queued) in ${String(took_ms)}ms`;
  }
  return `${String(message)} ${JSON.stringify(fields)}`;
}

class ScheduledFunction {
  private key: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** A run has been posted and has not ended (what a test's hold waits out). */
  inFlight = false;

  constructor(
    private readonly trigger: Trigger,
    readonly everyMs: number,
    private readonly log: (line: string, loud: boolean) => void,
  ) {}

  start(): void {
    this.schedule();
  }

  // Like App Engine cron's "every N minutes": the next run is N after the previous one ended; never two
  // at once.
  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      if (isHeld()) {
        this.log(`${this.trigger.entryPoint}: skipped, held by a test (scheduler.hold)`, false);
        this.schedule();
        return;
      }
      this.inFlight = true;
      void this.runOnce().finally(() => {
        this.inFlight = false;
        this.schedule();
      });
    }, this.everyMs);
  }

  private async post(key: string, scheduleTime: string): Promise<Response> {
    return fetch(`${FUNCTIONS_ORIGIN}/functions/projects/${PROJECT_ID}/triggers/${key}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-CloudScheduler': 'true',
        'X-CloudScheduler-JobName': `firebase-schedule-${this.trigger.id}`,
        'X-CloudScheduler-ScheduleTime': scheduleTime,
      },
      body: '{}',
    });
  }

  private async runOnce(): Promise<void> {
    const started = new Date();
    const scheduleTime = started.toISOString();
    const logFrom = logSize('functions');
    const name = this.trigger.entryPoint;
    try {
      let res: Response | undefined;
      for (const key of this.key
        ? [this.key, ...candidateKeys(this.trigger.id)]
        : candidateKeys(this.trigger.id)) {
        res = await this.post(key, scheduleTime);
        if (res.status !== 404) {
          this.key = key;
          break;
        }
        await res.text();
      }
      if (!res || res.status === 404) throw new Error('the functions emulator does not serve it (404)');
      await res.text();
      if (res.status === 204) {
        this.log(`${name} at ${scheduleTime}: skipped, the emulator is reloading the functions`, false);
        return;
      }
      if (!res.ok) throw new Error(`answered ${res.status}; see .emulators/logs/functions.log`);
      const entry = await summaryLine(scheduleTime, logFrom);
      const took = seconds(Date.now() - started.getTime());
      const didSomething = Number(entry?.projects ?? 0) > 0 || entry === undefined;
      this.log(`${name} ran at ${scheduleTime} (${took}): ${summaryText(entry)}`, didSomething);
    } catch (err) {
      if (this.stopped) return;
      this.log(
        `${name} run at ${scheduleTime} FAILED: ${err instanceof Error ? err.message : String(err)}`,
        true,
      );
    }
  }

  /** No further runs; a run in flight ends on its own (or fails quietly as the emulator goes). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

export interface Scheduler {
  /** The sweep's effective interval, when it is scheduled. */
  sweepEveryMs: number | undefined;
  stop(): void;
}

/** Starts one local scheduler per scheduled function the functions emulator loaded. */
export async function startScheduler(): Promise<Scheduler> {
  const fd = openLog(SCHEDULER_LOG);
  const log = (line: string, loud: boolean) => {
    writeSync(fd, `${new Date().toISOString()} ${line}\n`);
    if (loud) status(`scheduler: ${line}`);
  };
  const override = sweepOverrideMs();
  const jobs: ScheduledFunction[] = [];
  let sweepEveryMs: number | undefined;
  for (const trigger of await scheduledTriggers()) {
    const declared = trigger.schedule?.schedule ?? '';
    const isSweep = trigger.entryPoint === SWEEP_FUNCTION;
    const everyMs = (isSweep ? override : undefined) ?? scheduleIntervalMs(declared);
    if (everyMs === undefined) {
      status(
        `!!! scheduler: ${trigger.entryPoint} declares "${declared}", which is not a fixed interval; it will not run` +
          (isSweep ? ` (set ${SWEEP_EVERY_ENV})` : ''),
      );
      continue;
    }
    const why =
      everyMs === override && isSweep ? `${SWEEP_EVERY_ENV}; declared "${declared}"` : `"${declared}"`;
    status(
      `scheduler: ${trigger.entryPoint} every ${describeMs(everyMs)} (${why}); runs in .emulators/logs/${SCHEDULER_LOG}.log`,
    );
    if (isSweep) sweepEveryMs = everyMs;
    const job = new ScheduledFunction(trigger, everyMs, log);
    job.start();
    jobs.push(job);
  }
  // A test's hold is acknowledged only while no run is in flight (see scheduler-hold.ts).
  clearHold();
  const holds = setInterval(() => acknowledgeHold(jobs.some((job) => job.inFlight)), 50);
  return {
    sweepEveryMs,
    stop: () => {
      clearInterval(holds);
      clearHold();
      jobs.forEach((job) => job.stop());
    },
  };
}
