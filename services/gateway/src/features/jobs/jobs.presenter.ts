import { microsToDollars } from '../../platform/lib/money';
import type { ItemRow, JobRow, Progress } from './jobs.repository';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export type JobView = ReturnType<typeof presentJob>;

/** The public shape of a job (GET /v1/jobs/{id}, the 202 of POST /v1/jobs, webhook payloads). */
export function presentJob(job: JobRow, progress: Progress, items: ItemRow[] | undefined) {
  return {
    id: job.id,
    object: 'job',
    // 'accepting' is internal (inline items running in the submission): the client sees work in progress.
    status: job.status === 'accepting' ? 'running' : job.status,
    created_at: iso(job.created_at),
    completed_at: iso(job.completed_at),
    expires_at: iso(job.expires_at),
    progress: {
      total: job.total_items,
      completed: progress.succeeded + progress.failed,
      succeeded: progress.succeeded,
      failed: progress.failed,
    },
    billing: { charged: microsToDollars(progress.chargedMicros), currency: 'USD' },
    webhook: job.webhook_url
      ? ({ url: job.webhook_url, status: job.webhook_status, attempts: job.webhook_attempts } as Record<
          string,
          unknown
        >)
      : null,
    ...(items ? { items: items.map(presentItem) } : {}),
  };
}

function presentItem(item: ItemRow) {
  const done = item.status === 'succeeded' || item.status === 'failed';
  return {
    index: item.idx,
    type: item.type,
    // pending and running are one state to the client: not finished yet.
    status: done ? item.status : 'pending',
    http_status: item.http_status,
    charged: microsToDollars(item.charged_micros),
    result: item.result === null ? null : (JSON.parse(item.result) as Record<string, unknown>),
  };
}
