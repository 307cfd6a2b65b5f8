// The size of the render's task function: its queue's options (jobs/registry.ts) deploy it, and its price
// (providers/prices.ts `computeCost`) is this size times the seconds it runs. One definition, so the bill
// the budget counts is the size that is deployed.
//
// Memory from the measurement (bench/README.md "render"): at 1080p every format of a 30 s ad in one task,
// two encodes at a time, peaked at 1,819 MiB (89% of the 2 GiB it had at 720p, where it peaked at 990 MiB):
// 4 GiB puts that at 44%. One format alone peaked at 1,127 MiB.
export const RENDER_FUNCTION = {
  vcpu: 2,
  memoryGiB: 4,
  memory: '4GiB',
  /** Also the task's dispatch deadline; Cloud Tasks allows at most 1800 s. */
  timeoutSeconds: 1800,
} as const;
