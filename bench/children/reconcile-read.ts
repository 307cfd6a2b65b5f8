// Child process of the reconcile-memory benchmark: one way of reading a user's projects, measured in a
// process of its own so its heap figures are its own. Prints one JSON line.
//   all-projects <uid>   what the usage reconciliation read before: every project of the user, whole, parsed
//   slot-whole <uid>     the projects the user's slots name, whole documents, parsed (no field mask)
//   reconcile <uid>      reconcileUsage as shipped: the slot projects with the field mask
//   list-whole <uid>     a listProjects page (50) of whole documents, parsed (what listProjects read before)
//   list <uid>           listProjects' own read as shipped (field mask)
// The heap is sampled every 2 ms (after a warm-up run of the same code on another user has loaded every
// module it uses, and a full GC): the peak growth is what the read needs while it runs, the retained growth
// what its result holds.
import type { DocumentSnapshot } from 'firebase-admin/firestore';

export interface ReadResult {
  mode: string;
  docs: number;
  jobs: number;
  ms: number;
  peakHeapGrowth: number;
  retainedHeapGrowth: number;
  peakRss: number;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<ReadResult> {
  const [mode, uid, warmUid] = process.argv.slice(2);
  if (!mode || !uid || !warmUid) throw new Error('usage: reconcile-read.ts <mode> <uid> <warm-up uid>');
  const { projectsCol, parseProject } = await import('../../functions/src/projects/store.js');
  const { reconcileUsage } = await import('../../functions/src/projects/usage/reconcile.js');
  const { listSummaries } = await import('../../functions/src/projects/summaries.js');
  const { usageRef } = await import('../../functions/src/projects/usage/record.js');
  const { db } = await import('../../functions/src/firebase.js');
  const jobsIn = (snaps: DocumentSnapshot[]) =>
    snaps
      .map((s) => parseProject(s.id, s.data()))
      .reduce((n, p) => n + [p.active_job, ...p.scenes.map((s) => s.active_job)].filter(Boolean).length, 0);

  const read = async (user: string): Promise<{ docs: number; jobs: number; keep: unknown }> => {
    switch (mode) {
      case 'all-projects': {
        const snap = await projectsCol().where('user_id', '==', user).get();
        return { docs: snap.size, jobs: jobsIn(snap.docs), keep: snap };
      }
      case 'slot-whole': {
        const slots = ((await usageRef(user).get()).get('active') ?? {}) as Record<
          string,
          { project_id: string }
        >;
        const ids = [...new Set(Object.values(slots).map((s) => s.project_id))];
        const snaps = ids.length ? await db().getAll(...ids.map((id) => projectsCol().doc(id))) : [];
        return { docs: snaps.length, jobs: jobsIn(snaps), keep: snaps };
      }
      case 'reconcile': {
        const r = await reconcileUsage(user);
        return { docs: 0, jobs: r.freed + r.settled, keep: r };
      }
      case 'list-whole': {
        const snap = await projectsCol()
          .where('user_id', '==', user)
          .orderBy('created_at', 'desc')
          .limit(51)
          .get();
        return { docs: snap.size, jobs: jobsIn(snap.docs), keep: snap };
      }
      case 'list': {
        const page = await listSummaries(user, 50);
        return { docs: page.projects.length, jobs: 0, keep: page };
      }
      default:
        throw new Error(`unknown mode ${mode}`);
    }
  };

  await read(warmUid);
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peakHeap = baseline;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 2);
  const started = process.hrtime.bigint();
  const result = await read(uid);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  gc();
  const retained = process.memoryUsage().heapUsed;
  // Referenced after the measurement, so the result is alive while the heap is read.
  if (!result.keep) throw new Error('nothing read');
  return {
    mode,
    docs: result.docs,
    jobs: result.jobs,
    ms,
    peakHeapGrowth: peakHeap - baseline,
    retainedHeapGrowth: retained - baseline,
    peakRss,
  };
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
