// The harness's life cycle: check the machine and the ports, start the services, run the command (or wait
// for Ctrl-C), and tear everything down on every way out: normal end, error, SIGINT/SIGTERM/SIGHUP, or a
// service dying underneath.
import type { HarnessArgs } from './args.js';
import { stopChild, type Child } from './children.js';
import { startCommand } from './command.js';
import {
  NO_FIRESTORE_ENV,
  NO_FIRESTORE_REASON_ENV,
  PROJECT_ID,
  SERVICE_PORTS,
  commandEnv,
  type ServiceName,
} from './env.js';
import { findJava } from './firestore.js';
import { watchInvoker } from './invoker.js';
import { findFirestoreJar } from './jar.js';
import { status, tailLog } from './logs.js';
import { HARNESS_LOCK_PATH, tryLock, waitForLock } from './lock.js';
import { takenPorts, waitPortsFree } from './ports.js';
import { startServices, type FirestoreRuntime } from './services.js';
import { standinAvailable, STANDIN_ENTRY } from './standin.js';
import { startScheduler, SWEEP_EVERY_MS_ENV, sweepOverrideMs, type Scheduler } from './scheduled.js';
import { killAllNow, teardown } from './teardown.js';

/** A stop signal that arrived while the services were starting. */
class SignalStop extends Error {
  constructor(readonly code: number) {
    super(`stopped (exit ${code})`);
  }
}

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** CI=true (or any value but "false"/"0"), as CI services and .ci/run set it. */
function isCI(): boolean {
  const ci = process.env.CI;
  return Boolean(ci) && ci !== 'false' && ci !== '0';
}

/** Why Firestore cannot run here, or the Java runtime and jar to run it with (saying which jar and why). */
async function firestoreRuntime(): Promise<{ runtime: FirestoreRuntime } | { reason: string }> {
  const lookup = await findFirestoreJar();
  if (lookup.jar === undefined) {
    // One line: where it looked and why a jar it found was not used.
    const why = lookup.warnings.map((w) => `; ${w}`).join('');
    return {
      reason: `Firestore emulator jar not found (looked in: ${lookup.lookedIn.join(', ')}${why}; set FIRESTORE_EMULATOR_JAR)`,
    };
  }
  for (const warning of lookup.warnings) status(`!!! ${warning}`);
  status(`firestore jar: ${lookup.jar} (${lookup.source})`);
  const java = findJava();
  if (!java)
    return { reason: `no Java runtime for the Firestore emulator jar ${lookup.jar} (install Java 17+)` };
  return { runtime: { java, jar: lookup.jar } };
}

/**
 * Firestore cannot run. Under CI that is a failure: CI must never pass with the end-to-end suites skipped.
 * Elsewhere the command still runs, told why, with no emulators; its suites skip loudly.
 */
async function runWithoutFirestore(args: HarnessArgs, reason: string): Promise<number> {
  if (isCI()) {
    process.stderr.write(`[emulators] FAILED (CI=${process.env.CI}): ${reason}\n`);
    return 1;
  }
  process.stderr.write(`\n!!! ${reason} — suites that need Firestore are SKIPPED\n\n`);
  if (args.command.length === 0) return 1;
  const command = startCommand(args.command, {
    GCLOUD_PROJECT: PROJECT_ID,
    [NO_FIRESTORE_ENV]: '1',
    [NO_FIRESTORE_REASON_ENV]: reason,
  });
  const forward = (signal: NodeJS.Signals) => void stopChild(command, signal, 5_000);
  process.on('SIGINT', forward).on('SIGTERM', forward).on('SIGHUP', forward);
  watchInvoker(() => forward('SIGTERM'));
  process.on('exit', killAllNow);
  return command.exited;
}

