import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ONE_FACE_ANALYSIS } from '@deepface/fake-engine';
import { pngImage } from '../../gateway/test/factories/images';
import { createCustomer, type TestGateway } from '../../gateway/test/helpers/app';
import {
  ARTIFACTS,
  BrowserSuite,
  executeInDocs,
  expectText,
  seriousViolations,
  signUpInPage,
} from './support/browser';

/**
 * Accessibility and the narrow-screen layout (issue 17) in a real headless Chromium at 1280 and 390 px, against
 * the gateway with the fake engine: axe-core (injected into the page) finds no serious or critical violation on
 * any signed-in screen — overview, the playground with a result of each operation, keys, usage, billing,
 * security — nor in the documentation UI; the nav is reachable on a phone (a Menu disclosure), the top bar stays
 * short, results are scrolled to and focused, tables scroll inside their card, and the playground's fixes hold
 * (no broken-image icons, stale results marked, oversized files refused and cleared, limits stated, labels that
 * never overlap, the look-alike threshold and the race caveat shown, a curl command that runs without the key or
 * image bytes in it).
 * The docs: header flush with the page, the description once, synthetic samples, a pasted key pre-authorising
 * Swagger UI from sessionStorage. Screenshots go to artifacts/browser/a11y-*.png.
 */
const PASSWORD = 'Quartz-lantern-47-orbit!';

/** Six faces side by side, as on a group photo (regions in the pixels of an 800×300 image). */
const GROUP_PHOTO = pngImage(800, 300);
const GROUP_ANALYSIS = {
  ...ONE_FACE_ANALYSIS,
  faces: Array.from({ length: 6 }, (_, i) => ({
    ...ONE_FACE_ANALYSIS.faces![0]!,
    region: { x: 20 + i * 128, y: 90 + (i % 2) * 20, w: 120, h: 130, left_eye: null, right_eye: null },
    emotion: {
      dominant: 'surprised',
      scores: [
        { label: 'surprised', percent: 98.12 },
        { label: 'neutral', percent: 1.88 },
      ],
    },
  })),
};

