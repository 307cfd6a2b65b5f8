// A separate process contending for the harness lock (test/unit/harness-lock.test.ts): waits until the
// moment `startAt` (ms since the epoch) so several contenders try at once, tries once, prints the outcome
// as JSON and, when it got the lock, holds it for `holdMs` and ends the way `end` says.
import { tryLock } from '../../../scripts/harness/lock.js';

const [path, startAt, holdMs, end] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const attempt = tryLock(path);
process.stdout.write(
  `${JSON.stringify(attempt.acquired ? { pid: process.pid, acquired: true } : { pid: process.pid, acquired: false, holder: attempt.holder })}\n`,
);
if (!attempt.acquired) process.exit(0);
await new Promise((r) => setTimeout(r, Number(holdMs)));
if (end === 'throw') throw new Error('contender crashed on purpose');
if (end === 'kill') process.kill(process.pid, 'SIGKILL');
process.exit(0);