export async function runHarness(args: HarnessArgs): Promise<number> {
  sweepOverrideMs(); // a malformed REELFORGE_SWEEP_EVERY is refused before anything starts
  let services = [...args.services];
  if (services.includes('standin') && !standinAvailable()) {
    status(`standin skipped: ${STANDIN_ENTRY} does not exist yet`);
    services = services.filter((s) => s !== 'standin');
  }

  let firestore: FirestoreRuntime | undefined;
  if (services.includes('firestore')) {
    const found = await firestoreRuntime();
    if ('reason' in found) return runWithoutFirestore(args, found.reason);
    firestore = found.runtime;
  }

  const ports = services.flatMap((s) => SERVICE_PORTS[s]);
  // Several developers' runs on one machine share the fixed ports: with REELFORGE_WAIT_FOR_PORTS=<seconds>
  // a run waits for another harness to finish instead of refusing at once. Two waiting runs could see the
  // ports free at the same moment, so a run first takes the machine's harness lock (lock.ts) and only then
  // looks at the ports; it keeps the lock until its teardown has freed them.
  const waitSeconds = Number(process.env.REELFORGE_WAIT_FOR_PORTS ?? 0);
  const deadline = Date.now() + Math.max(0, waitSeconds) * 1000;
  let lock = tryLock();
  if (!lock.acquired && waitSeconds > 0) {
    status(`another harness (pid ${lock.holder}) is running; waiting up to ${waitSeconds}s for it to finish`);
    lock = await waitForLock(deadline - Date.now());
  }
  if (!lock.acquired) {
    process.stderr.write(
      `[emulators] refusing to start: another harness (pid ${lock.holder}) holds ${HARNESS_LOCK_PATH}\n`,
    );
    return 1;
  }
  const releaseLock = lock.release;
  // Until the services start nothing needs stopping: a signal while waiting just ends the run (and the
  // exit lets go of the lock).
  const leaveNow = (signal: NodeJS.Signals) => process.exit(SIGNAL_EXIT[signal] ?? 1);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, leaveNow);

  // Harnesses of older checkouts hold the ports without taking the lock.
  if (waitSeconds > 0 && (await takenPorts(ports)).length > 0) {
    status(
      `ports busy; waiting up to ${Math.ceil((deadline - Date.now()) / 1000)}s for another harness to finish`,
    );
    await waitPortsFree(ports, Math.max(0, deadline - Date.now()));
  }
  const taken = await takenPorts(ports);
  if (taken.length > 0) {
    releaseLock();
    for (const { port, owner } of taken) {
      process.stderr.write(`[emulators] port ${port} is already in use${owner ? ` by ${owner}` : ''}\n`);
    }
    process.stderr.write(
      '[emulators] refusing to start: stop whatever holds those ports (another harness?)\n',
    );
    return 1;
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, leaveNow);

  // Every way out goes through finish(): one teardown, then the exit code.
  let exitCode: number | undefined;
  let command: Child | undefined;
  let scheduler: Scheduler | undefined;
  let finishing: Promise<number> | undefined;
  const finish = (code: number): Promise<number> => {
    finishing ??= (async () => {
      exitCode = code;
      scheduler?.stop();
      if (command) await stopChild(command, 'SIGTERM', 5_000);
      const clean = await teardown(ports);
      releaseLock(); // only now: the next run must find the ports free
      return clean ? code : code || 1;
    })();
    return finishing;
  };

  let stopRequested: ((code: number) => void) | undefined;
  const stopped = new Promise<number>((resolve) => (stopRequested = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    status(`${signal}: stopping`);
    // Ctrl-C in a terminal: the command (its own process group) gets it from us first, so it can end tidily.
    if (command && signal === 'SIGINT') void stopChild(command, 'SIGINT', 5_000);
    stopRequested?.(SIGNAL_EXIT[signal] ?? 1);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  watchInvoker((pid) => {
    status(`the process that started the harness (pid ${pid}) is gone: stopping`);
    stopRequested?.(SIGNAL_EXIT.SIGHUP ?? 1);
  });
  process.on('exit', killAllNow);

  const watchForCrash = (started: Map<ServiceName, Child>) => {
    for (const [service, child] of started) {
      void child.exited.then((code) => {
        if (child.stopping || exitCode !== undefined) return;
        status(`${service} exited unexpectedly (code ${code}); stopping everything`);
        const tail = tailLog(service);
        if (tail)
          process.stderr.write(`--- last lines of .emulators/logs/${service}.log ---\n${tail}\n---\n`);
        stopRequested?.(1);
      });
    }
  };

  try {
    const startedServices = await Promise.race([
      startServices(services, firestore),
      stopped.then((code) => Promise.reject(new SignalStop(code))),
    ]);
    watchForCrash(startedServices);
    // Scheduled functions never fire under the emulators: the harness plays Cloud Scheduler for them.
    if (services.includes('functions') && services.includes('firestore')) {
      scheduler = await startScheduler();
      if (exitCode !== undefined) scheduler.stop(); // a service died while it started: teardown is under way
    }
  } catch (err) {
    if (!(err instanceof SignalStop))
      status(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    return finish(err instanceof SignalStop ? err.code : 1);
  }

  try {
    if (args.command.length === 0) {
      status('running; Ctrl-C to stop');
      return await finish(await stopped);
    }
    const env = commandEnv(services);
    if (scheduler?.sweepEveryMs !== undefined) env[SWEEP_EVERY_MS_ENV] = String(scheduler.sweepEveryMs);
    command = startCommand(args.command, env);
    return await finish(await Promise.race([command.exited, stopped]));
  } catch (err) {
    status(`harness error: ${err instanceof Error ? err.message : String(err)}`);
    return finish(1);
  }
}
