// The size of the render's task function: its queue's options (jobs/registry.ts) deploy it, and its price
// (providers/prices.ts `computeCost`) is this size times the seconds it runs. One definition, so the bill
// the budget counts is the size that is deployed.
export const RENDER_FUNCTION = {
  vcpu: 2,
  memoryGiB: 2,
  memory: '2GiB',
  /** Also the task's dispatch deadline; Cloud Tasks allows at most 1800 s. */
  timeoutSeconds: 1800,
} as const;
