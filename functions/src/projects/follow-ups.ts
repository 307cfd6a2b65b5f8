// Work a write sets off after it has committed, which the function that made the write must finish before
// it answers: Cloud Functions throttles an instance's CPU once its request has been answered, so a promise
// left running then may never finish. `follow` starts such work (and logs, never throws, its failure: the
// write it follows has happened, and the sweep repairs what the follow-up did not do); every entry point
// (callable, task, webhook, sweep) awaits `drainFollowUps` before it returns.
//
// The one follow-up today: a write that ended jobs lets the productions they free continue
// (`whenJobsEnd`, registered by index.ts with jobs/production's continuation; projects/ may not import jobs/).
import type { ProjectDoc } from '@reelforge/schema';
import { errorText, log } from '../log.js';
import type { EndedJob } from './usage/job-ends.js';

const inFlight = new Set<Promise<void>>();

/** Starts `work` now; the entry point's `drainFollowUps` waits for it. */
export function follow(what: string, work: () => Promise<void>): void {
  const running = (async () => {
    try {
      await work();
    } catch (err) {
      log.warn(`${what} failed; the sweep will do it`, { error: errorText(err) });
    }
  })();
  inFlight.add(running);
  void running.finally(() => inFlight.delete(running));
}

/** Waits until no follow-up is running (including those the finished ones started). */
export async function drainFollowUps(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}

/** What a write that ended jobs tells the listener. */
export interface JobsEnded {
  uid: string;
  projectId: string;
  /** The project as that write left it; null when the write deleted it. */
  project: ProjectDoc | null;
  ended: EndedJob[];
}

type JobsEndedListener = (event: JobsEnded) => Promise<void>;
let listener: JobsEndedListener | undefined;

/** Sets the one listener to the ends of jobs (index.ts: productions continue from them). */
export function whenJobsEnd(next: JobsEndedListener | undefined): void {
  listener = next;
}

/** Called by the project store after a committed write that ended jobs, and after their settle. */
export function jobsEnded(event: JobsEnded): void {
  const current = listener;
  if (current && event.ended.length > 0) follow('continuing after jobs ended', () => current(event));
}
