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
