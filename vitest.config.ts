// Four suites: `unit` needs nothing running (the provider stand-in is started in-process by its tests),
// `rules` needs the Firestore emulator, `emulators` and `browser` need the whole harness (scripts/emulators.ts).
import { defineConfig } from 'vitest/config';

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
        },
      },
      {
        test: {
          name: 'rules',
          include: ['rules/**/*.test.ts'],
          testTimeout: 30_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'emulators',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One file at a time, and not only for the 2 cores, which the emulators, ffmpeg and the function
          // workers already fill: the files share one machine-wide state. Most start by clearing Firestore,
          // and many set the stand-in's faults and run times, count its requests, or read the functions log.
          // Within a file, independent cases run concurrently (it.concurrent) where they share nothing.
          fileParallelism: false,
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
          fileParallelism: false,
        },
      },
    ],
  },
});
