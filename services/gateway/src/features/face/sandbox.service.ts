import { createHash } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Db } from '../../platform/db/connection';
import {
  AppError,
  IdRequiredError,
  InvalidImageError,
  NotFoundError,
  SelfieRequiredError,
} from '../../platform/errors/app-error';
import type { ImageField, ImageOperation } from '../../platform/errors/codes';
import { TestModeRateLimitedError } from './sandbox-errors';
import { errorExamples, responseExamples, sampleCardFields } from '../../openapi/examples';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE, SAMPLE_SELFIE_2 } from '../../openapi/samples';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { ImageService } from './image.service';
import type { Billed, RequestContext } from '../billing/metering.service';
import type { PublicAction } from './face.presenter';
import type { VerifyBody } from './face.service';

type Sample = 'id-card' | 'selfie' | 'selfie-2' | 'face';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (dataUri: string) => Buffer.from(dataUri.slice(dataUri.indexOf(',') + 1), 'base64');
/** The published sample images (docs examples, Postman, /dashboard/samples/*.jpg), by the hash of their bytes. */
const SAMPLES = new Map<string, Sample>([
  [sha256(bytesOf(SAMPLE_ID_CARD)), 'id-card'],
  [sha256(bytesOf(SAMPLE_SELFIE)), 'selfie'],
  [sha256(bytesOf(SAMPLE_SELFIE_2)), 'selfie-2'],
  [sha256(bytesOf(SAMPLE_FACE)), 'face'],
]);

type Body = Record<string, unknown>;
const copy = <T>(value: T): T => structuredClone(value);
/** Test mode charges nothing: the published answer with its billing at 0. */
const free = (body: Body): Body => ({ ...copy(body), billing: { charged: 0, currency: 'USD' } });

/** The verified/not-verified answer for a selfie sent first: facial areas and role evidence follow the fields. */
function swapRoles(body: Body): Body {
  const out = copy(body);
  const details = (out.engine_response as { details: Record<string, Record<string, unknown>> }).details;
  const areas = details.facial_areas!;
  [areas.img1, areas.img2] = [areas.img2, areas.img1];
  const roles = details.roles!;
  [roles.img1, roles.img2] = [roles.img2, roles.img1];
  roles.swapped = true;
  return out;
}

/** The sample answer as the engine gives it with `liveness: "off"`: no `details.liveness`. */
function withoutLiveness(body: Body): Body {
  const out = copy(body);
  delete (out.engine_response as { details: Record<string, unknown> }).details.liveness;
  return out;
}

/** With `document_fields`, the sample card's personal fields as the engine reads them. */
function withFields(body: Body): Body {
  const out = copy(body);
  const details = (out.engine_response as { details: Record<string, Record<string, unknown>> }).details;
  details.document = { ...details.document, fields: sampleCardFields };
  return out;
}

/**
 * Test mode (`df_test_` keys), after Stripe's test mode and Onfido's sandbox: no engine call and no money. The
 * images go through the same intake as live calls (the same 400s), then must be published sample images — as
 * Stripe's test mode takes only test card numbers — and get that combination's published answer:
 * ID card + selfie → verified, ID card + the other person's face → not verified, two selfies → id_required, two
 * ID cards → selfie_required; look-alike: low resemblance with the other person's face, strong otherwise; analyze:
 * the published analysis. Any other image → 400. A test key therefore never produces a decision about a real
 * person, and one deployed by mistake fails loudly. Requests of one account are limited to TEST_RATE_LIMIT_POINTS
 * per RATE_LIMIT_WINDOW_S (image intake still downloads URLs).
 */
export class SandboxService {
  constructor(
    private readonly deps: {
      db: Db;
      images: ImageService;
      accounts: AccountsRepository;
      limiter: RateLimiterAbstract;
    },
  ) {}

  async verify(ctx: RequestContext, input: VerifyBody): Promise<Billed> {
    const [first, second] = await this.pair(ctx, input, 'verify');
    const documents = [first, second].filter((s) => s === 'id-card').length;
    if (documents === 2) {
      throw new SelfieRequiredError().withDetails(errorExamples[400].selfieRequired.value.details);
    }
    if (documents === 0) throw new IdRequiredError().withDetails(errorExamples[400].idRequired.value.details);
    const selfie = first === 'id-card' ? second : first;
    const published =
      selfie === 'face' ? responseExamples.notVerified.value : responseExamples.verified.value;
    const fields = input.document_fields === true ? withFields(published) : published;
    const answer = input.liveness === 'off' ? withoutLiveness(fields) : fields;
    return this.answer(ctx, free(first === 'id-card' ? answer : swapRoles(answer)));
  }

  async lookalike(ctx: RequestContext, input: { img1: string; img2: string }): Promise<Billed> {
    const pair = await this.pair(ctx, input, 'lookalike');
    const strangers = pair.filter((s) => s === 'face').length === 1;
    const answer = strangers
      ? responseExamples.lowResemblance.value
      : responseExamples.strongResemblance.value;
    return this.answer(ctx, free(answer));
  }

  async analyze(
    ctx: RequestContext,
    input: { image: string; actions: readonly PublicAction[] },
  ): Promise<Billed> {
    await this.limit(ctx);
    await this.sample(input.image, 'image', 'analyze');
    const { results, ...rest } = responseExamples.analysis.value;
    const body = { ...rest, results: input.actions.map((action) => results.find((r) => action in r)!) };
    return this.answer(ctx, free(body));
  }

  private async pair(
    ctx: RequestContext,
    input: { img1: string; img2: string },
    operation: ImageOperation,
  ): Promise<[Sample, Sample]> {
    await this.limit(ctx);
    return Promise.all([
      this.sample(input.img1, 'img1', operation),
      this.sample(input.img2, 'img2', operation),
    ]);
  }

  private async limit(ctx: RequestContext): Promise<void> {
    try {
      await this.deps.limiter.consume(`test:${ctx.accountId}`);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new TestModeRateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
  }

  private async sample(input: string, field: ImageField, operation: ImageOperation): Promise<Sample> {
    const image = await this.deps.images.load(input, field).catch((error: unknown) => {
      throw error instanceof AppError ? error.about({ field, operation }) : error;
    });
    const sample = SAMPLES.get(sha256(image.bytes));
    if (!sample) {
      throw new InvalidImageError(
        `Image ${field} is not one of the sample images: test keys (df_test_…) accept only those (see /docs) and ` +
          'never process real photos. Use a live key (df_live_…) for real images.',
        { field, cause: 'not_a_sample' },
      ).about({ operation });
    }
    return sample;
  }

  /** The charge as on live calls: nothing charged, the balance untouched. */
  private async answer(ctx: RequestContext, body: Body): Promise<Billed> {
    const account = await this.deps.accounts.findById(this.deps.db, ctx.accountId);
    if (!account) throw new NotFoundError('Account not found.');
    return {
      body,
      charge: { chargedMicros: 0, availableMicros: account.balance_micros - account.reserved_micros },
    };
  }
}
