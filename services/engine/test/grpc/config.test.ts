import * as os from 'node:os';
import { ConfigError, loadConfig, workerInit } from '../../src/config';
import { serverOptions } from '../../src/transport/grpc/server';

const MiB = 1024 * 1024;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('engine config', () => {
  it('has documented defaults', () => {
    const config = loadConfig({});
    const workers = os.availableParallelism();
    expect(config).toMatchObject({
      // Loopback unless ENGINE_HOST / METRICS_HOST say otherwise (the images set 0.0.0.0).
      host: '127.0.0.1',
      metricsHost: '127.0.0.1',
      port: 50051,
      authToken: undefined,
      tls: undefined,
      reflection: false,
      backend: 'auto',
      workers,
      queueSize: 4 * workers,
      maxImageBytes: 15 * MiB,
      maxImagePixels: 40_000_000,
      workMaxSide: 1600,
      shutdownGraceMs: 10_000,
      logLevel: 'info',
      workerFile: undefined,
      maxReceiveMessageBytes: 31 * MiB,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.keepalive)).toBe(true);
  });

  it('derives the queue from the workers and the receive limit from the image limit', () => {
    const config = loadConfig({ ENGINE_WORKERS: '3', ENGINE_MAX_IMAGE_BYTES: String(2 * MiB) });
    expect(config.queueSize).toBe(12);
    expect(config.maxReceiveMessageBytes).toBe(5 * MiB);
    expect(loadConfig({ ENGINE_WORKERS: '3', ENGINE_QUEUE_SIZE: '0' }).queueSize).toBe(0);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ENGINE_PORT: '', ENGINE_BACKEND: ' ', LOG_LEVEL: '' })).toMatchObject({
      port: 50051,
      backend: 'auto',
      logLevel: 'info',
    });
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({
      ENGINE_PORT: '70000',
      ENGINE_WORKERS: '0',
      ENGINE_QUEUE_SIZE: '1e3',
      ENGINE_BACKEND: 'gpu',
      ENGINE_MAX_IMAGE_BYTES: '12abc',
      ENGINE_KEEPALIVE_PERMIT_WITHOUT_CALLS: 'maybe',
      LOG_LEVEL: 'loud',
    });
    const named = problems.map((p) => p.split(':')[0]);
    expect(named.sort()).toEqual(
      [
        'ENGINE_BACKEND',
        'ENGINE_KEEPALIVE_PERMIT_WITHOUT_CALLS',
        'ENGINE_MAX_IMAGE_BYTES',
        'ENGINE_PORT',
        'ENGINE_QUEUE_SIZE',
        'ENGINE_WORKERS',
        'LOG_LEVEL',
      ].sort(),
    );
    expect(problems.find((p) => p.startsWith('ENGINE_BACKEND'))).toContain('"gpu"');
  });

  it('gives the workers only what they need', () => {
    const config = loadConfig({
      ENGINE_BACKEND: 'onnx',
      ENGINE_WORKERS: '2',
      ENGINE_WORK_MAX_SIDE: '1280',
      LOG_LEVEL: 'warn',
    });
    expect(workerInit(config)).toEqual({
      backend: 'onnx',
      // onnxruntime threads × workers never exceed the cores.
      intraOpThreads: Math.max(1, Math.floor(os.availableParallelism() / 2)),
      maxImagePixels: 40_000_000,
      workMaxSide: 1280,
      logLevel: 'warn',
    });
  });

  it('lets clients ping every 30 s, even between calls, and sizes messages from the limits', () => {
    const options = serverOptions(loadConfig({}));
    expect(options['grpc.keepalive_permit_without_calls']).toBe(1);
    expect(options['grpc.http2.min_ping_interval_without_data_ms']).toBeLessThanOrEqual(30_000);
    expect(options['grpc.max_receive_message_length']).toBe(31 * MiB);
    expect(options['grpc.max_send_message_length']).toBeGreaterThan(0);
  });

  it('takes a token, TLS files and reflection; a token is never echoed in a problem', () => {
    const config = loadConfig({
      ENGINE_HOST: '0.0.0.0',
      METRICS_HOST: '0.0.0.0',
      ENGINE_AUTH_TOKEN: 't'.repeat(40),
      ENGINE_TLS_CERT: '/tls/tls.crt',
      ENGINE_TLS_KEY: '/tls/tls.key',
      ENGINE_TLS_CA: '/tls/ca.crt',
      ENGINE_REFLECTION: 'true',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      metricsHost: '0.0.0.0',
      authToken: 't'.repeat(40),
      tls: { cert: '/tls/tls.crt', key: '/tls/tls.key', ca: '/tls/ca.crt' },
      reflection: true,
    });
    expect(Object.isFrozen(config.tls)).toBe(true);
    const secret = 'too-short-secret';
    const problems = problemsOf({ ENGINE_AUTH_TOKEN: secret, ENGINE_REFLECTION: 'maybe' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['ENGINE_AUTH_TOKEN', 'ENGINE_REFLECTION']);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('refuses TLS settings that only make sense together', () => {
    expect(problemsOf({ ENGINE_TLS_CERT: '/tls/tls.crt' })).toEqual([
      'ENGINE_TLS_KEY: ENGINE_TLS_CERT and ENGINE_TLS_KEY go together',
    ]);
    expect(problemsOf({ ENGINE_TLS_CA: '/tls/ca.crt' })).toEqual([
      'ENGINE_TLS_CA: client certificates need TLS: set ENGINE_TLS_CERT and ENGINE_TLS_KEY too',
    ]);
  });
});
