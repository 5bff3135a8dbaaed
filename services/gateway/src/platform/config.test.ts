import { ConfigError, loadConfig, loadConfigOrExit } from './config';

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.db.url).toBeUndefined();
    expect(config.billing.defaultPrices).toEqual({ verify: 250_000, analyze: 300_000, lookalike: 200_000 });
    expect(config.engine.timeoutMs).toBe(20_000);
    expect(config.images.allowHosts).toEqual([]);
    expect(config.demoAccount).toBe(true);
    expect(Object.isFrozen(config.billing.defaultPrices)).toBe(true);
  });

  it('parses values and lists every problem at once', () => {
    expect(
      loadConfig({ IMAGE_FETCH_ALLOW_HOSTS: 'Localhost, images.internal', NODE_ENV: 'production' }),
    ).toMatchObject({
      images: { allowHosts: ['localhost', 'images.internal'] },
      demoAccount: false,
      db: { migrateOnStart: false },
    });
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'postgres://x/y', ENGINE_TIMEOUT_MS: '-1' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/ENGINE_TIMEOUT_MS/);
    }
  });

  it('at a process entry, prints every problem to stderr and exits 78 (EX_CONFIG)', () => {
    const saved = process.env.PORT;
    process.env.PORT = 'abc';
    const exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => loadConfigOrExit()).toThrow('exit 78');
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/invalid configuration:[\s\S]*PORT/));
    } finally {
      exit.mockRestore();
      write.mockRestore();
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('refuses a reservation TTL shorter than the longest request', () => {
    expect(() => loadConfig({ RESERVATION_TTL_S: '30', ENGINE_TIMEOUT_MS: '60000' })).toThrow(
      /RESERVATION_TTL_S/,
    );
  });

  it('defaults the public origins to localhost and 127.0.0.1 on PORT, and parses PUBLIC_ORIGIN', () => {
    expect(loadConfig({}).publicOrigins).toEqual(['http://localhost:8080', 'http://127.0.0.1:8080']);
    expect(loadConfig({ PORT: '9000' }).publicOrigins).toEqual([
      'http://localhost:9000',
      'http://127.0.0.1:9000',
    ]);
    expect(
      loadConfig({ PUBLIC_ORIGIN: 'https://API.example.com/, http://10.0.0.5:8080' }).publicOrigins,
    ).toEqual(['https://api.example.com', 'http://10.0.0.5:8080']);
    for (const bad of [
      'api.example.com',
      'ftp://x.example',
      'https://x.example/path',
      'https://u:p@x.example',
    ]) {
      expect(() => loadConfig({ PUBLIC_ORIGIN: bad })).toThrow(/PUBLIC_ORIGIN/);
    }
  });

  it('bounds password hashing: one at a time and four waiting by default', () => {
    expect(loadConfig({}).dashboard).toMatchObject({ hashConcurrency: 1, hashQueue: 4 });
    expect(loadConfig({ PASSWORD_HASH_CONCURRENCY: '2', PASSWORD_HASH_QUEUE: '0' }).dashboard).toMatchObject({
      hashConcurrency: 2,
      hashQueue: 0,
    });
    expect(() => loadConfig({ PASSWORD_HASH_CONCURRENCY: '0' })).toThrow(/PASSWORD_HASH_CONCURRENCY/);
  });

  it('limits test-key calls per account: 20 per window by default', () => {
    expect(loadConfig({}).rateLimit.testPoints).toBe(20);
    expect(loadConfig({ TEST_RATE_LIMIT_POINTS: '5' }).rateLimit.testPoints).toBe(5);
    expect(() => loadConfig({ TEST_RATE_LIMIT_POINTS: '0' })).toThrow(/TEST_RATE_LIMIT_POINTS/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).redis.url).toBeUndefined();
  });
});

