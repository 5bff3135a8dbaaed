// Check aid: `pnpm --filter @deepface/bench exec tsx src/analyze-outputs.ts > out.jsonl`: the full Analyze output
// (all four actions; timings left out) of the benchmark's images and of every image of ../shared/realworld-dev
// (read in place, when present), one JSON line per image, to compare an engine change's outputs before and after
// (`diff` the two files). Failures (no face, refusals) are printed as their error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '@deepface/engine';
import { inProcessEngine } from './in-process';
import { inputs } from './engine-process';

const { init: INIT } = inProcessEngine();
const REALWORLD = path.resolve(__dirname, '..', '..', '..', 'shared', 'realworld-dev');

function images(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? images(path.join(dir, e.name))
        : /\.(jpe?g|png|webp)$/i.test(e.name)
          ? [path.join(dir, e.name)]
          : [],
    )
    .sort();
}

async function main(): Promise<void> {
  const engine = await createEngine(INIT);
  const i = await inputs();
  const named: [string, Uint8Array][] = [
    ['bench/group', i.scene],
    ['bench/selfie', i.selfie],
    ['bench/document', i.document],
    ...images(REALWORLD).map((f): [string, Uint8Array] => [path.relative(REALWORLD, f), fs.readFileSync(f)]),
  ];
  if (!fs.existsSync(REALWORLD)) console.error(`${REALWORLD} is absent: the benchmark's images only`);
  for (const [name, image] of named) {
    const out = await engine.run({ op: 'analyze', image, actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'] });
    if (!out.ok) {
      console.log(JSON.stringify({ name, error: out.error }));
      continue;
    }
    const { timings: _, ...rest } = out.value;
    console.log(JSON.stringify({ name, ...rest }));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
