import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { freePort, listen, startGateway, type TestGateway } from '../../../gateway/test/helpers/app';

/**
 * What every dashboard browser suite shares: the gateway (SQLite, fake engine unless the suite says otherwise) on
 * a free localhost port, Debian's headless Chromium on a fresh profile, the page errors and console errors the
 * suite ends by asserting on, axe-core, and a text poll. Not a test file: jest's testMatch is `**\/*.test.ts`.
 */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots for a human to look at (git-ignored). */
export const ARTIFACTS = path.resolve(__dirname, '../../../../artifacts/browser');
/** Chromium's own traffic (component updates, QUIC probes) off: the suites against the real engine or Stripe. */
export const NO_BACKGROUND_TRAFFIC = [
  '--disable-background-networking',
  '--disable-quic',
  '--disable-component-update',
];

export interface BrowserSuiteOptions {
  viewport: { width: number; height: number };
  /** Gateway environment on top of the defaults (fast password hashing, sign-ups not limited, the port). */
  env?: Record<string, string>;
  /** Chromium flags beyond the common ones. */
  args?: readonly string[];
  /** Where downloads are saved (they are refused without it). */
  downloadsPath?: string;
  /** A console message the suite provokes on purpose (a refusal Chromium logs as a failed resource). */
  ignore?: (message: ConsoleMessage) => boolean;
}

export interface StopOptions {
  /** Run after the gateway is closed, in order (a stand-in, an SMTP capture, the real engine). */
  closers?: ReadonlyArray<() => Promise<unknown> | undefined>;
  /** Temporary folders to remove besides the profile. */
  dirs?: ReadonlyArray<string | undefined>;
}

/**
 * One suite's gateway and browser. start() fills the fields as it goes, so stop() (in afterAll) closes whatever
 * a failed beforeAll did start.
 */
export class BrowserSuite {
  private gw?: TestGateway;
  private server?: Server;
  private context?: BrowserContext;
  private profile?: string;
  /** Page errors, console errors and CSP reports: each suite's last test expects none. */
  readonly problems: string[] = [];

  async start(options: BrowserSuiteOptions) {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const port = await freePort();
    // localhost: a secure context for browsers, so the __Host- (Secure) session cookie works over plain http.
    const base = `http://localhost:${port}`;
    const gw = (this.gw = await startGateway({
      db: 'sqlite',
      env: {
        PASSWORD_SCRYPT_LOG2N: '12',
        // Every sign-up comes from 127.0.0.1.
        SIGNUPS_PER_IP_PER_HOUR: '1000',
        PORT: String(port),
        ...options.env,
      },
    }));
    this.server = (await listen(gw.app, port)).server;
    this.profile = mkdtempSync(path.join(tmpdir(), 'deepface-chromium-'));
    const context = (this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: options.viewport,
      ...(options.downloadsPath ? { acceptDownloads: true, downloadsPath: options.downloadsPath } : {}),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-sync',
        ...(options.args ?? []),
      ],
    }));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (options.ignore?.(message)) return;
      if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) {
        this.problems.push(`console: ${message.text()} (${message.location().url})`);
      }
    });
    return { gw, base, context, page, profile: this.profile };
  }

  async stop({ closers = [], dirs = [] }: StopOptions = {}) {
    await this.context?.close();
    const server = this.server;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await this.gw?.close();
    for (const close of closers) await close();
    for (const dir of [this.profile, ...dirs]) if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls a locator's text until it contains `expected` (playwright-core has no test-runner `expect`). */
export function expectText(locator: Locator) {
  return {
    async toContainTextAsync(expected: string, timeout = 15_000) {
      const until = Date.now() + timeout;
      let text = '';
      while (Date.now() < until) {
        text = (await locator.textContent().catch(() => '')) ?? '';
        if (text.includes(expected)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`expected "${expected}" in: ${text.slice(0, 500)}`);
    },
  };
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the current screen, or inside `include` (a selector). Injected
 * over the DevTools protocol, so the page's CSP needs no exception.
 */
export async function seriousViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async (context) => {
    const w = window as unknown as {
      axe: {
        run(
          c: unknown,
          o: unknown,
        ): Promise<{
          violations: Array<{
            id: string;
            impact: string | null;
            help: string;
            nodes: Array<{ target: unknown[] }>;
          }>;
        }>;
      };
    };
    const result = await w.axe.run(context ? { include: [context] } : document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  }, include ?? null);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Signs up through the dashboard's own API from the page (the sign-up form has its own browser test), so the
 * session cookie lands in this browser; the response's status.
 */
export async function signUpInPage(
  page: Page,
  base: string,
  account: { email: string; name: string; password: string },
): Promise<number> {
  await page.goto(`${base}/dashboard`);
  await page.locator('form').first().waitFor();
  return page.evaluate(async (body) => {
    const res = await fetch('/dashboard/api/signup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return res.status;
  }, account);
}

/** Swagger UI's "Try it out" (when not already on) and "Execute" on an operation; its response's status. */
export async function executeInDocs(op: Locator, timeout: number): Promise<string | undefined> {
  const tryOut = op.locator('button.try-out__btn');
  if ((await tryOut.count()) > 0 && (await tryOut.textContent())?.includes('Try it out'))
    await tryOut.click();
  await op.locator('button.execute').click();
  const status = op.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor({ timeout });
  return (await status.textContent())?.trim();
}
