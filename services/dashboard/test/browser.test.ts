import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { sampleImages, type SampleImages } from '@deepface/fixtures';
import { createCustomer, type TestGateway } from '../../gateway/test/helpers/app';
import { startRealEngine, type RealEngine } from '../../gateway/test/helpers/real-engine';
import { ARTIFACTS, BrowserSuite, executeInDocs, expectText, NO_BACKGROUND_TRAFFIC } from './support/browser';

/**
 * The dashboard and the docs in a real headless Chromium (Debian's), against the gateway and the REAL engine:
 * sign up, create a key, verify an ID card against a selfie in the playground (faces outlined), look-alike and
 * analyze, usage chart, revoke the key, sign out and in, and "try it" in the documentation UI. Screenshots go to
 * artifacts/browser/ (git-ignored) for a human to look at.
 */
const PASSWORD = 'correct horse battery';

describe('dashboard and docs in Chromium (real engine)', () => {
  const suite = new BrowserSuite();
  const { problems } = suite;
  let engine: RealEngine;
  let gw: TestGateway;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let imagesDir: string;
  const images: Record<keyof SampleImages, string> = {} as never;

  beforeAll(async () => {
    const dir = (imagesDir = mkdtempSync(path.join(tmpdir(), 'deepface-browser-')));
    // The same images the docs' "try it" uses, as files to upload.
    const samples = await sampleImages();
    for (const name of Object.keys(samples) as (keyof SampleImages)[]) {
      const buffer = samples[name];
      const file = path.join(dir, `${name}.${buffer[0] === 0x89 ? 'png' : 'jpg'}`);
      writeFileSync(file, buffer);
      images[name] = file;
    }

    engine = await startRealEngine();
    ({ gw, base, context, page } = await suite.start({
      viewport: { width: 1280, height: 900 },
      env: { ENGINE_ADDRESS: engine.address, ENGINE_TIMEOUT_MS: '30000', PASSWORD_SCRYPT_LOG2N: '14' },
      args: NO_BACKGROUND_TRAFFIC,
      // The wrong passwords typed on purpose below are answered 401, which Chromium logs.
      ignore: (message) =>
        /\/dashboard\/api\/(login|password)$/.test(message.location().url) && message.text().includes('401'),
    }));
  }, 180_000);

  afterAll(() => suite.stop({ closers: [() => engine?.stop()], dirs: [imagesDir] }));

  const shot = async (name: string, fullPage = true) => {
    // From the top: a full-page shot of a scrolled page would paint the sticky header mid-page.
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
  };
  const email = `amy.${Date.now()}@example.test`;
  let secret = '';

  it('signs up and lands on the overview with the trial credit', async () => {
    await page.goto(`${base}/dashboard`);
    await page.getByRole('heading', { name: 'Sign in to your dashboard' }).waitFor();
    await shot('01-sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Name or company').fill('Amy Nowak');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Welcome, Amy Nowak' }).waitFor();
    await expectText(page.locator('.stat').first()).toContainTextAsync('$1.00');
    const cookies = await context.cookies(base);
    expect(cookies).toEqual([
      expect.objectContaining({
        name: '__Host-df_session',
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
        path: '/',
      }),
    ]);
    await shot('02-overview');
  });

  it('is keyboard-usable: skip link first, every form control labelled', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome, Amy Nowak' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, textarea, button'))
        .filter((el) => {
          const labelled =
            (el as HTMLInputElement).labels?.length ||
            el.getAttribute('aria-label') ||
            el.textContent?.trim();
          return !labelled;
        })
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
  });

  it('creates an API key whose secret is shown once and works on the API', async () => {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('backend');
    await page.getByLabel('Mode').selectOption('test');
    await page.getByRole('button', { name: 'Create key' }).click();
    const field = page.getByTestId('new-key-secret');
    await field.waitFor();
    secret = await field.inputValue();
    expect(secret).toMatch(/^df_test_[0-9A-Za-z]{36}$/);
    await expectText(page.locator('table')).toContainTextAsync('backend');
    await shot('03-key-created');
    const res = await fetch(`${base}/v1/account`, { headers: { 'X-API-KEY': secret } });
    expect(res.status).toBe(200);
    // Reloading shows the key's prefix only: the secret is gone for good.
    await page.reload();
    await page.locator('table').waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('verifies an uploaded ID card against a selfie with the real engine, faces outlined', async () => {
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByLabel('ID document', { exact: true }).setInputFiles(images.idCard);
    await page.getByLabel('Selfie', { exact: true }).setInputFiles(images.selfie);
    await page.getByRole('button', { name: 'Run verification' }).click();
    const verdict = page.locator('.verdict-title');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.textContent()).toBe('Verified');
    expect(await page.locator('[data-field=img1] svg rect.box').count()).toBe(1);
    expect(await page.locator('[data-field=img2] svg rect.box').count()).toBe(1);
    // The document's machine-readable zone, as facts (the sample card's zone reads; never its personal fields).
    await expectText(page.locator('dl.facts')).toContainTextAsync('Document MRZ');
    await expectText(page.locator('dl.facts')).toContainTextAsync('id card (TD1)');
    // The selfie's estimated age against the document's, as a report.
    await expectText(page.locator('dl.facts')).toContainTextAsync('consistent with the document');
    // Each face's quality by role, and the selfie's liveness signal said to be weak.
    await expectText(page.locator('dl.facts')).toContainTextAsync('ID document');
    await expectText(page.locator('dl.facts')).toContainTextAsync('/100; Selfie');
    await expectText(page.locator('dl.facts')).toContainTextAsync('a weak single-frame signal');
    await expectText(page.locator('.balance-pill')).toContainTextAsync('$0.75');
    await shot('04-playground-verify');
  });

  it('scores a look-alike and analyses a face, with boxes', async () => {
    await page.getByRole('radio', { name: 'Look-alike' }).check();
    await page.getByLabel('First photo').setInputFiles(images.selfie);
    await page.getByLabel('Second photo').setInputFiles(images.selfie2);
    await page.getByRole('button', { name: 'Compare faces' }).click();
    await page.locator('.verdict-title').waitFor({ timeout: 60_000 });
    expect(await page.locator('.verdict-title').textContent()).toMatch(/% similar$/);
    expect(await page.locator('[data-field=img2] svg rect.box').count()).toBe(1);
    await shot('05-playground-lookalike');

    await page.getByRole('radio', { name: 'Analyze' }).check();
    await page.getByLabel('Photo', { exact: true }).setInputFiles(images.face);
    await page.getByRole('button', { name: 'Analyze faces' }).click();
    await page.locator('.face-card').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('.face-card').first().textContent()).toMatch(/Emotionhappy/);
    expect(await page.locator('[data-field=image] svg rect.box').count()).toBeGreaterThanOrEqual(1);
    await shot('06-playground-analyze');
  });

  it('shows usage with a chart and the ledger', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.locator('svg.chart').waitFor();
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThanOrEqual(1);
    await expectText(page.locator('.stat').first()).toContainTextAsync('3');
    // The first table is the activity list (the refused calls follow).
    await expectText(page.locator('table').first()).toContainTextAsync('sign-up trial credit');
    await shot('07-usage');
  });

  it('revokes the key after confirmation; the API then refuses it', async () => {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Revoke key backend' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await shot('08-revoke-dialog', false);
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    // Revoked keys are hidden until asked for.
    await page.getByRole('button', { name: 'Show revoked (1)' }).click();
    await expectText(page.locator('table')).toContainTextAsync('Revoked');
    await shot('09-key-revoked');
    const res = await fetch(`${base}/v1/account`, { headers: { 'X-API-KEY': secret } });
    expect(res.status).toBe(401);
  });

  it('signs out and back in (a new session)', async () => {
    const before = (await context.cookies(base))[0]?.value;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your dashboard' }).waitFor();
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert')).toContainTextAsync('not right');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Amy Nowak' }).waitFor();
    const after = (await context.cookies(base))[0]?.value;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('10-overview-mobile');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('changes the password, then signs out everywhere', async () => {
    const NEW_PASSWORD = 'a much better passphrase';
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Security' }).click();
    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page.getByRole('alert')).toContainTextAsync('not right');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page.getByRole('status')).toContainTextAsync('Password changed');
    await shot('10b-security');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('heading', { name: 'Sign in to your dashboard' }).waitFor();
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Amy Nowak' }).waitFor();
  });

  it('tries the API live in the documentation UI', async () => {
    const { key } = await createCustomer(gw, { mode: 'test' });
    await page.goto(`${base}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    await page.locator('button.authorize').first().click();
    await page.locator('.modal-ux input').fill(key);
    await page.locator('.modal-ux button.authorize').click();
    await page.locator('.modal-ux button.btn-done').click();
    await page.locator('#operations-Face-verify .opblock-summary').click();
    const op = page.locator('#operations-Face-verify');
    expect(await executeInDocs(op, 60_000)).toMatch(/^200/);
    await expectText(op.locator('.live-responses-table')).toContainTextAsync('"verified": true');
    // The copy-paste curl snippet of the request just made.
    await expectText(op.locator('.request-snippets pre.curl').first()).toContainTextAsync(
      `X-API-KEY: ${key}`,
    );
    await op.locator('.live-responses-table').scrollIntoViewIfNeeded();
    await shot('11-docs-try-it', false);
  });

  it('raised no page errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
