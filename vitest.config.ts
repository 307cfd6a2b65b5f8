// Five suites: `unit` needs nothing running (the provider stand-in is started in-process by its tests),
// `rules` needs the Firestore emulator, `emulators-shared`, `emulators` and `browser` need the whole harness
// (scripts/emulators.ts).
import { defineConfig } from 'vitest/config';

/** The end-to-end files that touch no machine-wide state: they run side by side (see `emulators-shared`). */
const SHARED_E2E = [
  'api-assets',
  'api-isolation',
  'api-projects',
  'api-scenes',
  'api-validation',
  'client-sdk',
  'cross-user-ids',
  'demo',
  'harness',
  'hostile-payloads',
  'pipeline-concurrency',
  'pipeline-jobs',
  'pipeline-lost-race',
  'production',
  'production-scale',
  'project-at-limits',
].map((name) => `test/e2e/${name}.test.ts`);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'schema/test/**/*.test.ts',
            'client/test/**/*.test.ts',
            'web/test/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/providers/**/*.test.ts',
          ],
          testTimeout: 30_000,
          // Both cores (vitest's default leaves one for itself, which the unit files do not need): the
          // render and image tests are ffmpeg- and sharp-bound, the rest mostly wait on the in-process stand-in.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'rules',
          // First, on its own (it needs only Firestore, under its own project id): vitest runs a group's
          // projects together only when their worker counts agree.
          sequence: { groupOrder: 0 },
          include: ['rules/**/*.test.ts'],
          testTimeout: 30_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'emulators-shared',
          include: SHARED_E2E,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // These files share the machine with each other: each signs up its own users (fileUser) and looks
          // only at what they make; none clears Firestore, sets the stand-in's faults or run times, counts its
          // requests, reads the functions log or runs a sweep. So they run side by side, three at a time (they
          // mostly wait on the emulators and the stand-in; four at a time measured slower on 2 cores, 358 s
          // against 343 s for the whole e2e run), before the serial project.
          fileParallelism: true,
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'emulators',
          include: ['test/e2e/**/*.test.ts'],
          exclude: SHARED_E2E,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One file at a time, after the shared ones, and not only for the 2 cores: these files use the
          // machine-wide state. They clear Firestore, set the stand-in's faults and run times, count its
          // requests, read the functions log or run the sweep over every project. Within a file,
          // independent cases run concurrently (it.concurrent) where they share nothing.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          // The studio in Debian's Chromium, served by the Hosting emulator (needs the whole harness). Run
          // on its own, after the others (package.json test:emulators): several e2e suites clear Firestore,
          // which would delete the projects a browser test is watching if the two projects ran side by side.
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          // Two files at a time: each signs up its own people in its own browser, and nothing else runs then.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
