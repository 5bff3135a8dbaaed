import type { Action, CompareResponse__Output } from '@deepface/proto';
import type { EngineClient } from '../../clients/engine.client';
import { AppError, InvalidImageError } from '../../platform/errors/app-error';
import type { ImageField, ImageOperation } from '../../platform/errors/codes';
import type { ImageService } from './image.service';
import type { Billed, MeterOptions, MeteringService, RequestContext } from '../billing/metering.service';
import {
  LIVENESS_MODES,
  presentAnalyze,
  presentCompare,
  presentCompareWithBoxes,
  presentVerify,
  type LivenessOption,
  type PublicAction,
} from './face.presenter';

export interface FaceDeps {
  images: ImageService;
  engine: EngineClient;
  metering: MeteringService;
}

/** POST /v1/verify's body (batch items and the playground send only the images). */
export interface VerifyBody {
  img1: string;
  img2: string;
  /** Answer the document's personal fields (names, number, dates, sex). */
  document_fields?: boolean;
  /** The day expiry and age are judged on, YYYY-MM-DD; the engine's UTC date when absent. */
  as_of?: string;
  /** Presentation-attack signal on the selfie: off, report (default) or require. */
  liveness?: LivenessOption;
}

const ENGINE_ACTION: Record<PublicAction, Action> = {
  age: 'AGE',
  gender: 'GENDER',
  race: 'RACE',
  emotion: 'EMOTION',
};

/**
 * The three metered operations. The balance is checked first (402 before any download or decoding), then images
 * are loaded and checked (invalid input costs nothing and holds no funds), then the price is reserved, the engine
 * called, and the outcome settled by the metering service.
 */
export class FaceService {
  constructor(private readonly deps: FaceDeps) {}

  /** KYC: charged only when verified. The document's personal fields only with `document_fields`. */
  async verify(ctx: RequestContext, input: VerifyBody, options?: MeterOptions): Promise<Billed> {
    const account = await this.deps.metering.precheck(ctx, ['verify']);
    const [img1, img2] = await this.loadPair(input, 'verify', ctx);
    return this.deps.metering.run(
      ctx,
      'verify',
      account,
      async () => {
        const documentFields = input.document_fields === true;
        const res = await this.deps.engine.verify(
          {
            img1: img1.bytes,
            img2: img2.bytes,
            document_fields: documentFields,
            liveness: LIVENESS_MODES[input.liveness ?? 'report'],
            ...(input.as_of ? { as_of: input.as_of } : {}),
          },
          ctx,
        );
        return {
          billable: res.verified,
          render: (charged) => presentVerify(res, charged, { documentFields }),
        };
      },
      options,
    );
  }

  /** Look-alike: charged only when `verified` (same person at the verification threshold). */
  lookalike(
    ctx: RequestContext,
    input: { img1: string; img2: string },
    options?: MeterOptions,
  ): Promise<Billed> {
    return this.compare(ctx, input, presentCompare, options);
  }

  /**
   * The dashboard playground's look-alike: the same call and billing, plus the engine's face boxes, the distance
   * and the same-person threshold so the page can draw and state them. The public /v1/lookalike body stays exactly
   * the published one.
   */
  lookalikeWithBoxes(ctx: RequestContext, input: { img1: string; img2: string }): Promise<Billed> {
    return this.compare(ctx, input, presentCompareWithBoxes);
  }

  private async compare(
    ctx: RequestContext,
    input: { img1: string; img2: string },
    present: (res: CompareResponse__Output, charged: number) => Record<string, unknown>,
    options?: MeterOptions,
  ): Promise<Billed> {
    const account = await this.deps.metering.precheck(ctx, ['lookalike']);
    const [img1, img2] = await this.loadPair(input, 'lookalike', ctx);
    return this.deps.metering.run(
      ctx,
      'lookalike',
      account,
      async () => {
        const res = await this.deps.engine.compare({ img1: img1.bytes, img2: img2.bytes }, ctx);
        return { billable: res.same_person, render: (charged) => present(res, charged) };
      },
      options,
    );
  }

  /** Attributes: charged when at least one face was analysed. */
  async analyze(
    ctx: RequestContext,
    input: { image: string; actions: readonly PublicAction[] },
    options?: MeterOptions,
  ): Promise<Billed> {
    const account = await this.deps.metering.precheck(ctx, ['analyze']);
    const image = await this.load(input.image, 'image', 'analyze', ctx);
    return this.deps.metering.run(
      ctx,
      'analyze',
      account,
      async () => {
        const res = await this.deps.engine.analyze(
          { image: image.bytes, actions: input.actions.map((a) => ENGINE_ACTION[a]) },
          ctx,
        );
        if (res.faces.length === 0) {
          throw new InvalidImageError('No clear face detected in the image.', {
            field: 'image',
            cause: 'no_face',
          });
        }
        return { billable: true, render: (charged) => presentAnalyze(res, input.actions, charged) };
      },
      options,
    );
  }

  /** Both images of a pair, checked; a refusal names its image by the operation's roles (platform/errors/hints.ts). */
  private loadPair(input: { img1: string; img2: string }, operation: ImageOperation, ctx: RequestContext) {
    return Promise.all([
      this.load(input.img1, 'img1', operation, ctx),
      this.load(input.img2, 'img2', operation, ctx),
    ]);
  }

  private async load(input: string, field: ImageField, operation: ImageOperation, ctx: RequestContext) {
    try {
      return await this.deps.images.load(input, field, ctx.requestId);
    } catch (error) {
      throw error instanceof AppError ? error.about({ field, operation }) : error;
    }
  }
}
