// The gRPC server: FaceEngine, grpc.health.v1 and (when enabled) server reflection, with message limits,
// keepalive, the callers' credentials (token, TLS) and a graceful shutdown that lets in-flight calls finish.
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import * as protoLoader from '@grpc/proto-loader';
import { HealthImplementation, protoPath as healthProtoPath, type ServingStatus } from 'grpc-health-check';
import { enginePackageDefinition, loadEngineProto, SERVICE_NAME } from '@deepface/proto';
import type { EngineConfig } from '../../config';
import type { Logger } from '../../log';
import type { EnginePool } from '../../scheduler/types';
import { requireToken, serverCredentials } from './auth';
import { type CallObserver, createFaceEngineHandlers } from './service';

export interface EngineServerDeps {
  config: EngineConfig;
  pool: EnginePool;
  logger: Logger;
  /** Called once per finished call (metrics). */
  observe?: CallObserver;
}

export interface EngineServer {
  /** Binds and listens; resolves with the bound port (useful with port 0). */
  start(): Promise<number>;
  /** Health → NOT_SERVING, stop taking calls, let in-flight ones finish (up to the grace), drain the pool. */
  shutdown(): Promise<void>;
}

/** Health is reported for the whole server ("") and for the FaceEngine service, always together. */
const HEALTH_SERVICES = ['', SERVICE_NAME];

export function serverOptions(config: EngineConfig): grpc.ServerOptions {
  return {
    'grpc.max_receive_message_length': config.maxReceiveMessageBytes,
    'grpc.max_send_message_length': config.maxSendMessageBytes,
    'grpc.keepalive_time_ms': config.keepalive.timeMs,
    'grpc.keepalive_timeout_ms': config.keepalive.timeoutMs,
    // Client ping policy. grpc-js 1.14 enforces none (it never answers too_many_pings), but these are the
    // standard names, so the intent holds if it starts to, or behind a C-core based proxy reading the same args.
    'grpc.keepalive_permit_without_calls': config.keepalive.permitWithoutCalls ? 1 : 0,
    'grpc.http2.min_ping_interval_without_data_ms': config.keepalive.minPingIntervalMs,
    'grpc.http2.max_ping_strikes': 0,
    // Clients balance round-robin over a headless Service's addresses; aged-out connections make them re-resolve.
    'grpc.max_connection_age_ms': config.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': config.shutdownGraceMs,
  };
}

/** The engine's package plus grpc.health.v1, so `grpcurl list` shows both and can call Health/Check. */
function reflectedPackages(): protoLoader.PackageDefinition {
  const health = protoLoader.loadSync(healthProtoPath, { keepCase: true });
  return { ...health, ...enginePackageDefinition() };
}

function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function createEngineServer({ config, pool, logger, observe }: EngineServerDeps): EngineServer {
  const server = new grpc.Server({
    ...serverOptions(config),
    interceptors: config.authToken ? [requireToken(config.authToken)] : [],
  });
  let stopping = false;

  const health = new HealthImplementation(
    Object.fromEntries(HEALTH_SERVICES.map((name) => [name, 'NOT_SERVING' satisfies ServingStatus])),
  );
  const setHealth = (status: ServingStatus) => {
    for (const name of HEALTH_SERVICES) health.setStatus(name, status);
  };
  health.addToServer(server);
  // Reflection hands out the whole contract: only when asked for (ENGINE_REFLECTION), and behind the token.
  if (config.reflection) new ReflectionService(reflectedPackages()).addToServer(server);
  server.addService(
    loadEngineProto().FaceEngine.service,
    createFaceEngineHandlers({
      config,
      pool,
      logger,
      serving: () => !stopping && pool.isReady(),
      ...(observe ? { observe } : {}),
    }),
  );

  pool.ready.then(
    () => {
      if (!stopping) setHealth('SERVING');
    },
    (error: unknown) => logger.error({ err: error }, 'workers failed to load: health stays NOT_SERVING'),
  );

  let shutdownPromise: Promise<void> | undefined;

  async function drain(): Promise<void> {
    stopping = true;
    setHealth('NOT_SERVING');
    const forced = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        logger.warn(
          { graceMs: config.shutdownGraceMs },
          'shutdown grace elapsed: cancelling remaining calls',
        );
        server.forceShutdown();
        resolve(true);
      }, config.shutdownGraceMs);
      // Stops listening, sends GOAWAY, and calls back once every in-flight call has ended.
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    // Normally already empty (every call has ended); after a forced stop, give running tasks a moment.
    await pool.close({ timeoutMs: forced ? 1000 : config.shutdownGraceMs });
  }

  return {
    start: () =>
      new Promise<number>((resolve, reject) => {
        server.bindAsync(hostPort(config.host, config.port), serverCredentials(config.tls), (error, port) =>
          error ? reject(error) : resolve(port),
        );
      }),
    shutdown: () => (shutdownPromise ??= drain()),
  };
}
