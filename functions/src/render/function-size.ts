// The size of the render's task function: its queue's options (jobs/registry.ts) deploy it, and its price
// (providers/prices.ts `computeCost`) is this size times the seconds it runs. One definition, so the bill
// the budget counts is the size that is deployed. Each task renders one format (jobs/parts.ts).
//
// From the measurement of the longest ad the storyboard allows (bench/README.md "render", 3 Dec: 20 scenes
// of 10 s, 203 s at 1080p, one format per task, on this project's 2-vCPU machine under a load average of
// 8-12): the slowest format, 16:9, took 466 s and peaked at 2,387 MiB (the benchmark's own process, its
// ffmpeg and the temp folder, which lives in memory on Cloud Functions), 9:16 364 s and 2,171 MiB.
// 8 GiB puts that peak at 29% (4 GiB left it at 58%); 2 vCPU is what 8 GiB may have and what the encode
// was measured on. 1200 s gives the slowest format 2.6x its measured time.
export const RENDER_FUNCTION = {
  vcpu: 2,
  memoryGiB: 8,
  memory: '8GiB',
  /** Also the task's dispatch deadline; Cloud Tasks allows at most 1800 s. */
  timeoutSeconds: 1200,
} as const;