describe.each([
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
])('accessibility and layout in Chromium at $width px', ({ width, height }) => {
  const mobile = width < 640;
  const suite = new BrowserSuite();
  const { problems } = suite;
  let gw: TestGateway;
  let base: string;
  let page: Page;
  let files: string;
  const img: Record<'idCard' | 'selfie' | 'selfie2' | 'face' | 'group' | 'big', string> = {} as never;

  beforeAll(async () => {
    ({ gw, base, page } = await suite.start({
      viewport: { width, height },
      // The refused playground run (on purpose): Chromium logs the 400 as a failed resource.
      ignore: (message) =>
        /status of 400/.test(message.text()) &&
        message.location().url.endsWith('/dashboard/api/playground/analyze'),
    }));
    // Files to upload: the gateway's own sample images, a group photo and a 6 MB file.
    files = mkdtempSync(path.join(tmpdir(), 'deepface-a11y-'));
    const samples = {
      idCard: 'id-card.jpg',
      selfie: 'selfie.jpg',
      selfie2: 'selfie-2.jpg',
      face: 'face.jpg',
    };
    for (const [name, file] of Object.entries(samples)) {
      const res = await fetch(`${base}/dashboard/samples/${file}`);
      img[name as keyof typeof samples] = path.join(files, file);
      writeFileSync(img[name as keyof typeof samples], Buffer.from(await res.arrayBuffer()));
    }
    writeFileSync((img.group = path.join(files, 'team photo.png')), GROUP_PHOTO);
    const big = Buffer.alloc(6 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    writeFileSync((img.big = path.join(files, 'holiday-6mb.jpg')), big);
  }, 120_000);

  afterAll(() => suite.stop({ dirs: [files] }));

  /** axe-core finds no serious or critical violation on the screen (or inside `include`). */
  const axe = async (name: string, include?: string): Promise<void> => {
    const serious = (await seriousViolations(page, include)).map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`,
    );
    expect({ screen: name, width, serious }).toEqual({ screen: name, width, serious: [] });
  };
  const shot = async (name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, `a11y-${name}-${width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => {
      const over = document.documentElement.scrollWidth - window.innerWidth;
      if (!over) return 0;
      return Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map((el) => `${el.tagName}.${el.className}`)
        .join(' ');
    });
    expect({ name, overflow }).toEqual({ name, overflow: 0 });
  };
  const go = async (link: string, heading: string) => {
    if (mobile) await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: link }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };
  const activeElement = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}:${el.textContent?.trim()}` : '';
    });
  /** The element is wholly inside the viewport (polled: the page scrolls after the result arrives). */
  const inViewport = async (locator: Locator) => {
    for (let i = 0; i < 50; i++) {
      const box = await locator.boundingBox();
      const vh = page.viewportSize()!.height;
      if (box && box.y >= 0 && box.y + box.height <= vh) return true;
      await page.waitForTimeout(100);
    }
    return false;
  };

  it('signs up and checks the overview: short top bar, every nav link reachable', async () => {
    const status = await signUpInPage(page, base, {
      email: `ida.${Date.now()}@example.test`,
      name: 'Ida Lind',
      password: PASSWORD,
    });
    expect(status).toBe(201);
    await page.goto(`${base}/dashboard#/overview`);
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome, Ida Lind' }).waitFor();

    const bar = await page.locator('header.topbar').boundingBox();
    // One short row on a phone (it took ~22 % of the screen): at most 8 % of the height, 10 % on a desktop.
    expect(bar!.height / height).toBeLessThanOrEqual(mobile ? 0.08 : 0.1);
    const nav = page.getByRole('navigation', { name: 'Dashboard' });
    const menu = page.getByRole('button', { name: 'Menu' });
    if (mobile) {
      expect(await nav.isVisible()).toBe(false);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await shot('overview-menu-open');
    } else {
      expect(await menu.isVisible()).toBe(false);
    }
    // Every link, "API docs" included, is visible and wholly on screen.
    const links = nav.getByRole('link');
    expect(await links.count()).toBe(7);
    for (const link of await links.all()) {
      const box = await link.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);
      expect(await link.isVisible()).toBe(true);
    }
    await axe('overview');
    if (mobile) {
      // Escape closes the menu and gives focus back to its button.
      await nav.getByRole('link', { name: 'Usage' }).focus();
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await activeElement()).toBe('button:Menu');
      expect(await nav.isVisible()).toBe(false);
    }
    // The overview links to the docs' sections, not only their top.
    expect(await page.locator('main a[href^="/docs#/Face/"]').count()).toBeGreaterThanOrEqual(1);
    await shot('overview');
  });

  it('playground: no broken images, limits stated, an oversized file refused and cleared', async () => {
    await go('Playground', 'Playground');
    // Empty slots show their placeholder, never an <img> (a broken-image icon).
    expect(await page.locator('.slot img:visible').count()).toBe(0);
    expect(await page.locator('.slot .placeholder:visible').count()).toBe(2);
    // Limits and formats next to each picker, from the gateway's configuration, in the picker's description.
    const picker = page.getByLabel('ID document', { exact: true });
    const described = await picker.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    expect(described).toContain('JPEG, PNG, WebP, GIF, AVIF or TIFF; up to 5 MiB and 40 megapixels.');
    expect(await picker.getAttribute('accept')).toBe(
      'image/jpeg,image/png,image/webp,image/gif,image/avif,image/tiff',
    );
    await axe('playground-empty');

    await picker.setInputFiles(img.big);
    const refusal = page.locator('#file-img1-error');
    await expectText(refusal).toContainTextAsync('“holiday-6mb.jpg” is 6 MiB, over the 5 MiB limit');
    expect(await picker.evaluate((el) => (el as HTMLInputElement).files?.length)).toBe(0);
    expect(await picker.getAttribute('aria-describedby')).toContain('file-img1-error');
    expect(await page.locator('[data-field=img1] img:visible').count()).toBe(0);
    await shot('playground-refused');
  });

  it('playground verify: the result is scrolled to and focused, with curl and a docs link', async () => {
    const { key } = await createCustomer(gw);
    await page.getByLabel('ID document', { exact: true }).setInputFiles(img.idCard);
    await page.getByLabel('Selfie', { exact: true }).setInputFiles(img.selfie);
    expect(await page.locator('#file-img1-error').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Run verification' }).click();
    const heading = page.getByRole('heading', { name: 'Verification result' });
    await heading.waitFor();
    expect(await activeElement()).toBe('h2:Verification result');
    expect(await inViewport(heading)).toBe(true);
    expect(await page.locator('.verdict-title').textContent()).toBe('Verified');
    await axe('playground-verify');
    await shot('playground-verify');

    // "Open in docs" goes to the operation's section; "copy as curl" names the files and the key variable.
    expect(await page.getByRole('link', { name: 'Open verify in the API docs' }).getAttribute('href')).toBe(
      '/docs#/Face/verify',
    );
    const curl = (await page.getByTestId('curl').textContent()) ?? '';
    expect(curl).toContain('$DEEPFACE_API_KEY');
    expect(curl).toContain("'id-card.jpg'");
    expect(curl).toContain("'selfie.jpg'");
    expect(curl).not.toMatch(/df_(live|test)_/);
    expect(curl.length).toBeLessThan(600);
    // …and runs as is, in the folder holding the images, with a key from the environment.
    // (Asynchronously: the gateway answering it runs in this process.)
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'bash',
        ['-c', curl],
        { cwd: files, env: { ...process.env, DEEPFACE_API_KEY: key }, encoding: 'utf8', timeout: 30_000 },
        (error, stdout) => (error ? reject(new Error(error.message)) : resolve(stdout)),
      ),
    );
    expect(JSON.parse(out)).toMatchObject({ result: 'verified' });

    // Changing an image marks the result as stale until the next run.
    await page.getByLabel('Selfie', { exact: true }).setInputFiles(img.selfie2);
    await expectText(page.getByTestId('result')).toContainTextAsync('this result is for the previous ones');
    expect(await page.getByTestId('result').getAttribute('class')).toContain('stale');
    await page.getByRole('button', { name: 'Run verification' }).click();
    await page.getByRole('heading', { name: 'Verification result' }).waitFor();
    await expectText(page.getByTestId('result')).toContainTextAsync('Verified');
    expect(await page.getByTestId('result').textContent()).not.toContain('previous ones');
  });

  it('playground look-alike: the threshold is shown', async () => {
    await page.getByRole('radio', { name: 'Look-alike' }).check();
    await page.getByLabel('First photo').setInputFiles(img.selfie);
    await page.getByLabel('Second photo').setInputFiles(img.selfie2);
    await page.getByRole('button', { name: 'Compare faces' }).click();
    await page.getByRole('heading', { name: 'Look-alike result' }).waitFor();
    expect(await activeElement()).toBe('h2:Look-alike result');
    await expectText(page.locator('.facts')).toContainTextAsync(
      'Thresholdsame person at a face distance ≤ 0.5 (this pair: 0.2)',
    );
    expect(await page.getByTestId('curl').textContent()).toContain("'selfie-2.jpg'");
    await axe('playground-lookalike');
    await shot('playground-lookalike');
  });

  it('playground analyze on a group photo: labels apart, percentages on one line, race with its caveat', async () => {
    gw.engine.behaviour.Analyze = { kind: 'ok', response: GROUP_ANALYSIS };
    await page.getByRole('radio', { name: 'Analyze' }).check();
    await page.getByLabel('Photo', { exact: true }).setInputFiles(img.group);
    await page.getByRole('button', { name: 'Analyze faces' }).click();
    await page.getByRole('heading', { name: 'Analysis result' }).waitFor();
    expect(await activeElement()).toBe('h2:Analysis result');
    expect(await page.locator('.face-card').count()).toBe(6);
    // Each label inside its own box; no two labels overlap.
    const geometry = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-field=image] svg text.box-label')).map((t) => {
        const label = t.getBoundingClientRect();
        const box = (t.previousElementSibling as Element).getBoundingClientRect();
        return { label, box };
      }),
    );
    expect(geometry).toHaveLength(6);
    for (const [i, { label, box }] of geometry.entries()) {
      expect(label.left >= box.left && label.right <= box.right && label.bottom <= box.bottom).toBe(true);
      for (const other of geometry.slice(i + 1)) {
        const apart =
          label.right <= other.label.left ||
          other.label.right <= label.left ||
          label.bottom <= other.label.top ||
          other.label.bottom <= label.top;
        expect(apart).toBe(true);
      }
    }
    // Every score, e.g. "(98.12 %)", on one line and inside its card.
    const scores = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.face-card dd')).map((dd) => {
        const pct = dd.querySelector('.pct');
        const card = dd.closest('.face-card')!.getBoundingClientRect();
        return {
          text: dd.textContent,
          lines: pct ? new Set(Array.from(pct.getClientRects()).map((r) => Math.round(r.top))).size : 1,
          inside: (pct ?? dd).getBoundingClientRect().right <= card.right,
        };
      }),
    );
    expect(scores.length).toBe(24);
    expect(scores.filter((v) => v.lines !== 1 || !v.inside)).toEqual([]);
    await expectText(page.locator('.face-card').first()).toContainTextAsync('Race (estimate)');
    await expectText(page.locator('#race-caveat')).toContainTextAsync('Race is a low-accuracy estimate.');
    expect(
      await page
        .locator('.face-card dd[aria-describedby="race-caveat"]')
        .first()
        .evaluate((el) => el.textContent),
    ).toMatch(/^black \(100\u00a0%\)$/);
    await axe('playground-analyze');
    await shot('playground-analyze');
  });

  it('playground refusal: focus moves to the error, in view and announced, as it does for a result', async () => {
    // The trial credit is spent by now: $1.00 more, so that the refusal is the engine's (no face in the photo).
    const me = (await (await page.request.get(`${base}/dashboard/api/account`)).json()) as {
      account: { id: string };
    };
    await gw.services.billing.adjust(me.account.id, 'credit', 1_000_000, 'browser test: more runs');
    gw.engine.behaviour.Analyze = {
      kind: 'error',
      code: 3,
      detail: { reason: 'NO_FACE', message: 'engine words', image: 'IMG1' },
    };
    await page.getByRole('button', { name: 'Analyze faces' }).click();
    const error = page.getByRole('alert').filter({ hasText: 'no clear face was found' });
    await error.waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains('form-error'));
    expect(await activeElement()).toMatch(/^p:.*no clear face was found/);
    expect(await inViewport(error)).toBe(true);
    // The previous result is gone, not left on screen as if it were this run's.
    expect(await page.getByRole('heading', { name: 'Analysis result' }).count()).toBe(0);
    await axe('playground-refused-run');
    await shot('playground-refused-run');
    gw.engine.behaviour.Analyze = { kind: 'ok', response: ONE_FACE_ANALYSIS };
  });

  it('keys, usage, billing and security: no serious violations, tables scroll inside their card', async () => {
    await go('API keys', 'API keys');
    await page.getByLabel('Key name').fill('backend');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('new-key-secret').waitFor();
    await axe('keys');
    await shot('keys');

    expect(await page.locator('main a[href="/docs#/Account/getAccount"]').count()).toBe(1);

    await go('Usage', 'Usage');
    await page.locator('table').first().waitFor();
    // The top bar stays pinned and short while a long page scrolls; on a phone its menu opens from there.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const scrolled = await page.evaluate(() => window.scrollY);
    if (mobile) expect(scrolled).toBeGreaterThan(height);
    const pinned = await page.locator('header.topbar').boundingBox();
    expect(Math.abs(pinned!.y)).toBeLessThan(1);
    expect(pinned!.height / height).toBeLessThanOrEqual(mobile ? 0.08 : 0.1);
    if (mobile) {
      const menu = page.getByRole('button', { name: 'Menu' });
      await menu.click();
      const billing = page
        .getByRole('navigation', { name: 'Dashboard' })
        .getByRole('link', { name: 'Billing' });
      expect(await inViewport(billing)).toBe(true);
      await page.screenshot({ path: path.join(ARTIFACTS, `a11y-usage-scrolled-menu-${width}.png`) });
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
    }
    expect(await page.locator('main a[href="/docs#/Account/getUsage"]').count()).toBe(1);
    await axe('usage');
    // A table wider than its card scrolls inside it (the page itself never scrolls sideways: shot() checks).
    const tables = await page.evaluate(() =>
      Array.from(document.querySelectorAll('table')).map((t) => {
        const scroller = t.closest('.table-scroll');
        return {
          wrapped: !!scroller && getComputedStyle(scroller).overflowX === 'auto',
          fits: !scroller || scroller.getBoundingClientRect().right <= window.innerWidth,
        };
      }),
    );
    expect(tables.length).toBeGreaterThanOrEqual(1);
    expect(tables.filter((t) => !t.wrapped || !t.fits)).toEqual([]);
    await shot('usage');

    await go('Billing', 'Billing');
    await axe('billing');
    await shot('billing');

    await go('Security', 'Security');
    await axe('security');
    await shot('security');
  });

  it('docs: flush header, the description once, synthetic samples, no serious violations', async () => {
    await page.goto(`${base}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    const header = await page.locator('header.df-bar').boundingBox();
    expect({ x: header!.x, y: header!.y, width: header!.width }).toEqual({ x: 0, y: 0, width });
    const text = ((await page.locator('#swagger-ui .information-container').textContent()) ?? '').replace(
      /\s+/g,
      ' ',
    );
    expect(text.split('facial attribute').length - 1).toBe(1);
    expect(text).toContain('synthetic images');
    expect(text).not.toContain('real images');
    expect(text).toContain("demo account's API key");
    await axe('docs');
    await shot('docs');
  });

  it('docs: a pasted key pre-authorises Try it out in this tab, and is never sent until a call', async () => {
    const { key } = await createCustomer(gw);
    const sent: string[] = [];
    page.on('request', (request) => {
      const headers = JSON.stringify(request.headers()) + (request.postData() ?? '') + request.url();
      if (headers.includes(key)) sent.push(request.url());
    });
    await page.getByLabel('API key for “Try it out”').fill(key);
    await page.getByRole('button', { name: 'Use in this tab' }).click();
    await expectText(page.locator('#df-key-status')).toContainTextAsync('Key in use');
    expect(await page.evaluate(() => sessionStorage.getItem('deepface.docs.apiKey'))).toBe(key);
    // After a reload (this tab): Swagger UI is authorised from sessionStorage.
    await page.goto(`${base}/docs#/Face/verify`);
    await page.reload();
    const op = page.locator('#operations-Face-verify');
    await op.locator('.opblock-body').waitFor({ timeout: 30_000 });
    await page.locator('button.authorize.locked').first().waitFor();
    expect(sent).toEqual([]);
    expect(await executeInDocs(op, 30_000)).toMatch(/^200/);
    expect(sent).toEqual([`${base}/v1/verify`]);
    await axe('docs-try-it');
    await shot('docs-authorised');

    // "Forget" drops it and puts focus back in the field.
    await page.getByRole('button', { name: 'Forget' }).click();
    expect(await page.evaluate(() => sessionStorage.getItem('deepface.docs.apiKey'))).toBeNull();
    expect(await activeElement()).toBe('input#df-key-input:');
    expect(await page.locator('button.authorize.locked').count()).toBe(0);
  });

  it('keys: "Try it in the API docs" hands a new key to the docs (this tab only)', async () => {
    await page.goto(`${base}/dashboard#/keys`);
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByLabel('Key name').fill('docs-key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByTestId('new-key-secret').inputValue();
    await page.getByRole('button', { name: 'Try it in the API docs' }).click();
    await page.locator('button.authorize.locked').first().waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${base}/docs#/Face/verify`);
    expect(await page.evaluate(() => sessionStorage.getItem('deepface.docs.apiKey'))).toBe(secret);
  });

  it('raised no page errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
