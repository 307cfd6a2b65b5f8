// Notices when whoever started the harness is gone. `npm run` and `npx` do not pass SIGTERM on to the
// script they run: killing `npm test` (a CI timeout, say) leaves tsx and the harness orphaned, and the
// emulators, in their own process groups, would run on forever. So the harness records its ancestors at
// start and treats the death of any of them like a hang-up. Linux only (/proc); elsewhere a no-op.
import { readFileSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so parse after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** Ancestors of this process, nearest first, up to (not including) init. */
function ancestors(): { pid: number; parent: number }[] {
  const chain: { pid: number; parent: number }[] = [];
  let pid = process.ppid;
  while (pid > 1 && chain.length < 64) {
    const parent = parentOf(pid);
    if (parent === undefined) break;
    chain.push({ pid, parent });
    pid = parent;
  }
  return chain;
}

/** Calls `onGone` once when an ancestor exits (or is re-parented, which means its own parent exited). */
export function watchInvoker(onGone: (pid: number) => void, intervalMs = 500): () => void {
  const chain = ancestors();
  const timer = setInterval(() => {
    const gone = chain.find(({ pid, parent }) => parentOf(pid) !== parent);
    if (gone) {
      clearInterval(timer);
      onGone(gone.pid);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
