// FaceEngine handlers: refuse while not ready, validate, queue the task, answer with its result or typed error.
import { performance } from 'node:perf_hooks';
import type * as grpc from '@grpc/grpc-js';
import { type FaceEngineHandlers, TENANT_METADATA_KEY } from '@deepface/proto';
import type { EngineConfig } from '../../config';
import type { Logger } from '../../log';
import type { EnginePool, PoolReady, RunOptions, RunResult } from '../../scheduler/types';
import type { Task, TaskResults } from '../../contract/tasks';
import { engineInfo } from './info';
import { runAnalyze } from '../../scheduler/analyze-split';
import { runPair } from '../../scheduler/split';
import { INTERNAL_MESSAGE, toServiceError } from './status';
import {
  type Checked,
  checkAnalyze,
  checkCompare,
  checkDetect,
  checkReadDocument,
  checkRepresent,
  checkVerify,
  type RequestLimits,
} from './validate';
import type { TaskFailure } from '../../contract/failure';

export interface ServiceDeps {
  config: Pick<EngineConfig, 'maxImageBytes' | 'maxImagePixels'>;
  pool: EnginePool;
  logger: Logger;
  /** False while models load and once shutdown has begun. */
  serving: () => boolean;
  observe?: CallObserver;
}

/** One finished call: its method, outcome (ok or the refusal's reason), duration and the result's timings. */
export type CallObserver = (call: {
  method: string;
  outcome: string;
  seconds: number;
  timings?: Record<string, unknown> | null;
}) => void;

const NOT_READY: TaskFailure = {
  reason: 'NOT_READY',
  message: 'the engine is loading its models or shutting down',
};

const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

/** The caller's tenant key (the gateway's per-account key); anything else is the shared anonymous tenant "". */
function tenantOf(metadata: grpc.Metadata): string {
  const value = metadata.get(TENANT_METADATA_KEY)[0];
  return typeof value === 'string' && TENANT.test(value) ? value : '';
}

function imageBytes(request: object): number {
  let total = 0;
  for (const value of Object.values(request)) if (value instanceof Uint8Array) total += value.byteLength;
  return total;
}

export function createFaceEngineHandlers({
  config,
  pool,
  logger,
  serving,
  observe,
}: ServiceDeps): FaceEngineHandlers {
  const limits: RequestLimits = { maxImageBytes: config.maxImageBytes };
  let readyInfo: PoolReady | undefined;
  pool.ready.then(
    (info) => (readyInfo = info),
    () => undefined, // the server logs it
  );

  /** One unary handler: `check` turns the request into a task or a validation failure. */
  function unary<Req extends object, T extends Task>(
    method: string,
    check: (request: Req, limits: RequestLimits) => Checked<T>,
    run: (task: T, options: RunOptions) => Promise<RunResult<T['op']>> = (task, options) =>
      pool.run(task, options),
  ): grpc.handleUnaryCall<Req, TaskResults[T['op']]> {
    return (call, callback) => {
      const started = performance.now();
      const log = (level: 'debug' | 'warn' | 'error', fields: object, msg: string) =>
        logger[level](
          { method, bytes: imageBytes(call.request), ms: Math.round(performance.now() - started), ...fields },
          msg,
        );
      const seconds = () => (performance.now() - started) / 1000;
      const fail = (error: TaskFailure) => {
        observe?.({ method, outcome: error.reason, seconds: seconds() });
        log(error.reason === 'INTERNAL_ERROR' ? 'error' : 'debug', { reason: error.reason }, 'call failed');
        callback(toServiceError(error));
      };

      if (!serving()) return fail(NOT_READY);
      const checked = check(call.request, limits);
      if (!checked.ok) return fail(checked.error);

      // The call's 'cancelled' event fires on client cancel and on deadline expiry: a queued task is then dropped.
      const controller = new AbortController();
      const onCancel = () => controller.abort();
      call.once('cancelled', onCancel);
      if (call.cancelled) controller.abort();

      run(checked.task, { signal: controller.signal, tenant: tenantOf(call.metadata) })
        .then((result) => {
          call.off('cancelled', onCancel);
          if ('cancelled' in result) return log('debug', {}, 'call cancelled before a worker took it');
          // The client is gone (deadline, cancel): nobody to answer.
          if (call.cancelled) return log('debug', {}, 'call cancelled while running');
          if (!result.ok) return fail(result.error);
          log('debug', {}, 'call done');
          const timings = 'timings' in result.value ? result.value.timings : undefined;
          observe?.({
            method,
            outcome: 'OK',
            seconds: seconds(),
            timings: timings as Record<string, unknown>,
          });
          callback(null, result.value);
        })
        .catch((error: unknown) => {
          logger.error({ err: error, method }, 'handler failed');
          callback(toServiceError({ reason: 'INTERNAL_ERROR', message: INTERNAL_MESSAGE }));
        });
    };
  }

  return {
    Verify: unary('Verify', checkVerify, (task, options) => runPair(pool, task, options)),
    Compare: unary('Compare', checkCompare, (task, options) => runPair(pool, task, options)),
    Analyze: unary('Analyze', checkAnalyze, (task, options) => runAnalyze(pool, task, options)),
    Detect: unary('Detect', checkDetect),
    Represent: unary('Represent', checkRepresent),
    ReadDocument: unary('ReadDocument', checkReadDocument),
    // Answered even while loading: `ready` in the answer is what tells a caller the engine is not serving yet.
    GetInfo: (_call, callback) => callback(null, engineInfo(config, pool.stats(), readyInfo, serving())),
  };
}
