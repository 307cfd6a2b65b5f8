// The studio's take strip (issue 26): a scene's keyframes kept as takes, each shown with its picture, cost and
// date, chosen, pinned and deleted from the strip, and every change shown in a second tab by the listeners.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { E2E_SKIP_REASON } from '../e2e/support/env.js';
import {
  STUDIO,
  Screenshots,
  createProject,
  launchChromium,
  newEmail,
  signUp,
  waitForJob,
} from './support.js';

describe.skipIf(E2E_SKIP_REASON !== null)('the studio, takes', () => {
  let browser: Browser;
  let owner: BrowserContext;
  let tabA: Page;
  let projectId: string;
  const shots = new Screenshots('takes');

  beforeAll(async () => {
    browser = await launchChromium();
    owner = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    tabA = await owner.newPage();
    await signUp(tabA, newEmail('takes'));
    projectId = await createProject(tabA, { name: 'Takes' });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && tabA && !tabA.isClosed()) await shots.take(tabA, 'failure');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every keyframe take, and choosing, pinning and deleting one shows in the other tab', async () => {
    await tabA.getByLabel('New scene title').fill('Doorway');
    await tabA.getByLabel('New scene description').fill('A doorway glows in the rain.');
    await tabA.getByRole('button', { name: 'Add scene' }).click();
    await tabA.getByRole('heading', { name: 'Scene 1: Doorway' }).waitFor();
    await tabA.getByRole('button', { name: 'More actions for scene 1' }).click();
    for (let i = 0; i < 2; i++) {
      await tabA.getByRole('button', { name: 'Generate scene 1 image' }).click();
      await waitForJob(tabA, 'Scene 1 image', 'processing').catch(() => undefined);
      await waitForJob(tabA, 'Scene 1 image', 'completed');
    }
    const tabB = await owner.newPage();
    await tabB.goto(`${STUDIO}/projects/${projectId}`);
    for (const tab of [tabA, tabB]) {
      await tab.getByText('Scene 1 takes').click();
      await tab.getByRole('listitem', { name: 'scene 1 image take 2' }).waitFor();
    }
    const take = (tab: Page, n: number) => tab.getByRole('listitem', { name: `scene 1 image take ${n}` });
    // The newest is chosen; each take shows its cost and date.
    expect(await take(tabB, 2).getAttribute('aria-current')).toBe('true');
    expect(await take(tabB, 1).textContent()).toMatch(/\$0\.\d{4} · /);

    await tabA.getByRole('button', { name: 'Choose scene 1 image take 1' }).click();
    await tabB.locator('li[aria-label="scene 1 image take 1"][aria-current="true"]').waitFor();
    await tabA.getByRole('button', { name: 'Pin scene 1 image take 2' }).click();
    await take(tabB, 2).getByText('· pinned').waitFor();
    await shots.take(tabB, 'strip-in-tab-b');
    // The chosen take cannot be deleted; the other one can, and goes from both tabs.
    expect(await tabA.getByRole('button', { name: 'Delete scene 1 image take 1' }).isDisabled()).toBe(true);
    await tabA.getByRole('button', { name: 'Delete scene 1 image take 2' }).click();
    await take(tabB, 2).waitFor({ state: 'detached' });
    expect(await tabB.getByRole('listitem', { name: /scene 1 image take/ }).count()).toBe(1);
    await tabB.close();
  });
});
