// What the listener-driven studio promises beyond the journey: two tabs on one project see each other's
// changes (how soon is bench/studio.ts's figure), a refresh in the middle of a job shows its current status and keeps updating,
// a running job can be canceled and retried, and a second person sees none of the first one's projects.
// Screenshots go to out/studio/live/.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { E2E_SKIP_REASON } from '../e2e/support/env.js';
import {
  STUDIO,
  Screenshots,
  createProject,
  jobStatus,
  launchChromium,
  newEmail,
  shownAt,
  signUp,
  waitForJob,
} from './support.js';

/** Milliseconds from the tab that made a change showing it (its own view also comes from the listener:
 * the studio shows what the backend stored, never a guess) to the other tab showing it. Also returns the
 * time from the click, which includes the callable itself. */
async function syncTime(
  from: Page,
  to: Page,
  heading: string,
  action: () => Promise<void>,
): Promise<{ sync: number; fromClick: number }> {
  const seenHere = shownAt(from, 'h3', heading);
  const seenThere = shownAt(to, 'h3', heading);
  const clicked = Date.now();
  await action();
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`"${heading}" did not show in both tabs within 10 s`)), 10_000).unref(),
  );
  const [here, there] = await Promise.race([Promise.all([seenHere, seenThere]), timeout]);
  return { sync: there - here, fromClick: there - clicked };
}

describe.skipIf(E2E_SKIP_REASON !== null)('the studio, live', () => {
  let browser: Browser;
  let owner: BrowserContext;
  let tabA: Page;
  let projectId: string;
  const shots = new Screenshots('live');

  beforeAll(async () => {
    browser = await launchChromium();
    // One browser profile, two tabs: the second tab shares the first one's signed-in session.
    owner = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    tabA = await owner.newPage();
    await signUp(tabA, newEmail('live'));
    // The brief's marker makes the stand-in answer slowly, so the moods job runs long enough to refresh
    // and cancel in the middle of it.
    projectId = await createProject(tabA, { name: 'Two tabs', notes: 'Keep it simple. [[standin:slow]]' });
  });
  afterEach(async (ctx) => {
    // What the page showed when a step failed, beside the steps' own screenshots.
    if (ctx.task.result?.state === 'fail' && tabA && !tabA.isClosed()) await shots.take(tabA, 'failure');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows each tab the other tab’s changes', async () => {
    const tabB = await owner.newPage();
    await tabB.goto(`${STUDIO}/projects/${projectId}`);
    await tabB.getByRole('heading', { level: 1, name: 'Two tabs' }).waitFor();

    // The first call of each callable starts its function in the emulator: warm both before timing.
    const add = async (page: Page, title: string) => {
      await page.getByLabel('New scene title').fill(title);
      await page.getByLabel('New scene description').fill(`${title}: a doorway glows in the rain.`);
      await page.getByRole('button', { name: 'Add scene' }).click();
    };
    await add(tabA, 'Warm-up');
    await tabB.getByRole('heading', { name: 'Scene 1: Warm-up' }).waitFor();
    await tabA.getByLabel('Scene 1 title').fill('Warm-up edited');
    await tabA.getByRole('button', { name: 'Save scene 1' }).click();
    await tabB.getByRole('heading', { name: 'Scene 1: Warm-up edited' }).waitFor();

    const aToB = await syncTime(tabA, tabB, 'Scene 2: From tab A', () => add(tabA, 'From tab A'));
    const bToA = await syncTime(tabB, tabA, 'Scene 1: Edited in tab B', async () => {
      await tabB.getByLabel('Scene 1 title').fill('Edited in tab B');
      await tabB.getByRole('button', { name: 'Save scene 1' }).click();
    });
    // The other tab's form follows too (nobody was editing there).
    // (The field follows in an effect after the heading's render: poll it briefly.)
    const title = tabA.getByLabel('Scene 1 title');
    for (let i = 0; i < 20 && (await title.inputValue()) !== 'Edited in tab B'; i++)
      await tabA.waitForTimeout(50);
    expect(await title.inputValue()).toBe('Edited in tab B');
    await shots.take(tabA, 'tab-a');
    await shots.take(tabB, 'tab-b');
    process.stdout.write(
      `two tabs: A -> B ${aToB.sync} ms after A showed it (${aToB.fromClick} ms from the click), ` +
        `B -> A ${bToA.sync} ms (${bToA.fromClick} ms from the click)\n`,
    );
    // How fast is bench/studio.ts's to judge (the same write in two tabs, p95 against 1 s, in one run of its
    // own); here each tab must show the other's change at all, within syncTime's 10 s.
    await tabB.close();
  });

  it('shows a running job’s status after a refresh and keeps updating', async () => {
    await tabA.getByRole('button', { name: 'Generate moods' }).click();
    await jobStatus(tabA, 'Moods')
      .filter({ hasText: /^(queued|processing)/ })
      .waitFor();
    await tabA.reload();
    const status = jobStatus(tabA, 'Moods');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/^(queued|processing)/);
    await shots.take(tabA, 'refreshed-mid-job');
    await waitForJob(tabA, 'Moods', 'completed', 120_000);
    await tabA
      .getByRole('list', { name: 'Mood boards' })
      .getByRole('img', { name: / image 1$/ })
      .first()
      .waitFor();
    await shots.take(tabA, 'after-refresh-completed');
  });

  it('cancels a running job and retries it', async () => {
    await tabA.getByRole('button', { name: 'Regenerate moods' }).click();
    await tabA.getByRole('button', { name: 'Cancel Moods' }).click();
    await waitForJob(tabA, 'Moods', 'canceled');
    await shots.take(tabA, 'canceled');
    await tabA.getByRole('button', { name: 'Retry Moods' }).click();
    await jobStatus(tabA, 'Moods')
      .filter({ hasText: /^(queued|processing)/ })
      .waitFor();
    await waitForJob(tabA, 'Moods', 'completed', 120_000);
    await shots.take(tabA, 'retried');
  });

  it('shows a second person none of the first person’s projects', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await other.newPage();
    await signUp(page, newEmail('other'));
    await page.getByText('No projects yet').waitFor();
    expect(await page.getByRole('link', { name: /^Open project / }).count()).toBe(0);
    await shots.take(page, 'second-user-list');
    // Even with the address of the first person's project.
    await page.goto(`${STUDIO}/projects/${projectId}`);
    await page.getByRole('heading', { name: 'Project unavailable' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('does not exist, or it is not yours');
    expect(await page.getByText('Two tabs').count()).toBe(0);
    await shots.take(page, 'second-user-denied');
    await other.close();
  });
});
