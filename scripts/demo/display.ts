// Live progress from the listener: the production's steps and one bar per running job. On a terminal the
// block of bars is redrawn in place (ANSI); elsewhere (CI logs, pipes, tests) a line is printed only when a
// job's status changes, or the production's status or what blocks it.
import {
  isUnfinished,
  jobLocations,
  replacedInPlace,
  type JobLocation,
  type ProductionDoc,
  type ProjectDoc,
} from '@reelforge/schema';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 24;

export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function jobLabel(view: JobLocation): string {
  return view.scene ? `scene ${view.scene.scene_number} ${view.job.type}` : view.job.type;
}

function bar(progress: number): string {
  const filled = Math.round((BAR_WIDTH * Math.max(0, Math.min(100, progress))) / 100);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

export class ProgressDisplay {
  private readonly started = Date.now();
  private drawn = 0;
  private step = '';
  private running: JobLocation[] = [];
  private readonly statuses = new Map<string, string>();
  private production: ProductionDoc | null = null;
  private previous: ProjectDoc | null = null;
  /** The production's status and blocked steps as last printed (headless). */
  private productionState = '';
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: Output) {
    // The elapsed clock ticks even when no snapshot arrives.
    if (out.isTTY) this.timer = setInterval(() => this.redraw(), 1000).unref();
  }

  /** A message above the bars (it scrolls; the bars stay at the bottom). */
  log(message: string): void {
    this.clear();
    this.out.write(`${this.out.isTTY ? '' : `[${clock(Date.now() - this.started)}] `}${message}\n`);
    this.redraw();
  }

  setStep(step: string): void {
    this.step = step;
    this.redraw();
  }

  /** Called on every snapshot. */
  update(project: ProjectDoc): void {
    const jobs = jobLocations(project);
    const replaced = this.previous ? replacedInPlace(this.previous, project) : [];
    this.previous = project;
    this.running = jobs.filter((j) => isUnfinished(j.job));
    this.production = project.production ?? null;
    if (this.out.isTTY) {
      this.redraw();
      return;
    }
    const production = this.production;
    if (production) {
      const blocked = production.blocked.map((b) => `${b.step}: ${b.reason}`).join('; ');
      const state = `${production.status}${blocked ? `, blocked: ${blocked}` : ''}`;
      if (state !== this.productionState) {
        this.productionState = state;
        // The start call writes the production before its first plan has counted the steps.
        const steps = production.steps_total
          ? ` (${production.steps_done}/${production.steps_total} steps)`
          : '';
        this.out.write(`[${clock(Date.now() - this.started)}] production: ${state}${steps}\n`);
      }
    }
    // A job its production's next step replaced in the write that completed it: seen completed only so.
    const views = [
      ...replaced.map((r) => ({ ...r, job: { ...r.job, status: 'completed' as const } })),
      ...jobs,
    ];
    for (const view of views) {
      const previous = this.statuses.get(view.job.job_id);
      if (previous === view.job.status) continue;
      this.statuses.set(view.job.job_id, view.job.status);
      const message =
        view.job.status === 'failed' && view.job.error_message ? `: ${view.job.error_message}` : '';
      this.out.write(
        `[${clock(Date.now() - this.started)}] ${jobLabel(view)}: ${view.job.status}${message}\n`,
      );
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }

  private lines(): string[] {
    const steps = this.production
      ? ` · ${this.production.steps_done}/${this.production.steps_total} steps`
      : '';
    const header = `${this.step || 'working'} · ${clock(Date.now() - this.started)}${steps} · ${this.running.length} job(s) running`;
    const rows = this.running.map((view) => {
      const label = jobLabel(view).padEnd(20);
      const pct = `${Math.round(view.job.progress)}%`.padStart(4);
      return `  ${label} ${bar(view.job.progress)} ${pct}  ${view.job.status}`;
    });
    return [header, ...rows];
  }

  private clear(): void {
    if (!this.out.isTTY || this.drawn === 0) return;
    // Up to the first drawn line, then erase to the end of the screen.
    this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private redraw(): void {
    if (!this.out.isTTY) return;
    this.clear();
    // Lines never wrap: a wrapped line would throw off the cursor arithmetic of the next redraw.
    const width = Math.max(20, (this.out.columns || 100) - 1);
    const lines = this.lines().map((l) => (l.length > width ? l.slice(0, width) : l));
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}
