// Browser tests drive the studio as a person does: Debian's Chromium (headless, via playwright-core) on the
// page the Hosting emulator serves, against the emulators and the provider stand-in the harness started.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ROOT, STUDIO_URL } from '../../scripts/harness/env.js';

export const STUDIO = process.env.STUDIO_URL ?? STUDIO_URL;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without these, Chromium's background connections are refused by a closed network many times a second
 * (OFFLINE.md); playwright gives each launch a fresh, empty profile directory. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; .ci/run does), ` +
        'or set CHROMIUM_PATH',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** One Chromium and one page for the suite it is called in (inside its `describe`), with a screenshot of
 * what the page showed when a test fails, beside the steps' own. Returns the page (once `beforeAll` ran). */
export function suitePage(shots: Screenshots): () => Page {
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page && !page.isClosed()) await shots.take(page, 'failure');
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!page) throw new Error('suitePage: the page is made in beforeAll');
    return page;
  };
}

/** Numbered screenshots of one suite under out/studio/<suite>/. */
export class Screenshots {
  private n = 0;
  readonly dir: string;
  constructor(suite: string) {
    this.dir = join(ROOT, 'out', 'studio', suite);
  }
  async take(page: Page, step: string): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${String(++this.n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }
}

export const PASSWORD = 'studio-password-1';

export function newEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@reelforge.test`;
}

/** Signs a new person up through the studio's form; resolves once the project list shows. */
export async function signUp(page: Page, email: string): Promise<void> {
  await page.goto(STUDIO);
  await page.getByRole('button', { name: 'New here? Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Your projects' }).waitFor();
}

/** Signs a known person in through the studio's form on the page it shows now (the sign-in form is what a
 * signed-out page shows, whatever its address); resolves once the form is gone. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'detached' });
}

export interface BriefInput {
  name: string;
  notes?: string;
}

/** Fills the new-project form and creates it; resolves with the project id once its page shows. */
export async function createProject(page: Page, input: BriefInput): Promise<string> {
  const form = page.getByRole('region', { name: 'New project' });
  await form.getByLabel('Project name').fill(input.name);
  await form.getByLabel('Brand name').fill('Glowbrew');
  await form.getByLabel('Product description').fill('A cold brew coffee that glows softly in the dark.');
  await form.getByLabel('Target audience').fill('Night-shift workers aged 25-40');
  await form.getByLabel('Key message').fill('Stay bright when the city sleeps.');
  await form.getByLabel('Tone').fill('Warm, playful, cinematic');
  if (input.notes) await form.getByLabel('Notes (optional)').fill(input.notes);
  await form.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { level: 1, name: input.name }).waitFor();
  const id = /\/projects\/([A-Za-z0-9_-]+)$/.exec(new URL(page.url()).pathname)?.[1];
  if (!id) throw new Error(`not on a project page: ${page.url()}`);
  return id;
}

/** The live status of a job ("Moods", "Scene 1 image", ...). */
export function jobStatus(page: Page, label: string): Locator {
  return page.getByRole('status', { name: `${label} status` });
}

/** Waits until the job's status reads `status` (the whole word), failing early on an unexpected failure. */
export async function waitForJob(page: Page, label: string, status = 'completed', timeout = 90_000) {
  await jobStatus(page, label)
    .filter({ hasText: new RegExp(`^${status}`) })
    .waitFor({ timeout });
}

/** Resolves with the page's clock (Date.now, the same clock as Node's on this machine) at the moment an
 * element matching `selector` first has text starting with `text`, seen by a MutationObserver in the page.
 * Start it before the change; the returned promise settles when the page shows it. */
export function shownAt(page: Page, selector: string, text: string): Promise<number> {
  // A string, evaluated in the page: the Node-side sources compile without DOM types.
  return page.evaluate(`new Promise((resolve) => {
    const selector = ${JSON.stringify(selector)};
    const wanted = ${JSON.stringify(text)};
    const find = () => [...document.querySelectorAll(selector)].some((el) => (el.textContent || '').startsWith(wanted));
    if (find()) return resolve(Date.now());
    const observer = new MutationObserver(() => {
      if (!find()) return;
      observer.disconnect();
      resolve(Date.now());
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  })`) as Promise<number>;
}

/** Every control on the page without an accessible name (aria-label, aria-labelledby, a <label>, or its
 * own text for buttons and links), described by tag and a bit of its HTML. Empty when all are named. */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const controls = document.querySelectorAll('button, a[href], input, select, textarea, video, progress, output, [role="button"]');
    const named = (el) => {
      if ((el.getAttribute('aria-label') || '').trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\\s+/).some((id) => (document.getElementById(id)?.textContent || '').trim())) return true;
      if (el.labels && [...el.labels].some((l) => (l.textContent || '').trim())) return true;
      if (['BUTTON', 'A'].includes(el.tagName) && (el.textContent || '').trim()) return true;
      return false;
    };
    return [...controls].filter((el) => !named(el)).map((el) => el.outerHTML.slice(0, 120));
  })()`) as Promise<string[]>;
}

/** Waits until an <img> has loaded real pixels (a broken or pending image has no natural width). */
export async function waitForImageLoaded(image: Locator, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    // Runs in the page; the element is an <img> (the Node-side sources have no DOM types).
    const loaded = await image.evaluate((el) => {
      const img = el as unknown as { complete: boolean; naturalWidth: number };
      return img.complete && img.naturalWidth > 0;
    });
    if (loaded) return;
    if (Date.now() > deadline) throw new Error('the image did not load');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The duration in seconds of a <video>, once its metadata has loaded (rejects if it cannot load). */
export function videoDuration(video: Locator): Promise<number> {
  return video.evaluate(
    (el) =>
      new Promise<number>((resolve, reject) => {
        const v = el as unknown as {
          readyState: number;
          duration: number;
          addEventListener(type: string, listener: () => void): void;
        };
        if (v.readyState >= 1) return resolve(v.duration);
        v.addEventListener('loadedmetadata', () => resolve(v.duration));
        v.addEventListener('error', () => reject(new Error('the video does not load')));
      }),
  );
}

/** What one axe rule found wrong on the page: its id, impact, help text and where (CSS selectors). */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core (its own browser bundle, injected into the page) over the whole page as it is now and
 * returns the serious and critical violations: what keeps a person using a screen reader, a keyboard or
 * low vision from the control (no name, a broken role, text they cannot read). Minor and moderate findings
 * are left out; an empty answer is the bar for every page of the journey.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // A navigation or reload starts a new document without it; the studio's own route changes keep it.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) {
    await page.addScriptTag({ content: await axeSource });
  }
  // A string, evaluated in the page: the Node-side sources compile without DOM types.
  return page.evaluate(`window.axe
    .run(document, { resultTypes: ['violations'] })
    .then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }))
    )`) as Promise<AxeFinding[]>;
}

/** Why a button is disabled, as the page says it (the text its aria-describedby names); null while it is
 * enabled. A disabled button with no reason is reported as '(no reason given)'. */
export async function blockedReason(button: Locator): Promise<string | null> {
  await button.waitFor();
  // Runs in the page (the Node-side sources have no DOM types).
  return button.evaluate((el) => {
    const b = el as unknown as {
      disabled: boolean;
      getAttribute(name: string): string | null;
      ownerDocument: { getElementById(id: string): { textContent: string | null } | null };
    };
    if (!b.disabled) return null;
    const ids = (b.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    const text = ids
      .map((id) => b.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim();
    return text || '(no reason given)';
  });
}