describe('loadConfig: proxies, metrics listener and the engine link (issue 18)', () => {
  const problemsOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.join('\n');
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('trusts no proxy and serves metrics on loopback by default, with no engine credentials', () => {
    const config = loadConfig({});
    expect(config.trustProxy).toBe(false);
    expect(config.metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(config.engine.authToken).toBeUndefined();
    expect(config.engine.tls).toBeUndefined();
  });

  it('TRUST_PROXY takes a hop count or proxy addresses, CIDRs and named ranges (Express semantics)', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'Loopback, 10.0.0.0/8, fd00::/8, 192.0.2.7' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.7',
    ]);
  });

  it('refuses TRUST_PROXY=true (any client could pick its own IP) and anything that is not an address', () => {
    for (const value of ['true', 'yes', 'ingress-nginx', '10.0.0.0/33', '300.1.1.1', '11', ',']) {
      expect([value, problemsOf({ TRUST_PROXY: value })]).toEqual([
        value,
        expect.stringMatching(/TRUST_PROXY/),
      ]);
    }
  });

  it('ENGINE_AUTH_TOKEN: 32+ printable characters, never echoed in the problem', () => {
    expect(loadConfig({ ENGINE_AUTH_TOKEN: 'x'.repeat(32) }).engine.authToken).toBe('x'.repeat(32));
    const short = 'short-secret-value';
    const problems = problemsOf({ ENGINE_AUTH_TOKEN: short });
    expect(problems).toMatch(/ENGINE_AUTH_TOKEN/);
    expect(problems).not.toContain(short);
    expect(problemsOf({ ENGINE_AUTH_TOKEN: `${'x'.repeat(32)} y` })).toMatch(/ENGINE_AUTH_TOKEN/);
  });

  it('ENGINE_TLS_*: a CA alone verifies the engine; a certificate needs its key (mutual TLS)', () => {
    expect(loadConfig({ ENGINE_TLS_CA: '/tls/ca.crt' }).engine.tls).toEqual({
      ca: '/tls/ca.crt',
      cert: undefined,
      key: undefined,
    });
    expect(
      loadConfig({
        ENGINE_TLS_CA: '/tls/ca.crt',
        ENGINE_TLS_CERT: '/tls/c.crt',
        ENGINE_TLS_KEY: '/tls/c.key',
      }).engine.tls,
    ).toEqual({ ca: '/tls/ca.crt', cert: '/tls/c.crt', key: '/tls/c.key' });
    expect(problemsOf({ ENGINE_TLS_CERT: '/tls/c.crt' })).toMatch(/ENGINE_TLS_KEY/);
    expect(problemsOf({ ENGINE_TLS_KEY: '/tls/c.key' })).toMatch(/ENGINE_TLS_CERT/);
  });

  it('METRICS_HOST moves the metrics listener (the image sets 0.0.0.0)', () => {
    expect(loadConfig({ METRICS_HOST: '0.0.0.0' }).metrics.host).toBe('0.0.0.0');
  });
});

describe('fairness and abuse limits (issue 18: items 4, 5, 7)', () => {
  it('are on by default', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toEqual({
      points: 120,
      windowS: 60,
      accountPoints: 240,
      accountConcurrency: 8,
      testPoints: 20,
    });
    expect(config.keys.maxActive).toBe(10);
    expect(config.jobs.downloadRetries).toBe(1);
    expect(config.engine.tenantSecret).toBeUndefined();
    expect(config.webhooks.allowHosts).toEqual([]);
  });

  it('parses them and refuses what makes no sense', () => {
    expect(
      loadConfig({
        ACCOUNT_RATE_LIMIT_POINTS: '1000',
        ACCOUNT_MAX_CONCURRENT: '0',
        ACCOUNT_MAX_KEYS: '3',
        JOBS_DOWNLOAD_RETRIES: '0',
        ENGINE_TENANT_SECRET: 's'.repeat(32),
        IMAGE_FETCH_ALLOW_HOSTS: 'images.internal, minio.internal:9000, [fd00::1]:*',
      }),
    ).toMatchObject({
      rateLimit: { accountPoints: 1000, accountConcurrency: 0 },
      keys: { maxActive: 3 },
      jobs: { downloadRetries: 0 },
      engine: { tenantSecret: 's'.repeat(32) },
      images: { allowHosts: ['images.internal', 'minio.internal:9000', '[fd00::1]:*'] },
    });
    for (const [name, value] of [
      ['ACCOUNT_RATE_LIMIT_POINTS', '0'],
      ['ACCOUNT_MAX_KEYS', '0'],
      ['JOBS_DOWNLOAD_RETRIES', '3'],
      ['ENGINE_TENANT_SECRET', 'short'],
      ['IMAGE_FETCH_ALLOW_HOSTS', 'images.internal:99999'],
      ['WEBHOOK_ALLOW_HOSTS', 'hooks.internal:any'],
    ] as const) {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
    }
  });
});

