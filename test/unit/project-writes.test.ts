// `mutateProject` under concurrency, on an in-memory store: the changes one process makes to a project at the
// same time share one read and one write (group commit), each is settled by the round that was written, and
// a lost race waits longer the more races were lost in a row.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectDoc } from '@reelforge/schema';
import { MemoryStore, sampleProject } from './support/memory-store.js';

const { mutateProject, useProjectStore, retryWaitMs, NO_WRITE, DELETE_PROJECT, unchanged } =
  await import('../../functions/src/projects/store.js');
const { PreconditionFailed, NotFound } = await import('../../functions/src/errors.js');

const UID = 'user-1';

/** The store, counting conditional writes that lost their race. */
function countingStore() {
  const store = new MemoryStore();
  const counts = { attempts: 0, lost: () => counts.attempts - store.writes };
  const update = store.update.bind(store);
  store.update = (...args) => {
    counts.attempts += 1;
    return update(...args);
  };
  return { store, counts };
}

describe('mutateProject', () => {
  let store: MemoryStore;
  let counts: ReturnType<typeof countingStore>['counts'];
  let PID: string;
  let restore: () => void;
  const stored = (): ProjectDoc => store.get(PID);
  beforeEach(() => {
    ({ store, counts } = countingStore());
    restore = useProjectStore(store);
    const project = sampleProject(20);
    PID = project.id;
    store.put(project);
  });
  afterEach(() => restore());

  it('writes twenty concurrent changes of one process in at most two writes, none lost', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        mutateProject(PID, { uid: null }, (p) => {
          p.scenes[i]!.title = `Renamed ${i}`;
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(stored().scenes.map((s) => s.title)).toEqual(Array.from({ length: 20 }, (_, i) => `Renamed ${i}`));
    // The first change writes alone (nothing else waited yet); the other nineteen share the next round.
    expect(store.writes).toBeLessThanOrEqual(2);
    expect(counts.lost()).toBe(0);
  });

  it('lets each change see the ones before it in the round, as if they had run one after another', async () => {
    const claim = (who: string) =>
      mutateProject(PID, { uid: null }, (p) => {
        const scene = p.scenes[0]!;
        if (scene.title.startsWith('taken')) throw new PreconditionFailed(`taken before ${who}`);
        scene.title = `taken by ${who}`;
        return who;
      });
    const outcomes = await Promise.allSettled([claim('a'), claim('b'), claim('c')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(stored().scenes[0]!.title).toBe('taken by a');
  });

  it('keeps the others\u2019 changes when one change throws halfway, and tells only its caller', async () => {
    const [good, bad, other] = await Promise.allSettled([
      mutateProject(PID, { uid: null }, (p) => {
        p.scenes[0]!.title = 'kept';
        return true;
      }),
      mutateProject(PID, { uid: null }, (p) => {
        p.scenes[1]!.title = 'half done';
        throw new PreconditionFailed('refused');
      }),
      mutateProject(PID, { uid: null }, (p) => {
        p.scenes[2]!.title = 'kept too';
        return true;
      }),
    ]);
    expect([good.status, bad.status, other.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const titles = stored().scenes.map((s) => s.title);
    expect(titles.slice(0, 3)).toEqual(['kept', 'Scene 2', 'kept too']);
  });

  it('says what each change decided: written with its value, decided without a write, nothing to do, deleted', async () => {
    const written = await mutateProject(PID, { uid: null }, (p) => {
      p.name = 'renamed';
      return 'renamed';
    });
    expect(written).toMatchObject({ written: true, deleted: false, value: 'renamed' });
    expect(written.project.name).toBe('renamed');
    const kept = await mutateProject(PID, { uid: null }, () => unchanged(7));
    expect(kept).toMatchObject({ written: false, reason: 'unchanged', value: 7 });
    const idle = await mutateProject(PID, { uid: null }, () => NO_WRITE);
    expect(idle).toMatchObject({ written: false, reason: 'nothing-to-do' });
    expect(store.writes).toBe(1);
    const gone = await mutateProject(PID, { uid: null }, () => DELETE_PROJECT);
    expect(gone).toMatchObject({ written: true, deleted: true });
    expect(gone).not.toHaveProperty('value');
    expect(await store.read(PID)).toBeUndefined();
  });

  it('checks the owner per change', async () => {
    const [mine, theirs] = await Promise.allSettled([
      mutateProject(PID, { uid: UID }, () => unchanged('mine')),
      mutateProject(PID, { uid: 'someone-else' }, () => unchanged('theirs')),
    ]);
    expect(mine).toMatchObject({
      status: 'fulfilled',
      value: { written: false, reason: 'unchanged', value: 'mine' },
    });
    expect(theirs.status).toBe('rejected');
    expect((theirs as PromiseRejectedResult).reason).toBeInstanceOf(NotFound);
  });

  it('reruns every change of a lost round on the fresh document and settles it with the written run', async () => {
    // Another instance writes once between this process's read and its write.
    let rivalWrote = false;
    store.beforeWrite = (projectId) => {
      if (rivalWrote) return;
      rivalWrote = true;
      store.change(projectId, (p) => {
        p.scenes[0]!.title = 'rival';
      });
    };
    const runs: string[] = [];
    const outcome = await mutateProject(PID, { uid: null }, (p) => {
      runs.push(p.scenes[0]!.title);
      if (p.scenes[0]!.title === 'rival') return NO_WRITE;
      p.scenes[0]!.title = 'mine';
      return 'wrote';
    });
    expect(runs).toEqual(['Scene 1', 'rival']);
    // The written run decided to leave the rival's title: nothing of the lost run's 'wrote' comes out.
    expect(outcome).toMatchObject({ written: false, reason: 'nothing-to-do' });
    expect(outcome).not.toHaveProperty('value');
    expect(counts.lost()).toBe(1);
    expect(stored().scenes[0]!.title).toBe('rival');
  });
});

describe('retryWaitMs', () => {
  it('doubles with each race lost in a row, up to 1.6 s, jittered below that', () => {
    const longest = (lost: number) => retryWaitMs(lost, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 12].map(longest)).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 1600]);
    expect(retryWaitMs(5, () => 0.5)).toBe(80);
    expect(retryWaitMs(5, () => 0)).toBe(0);
  });
});

describe('mutateProject in a burst', () => {
  it('gathers changes that keep arriving while the project is busy into a few writes', async () => {
    const { store, counts } = countingStore();
    const restore = useProjectStore(store);
    try {
      const project = sampleProject(20);
      store.put(project);
      // Like a store over the network: each read and write takes a few milliseconds.
      const slow =
        <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
        async (...args: A) => {
          await new Promise((r) => setTimeout(r, 5));
          return fn(...args);
        };
      store.read = slow(store.read.bind(store));
      store.update = slow(store.update.bind(store));
      // Twenty jobs finishing over 200 ms, one every 10 ms.
      const done: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        done.push(
          mutateProject(project.id, { uid: null }, (p) => {
            p.scenes[i]!.title = `done ${i}`;
            return true;
          }),
        );
        await new Promise((r) => setTimeout(r, 10));
      }
      await Promise.all(done);
      expect(store.get(project.id).scenes.every((s, i) => s.title === `done ${i}`)).toBe(true);
      expect(store.writes).toBeLessThanOrEqual(4);
      expect(counts.lost()).toBe(0);
    } finally {
      restore();
    }
  });
});
