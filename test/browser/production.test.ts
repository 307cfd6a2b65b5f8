// "Make the ad" with nobody watching (issue #21): the person clicks it, confirms the estimate, sees the
// production start in the panel and closes the tab (its whole browser context); the backend alone makes
// every scene's assets, the music bed and the render while no client is connected (this file waits on the
// Admin SDK); a new context signs the same person in and finds the panel completed and the ad offered. Before
// any of it, on the project with no storyboard, the same action is offered from the brief. Screenshots go to
// out/studio/production/.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ProjectDoc } from '@reelforge/schema';
import { E2E_SKIP_REASON } from '../e2e/support/env.js';
import { readProjectOrFail } from '../e2e/support/admin.js';
import { formatElapsed } from '../../web/src/lib/production.js';
import {
  STUDIO,
  Screenshots,
  blockedReason,
  createProject,
  launchChromium,
  newEmail,
  seriousAxeViolations,
  signIn,
  signUp,
  unnamedControls,
  videoDuration,
} from './support.js';

const VIEWPORT = { width: 1280, height: 900 };
const NAME = 'Glowbrew overnight';

/** Polls the stored project (the Admin SDK, not a client of the studio) until its production has ended. */
async function productionEnded(projectId: string, timeout: number): Promise<ProjectDoc> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const project = await readProjectOrFail(projectId);
    const status = project.production?.status;
    if (status === 'completed' || status === 'failed' || status === 'canceled') return project;
    if (Date.now() > deadline) {
      throw new Error(
        `the production is still ${status} after ${timeout} ms: ${JSON.stringify(project.production)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** How long each of the production's jobs that are still on the document took, for the report line. */
function jobTimes(project: ProjectDoc): string {
  const jobs = [project.active_job, ...project.scenes.map((s) => s.active_job)].filter((j) => !!j);
  return jobs.map((j) => `${j.type} ${j.last_update.toMillis() - j.started_at.toMillis()} ms`).join(', ');
}

/** Why "Make the ad" is disabled, as the page says it; null while it can start. */
function makeAdBlocked(page: Page): Promise<string | null> {
  return blockedReason(page.getByRole('button', { name: 'Make the ad', exact: true }));
}

async function addScene(page: Page, title: string, seconds: number): Promise<void> {
  await page.getByLabel('New scene title').fill(title);
  await page.getByLabel('New scene description').fill(`${title}: a bottle glows on a rainy night street.`);
  await page.getByLabel('New scene duration in seconds').fill(String(seconds));
  await page.getByRole('button', { name: 'Add scene' }).click();
}

describe.skipIf(E2E_SKIP_REASON !== null)('the studio, the ad made with the tab closed', () => {
  const shots = new Screenshots('production');
  let browser: Browser;
  // The page on screen now, for the failure screenshot.
  let current: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && current && !current.isClosed()) {
      await shots.take(current, 'failure');
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'closes the tab right after "Make the ad" and finds the finished ad after reopening',
    { timeout: 240_000 },
    async () => {
      const began = Date.now();
      const email = newEmail('production');
      const first = await browser.newContext({ viewport: VIEWPORT });
      let page = await first.newPage();
      current = page;
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await signUp(page, email);
      const projectId = await createProject(page, { name: NAME });

      // No storyboard yet: "Make the ad" starts from the brief, and its estimate counts the moods, the
      // storyboard of "Number of scenes" (2), each scene's four steps, the music bed and the render.
      const makeAd = page.getByRole('button', { name: 'Make the ad', exact: true });
      const estimate = page.getByLabel('Estimated cost');
      await page.getByLabel('Number of scenes').fill('2');
      await makeAd.click();
      await estimate.filter({ hasText: /^12 steps, about \$\d/ }).waitFor();
      expect(await page.getByRole('region', { name: 'Make the ad' }).textContent()).toContain(
        'a 2-scene storyboard',
      );
      await page.getByRole('button', { name: 'Cancel make the ad' }).click();

      // A storyboard of two 2-second scenes without voiceover lines: six scene steps, the bed, the render.
      await addScene(page, 'Neon doorway', 2);
      await page.getByRole('heading', { name: 'Scene 1: Neon doorway' }).waitFor();
      await addScene(page, 'Last sip', 2);
      await page.getByRole('heading', { name: 'Scene 2: Last sip' }).waitFor();
      await makeAd.click();
      await estimate.filter({ hasText: /^8 steps, about \$\d.* left today\)$/ }).waitFor();
      expect(Number(await estimate.getAttribute('data-usd'))).toBeGreaterThan(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await shots.take(page, 'estimate');

      const confirmed = Date.now();
      await page.getByRole('button', { name: 'Confirm make the ad' }).click();
      const panel = page.getByRole('group', { name: 'Production' });
      await panel
        .getByRole('status', { name: 'Production status' })
        .filter({ hasText: /^Running/ })
        .waitFor();
      // The backend's plan of it, live: eight steps (the page's own listener shows them).
      await panel
        .getByRole('status', { name: 'Production steps' })
        .filter({ hasText: /^\d of 8 steps done$/ })
        .waitFor();
      expect(await panel.getByRole('progressbar', { name: 'Production progress' }).getAttribute('max')).toBe(
        '8',
      );
      await panel.getByRole('button', { name: 'Cancel making the ad' }).waitFor();
      expect(await makeAdBlocked(page)).toMatch(/^The ad is being made/);
      // (The running panel's accessibility scan is the journey's; here the tab closes at once.)
      await shots.take(page, 'started');
      // Closed right away: nothing of the studio is connected while the backend makes the ad.
      await first.close();
      const closed = Date.now();
      const atClose = await readProjectOrFail(projectId);
      expect(atClose.production?.status).toMatch(/^(running|waiting)$/);
      expect(atClose.production!.steps_done).toBeLessThan(atClose.production!.steps_total);

      const ended = await productionEnded(projectId, 180_000);
      const finished = Date.now();
      expect(ended.production, JSON.stringify(ended.production?.blocked)).toMatchObject({
        status: 'completed',
        steps_done: 8,
        steps_total: 8,
        blocked: [],
      });
      expect(ended.assets.renders?.['9:16']).toBeTruthy();
      expect(ended.assets.music_path).toBeTruthy();

      // The same person, in a new browser context, opens the project: the panel says completed, the ad is there.
      const second = await browser.newContext({ viewport: VIEWPORT });
      page = await second.newPage();
      current = page;
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`${STUDIO}/projects/${projectId}`);
      await signIn(page, email);
      await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
      const again = page.getByRole('group', { name: 'Production' });
      const status = again.getByRole('status', { name: 'Production status' });
      await status.waitFor();
      expect(await status.getAttribute('data-status')).toBe('completed');
      expect(await status.textContent()).toMatch(/^Completed/);
      const steps = again.getByRole('status', { name: 'Production steps' });
      expect(await steps.textContent()).toBe('8 of 8 steps done');
      expect(
        await again.getByRole('progressbar', { name: 'Production progress' }).getAttribute('value'),
      ).toBe('8');
      expect(await again.getByRole('list', { name: 'Blocked steps' }).count()).toBe(0);
      expect(await again.getByRole('button', { name: 'Cancel making the ad' }).count()).toBe(0);
      expect(await again.getByRole('status', { name: 'Production spend' }).textContent()).toMatch(
        / of about \$[\d.]+ estimated$/,
      );
      // Ended: the time shown is start to finish as stored, not to now (this page opened seconds after).
      const { started_at, finished_at } = ended.production!;
      expect(await again.getByRole('status', { name: 'Production time' }).textContent()).toBe(
        formatElapsed(finished_at!.toMillis() - started_at.toMillis()),
      );
      const video = page.getByLabel('The ad, 9:16', { exact: true });
      await video.waitFor();
      expect(await videoDuration(video)).toBeGreaterThan(3);
      await page.getByRole('button', { name: 'Download the ad, 9:16' }).waitFor();
      expect(await makeAdBlocked(page)).toBeNull();
      expect(await unnamedControls(page)).toEqual([]);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await shots.take(page, 'reopened');
      await second.close();
      expect(errors).toEqual([]);
      process.stdout.write(
        `make the ad with the tab closed: sign-up to confirm ${confirmed - began} ms, confirm to closed ` +
          `${closed - confirmed} ms, closed to completed ${finished - closed} ms, reopened and checked ` +
          `${Date.now() - finished} ms; production ${ended.production!.finished_at!.toMillis() - ended.production!.started_at.toMillis()} ms ` +
          `(${jobTimes(ended)})\n`,
      );
    },
  );
});
