import type { EngineClient } from '../../clients/engine.client';
import type { HttpResult } from '../../platform/http/result';
import type { FaceService } from '../face/face.service';
import type { MeteringService, RequestContext } from '../billing/metering.service';
import { presentCompare, region, round, type PublicAction } from '../face/face.presenter';

/**
 * The dashboard's playground: the public API's own operations, billed the same way to the user's account. The
 * look-alike answer also carries the engine's face boxes (`facial_areas`) so the page can draw them, and the distance
 * and same-person threshold so it can state them; the public
 * /v1/lookalike body stays exactly the published one.
 */
export class PlaygroundService {
  constructor(
    private readonly deps: {
      face: FaceService;
      engine: EngineClient;
      metering: MeteringService;
    },
  ) {}

  verify(ctx: RequestContext, input: { img1: string; img2: string }): Promise<HttpResult> {
    return this.deps.face.verify(ctx, input);
  }

  analyze(
    ctx: RequestContext,
    input: { image: string; actions: readonly PublicAction[] },
  ): Promise<HttpResult> {
    return this.deps.face.analyze(ctx, input);
  }

  async lookalike(ctx: RequestContext, input: { img1: string; img2: string }): Promise<HttpResult> {
    const { face, engine, metering } = this.deps;
    await metering.precheck(ctx, ['lookalike']);
    const [img1, img2] = await face.loadPair(input, 'lookalike', ctx);
    return metering.run(ctx, 'lookalike', async () => {
      const res = await engine.compare({ img1: img1.bytes, img2: img2.bytes }, ctx);
      return {
        billable: res.same_person,
        render: (charged) => ({
          ...presentCompare(res, charged),
          facial_areas: { img1: region(res.img1_area), img2: region(res.img2_area) },
          // The same-person cut (face distance at or below it), so the page can state what "verified" means.
          distance: round(res.distance, 6),
          threshold: round(res.threshold, 6),
        }),
      };
    });
  }
}