describe('money path: low-balance warning and adding credit (issue 17)', () => {
  const SECRET = 'sk_test_51abcdefghijklmnopqrstuvwxyz0123';
  const WHSEC = 'whsec_abcdefghijklmnopqrstuvwxyz012345';

  it('defaults: warn below $0.50; no Stripe, no link, no instructions; $10, $25, $100 offered', () => {
    const config = loadConfig({});
    expect(config.dashboard.lowBalanceMicros).toBe(500_000);
    expect(config.topup).toEqual({
      stripe: undefined,
      amountsMicros: [10_000_000, 25_000_000, 100_000_000],
      url: undefined,
      instructions: undefined,
    });
  });

  it('parses the Stripe settings, amounts (sorted, de-duplicated) and the operator fallbacks', () => {
    expect(
      loadConfig({
        LOW_BALANCE_WARNING_USD: '2.5',
        STRIPE_SECRET_KEY: SECRET,
        STRIPE_WEBHOOK_SECRET: WHSEC,
        STRIPE_TOPUP_AMOUNTS_USD: '50, 5,5, 12.34',
        STRIPE_API_BASE: 'http://127.0.0.1:12111',
        TOPUP_URL: 'https://pay.example.test/deepface',
        TOPUP_INSTRUCTIONS: 'Write to billing@example.test.',
      }),
    ).toMatchObject({
      dashboard: { lowBalanceMicros: 2_500_000 },
      topup: {
        stripe: { secretKey: SECRET, webhookSecret: WHSEC, apiBase: 'http://127.0.0.1:12111' },
        amountsMicros: [5_000_000, 12_340_000, 50_000_000],
        url: 'https://pay.example.test/deepface',
        instructions: 'Write to billing@example.test.',
      },
    });
  });

  it('needs both Stripe secrets, refuses odd amounts and URLs, and never echoes a secret', () => {
    for (const [env, name] of [
      [{ STRIPE_SECRET_KEY: SECRET }, 'STRIPE_WEBHOOK_SECRET'],
      [{ STRIPE_WEBHOOK_SECRET: WHSEC }, 'STRIPE_SECRET_KEY'],
      [{ STRIPE_TOPUP_AMOUNTS_USD: '0.5' }, 'STRIPE_TOPUP_AMOUNTS_USD'],
      [{ STRIPE_TOPUP_AMOUNTS_USD: '10.001' }, 'STRIPE_TOPUP_AMOUNTS_USD'],
      [{ STRIPE_TOPUP_AMOUNTS_USD: 'ten' }, 'STRIPE_TOPUP_AMOUNTS_USD'],
      [{ TOPUP_URL: 'javascript:alert(1)' }, 'TOPUP_URL'],
      [{ LOW_BALANCE_WARNING_USD: '-1' }, 'LOW_BALANCE_WARNING_USD'],
    ] as const) {
      expect(() => loadConfig(env)).toThrow(new RegExp(name));
    }
    const leaked = 'sk_live_thisisnotavalid key';
    try {
      loadConfig({ STRIPE_SECRET_KEY: leaked, STRIPE_WEBHOOK_SECRET: 'whsec_tooshort-but-wrong!' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).message;
      expect(text).toMatch(/STRIPE_SECRET_KEY/);
      expect(text).toMatch(/STRIPE_WEBHOOK_SECRET/);
      expect(text).not.toContain('thisisnotavalid');
      expect(text).not.toContain('tooshort');
    }
  });
});
