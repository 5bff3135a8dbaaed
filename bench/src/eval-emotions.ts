// Emotion samples: one face per image, labelled by file name.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { EMOTIONS, type Engine } from '@deepface/engine';
import { facesDir } from '@deepface/fixtures';

export async function evalEmotions(engine: Engine): Promise<number> {
  const dir = path.join(facesDir(), 'emotions');
  const files = (await fs.readdir(dir)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  let right = 0;
  console.log(`\n## Emotions (${files.length} labelled samples)`);
  for (const file of files) {
    const expected = EMOTIONS[path.parse(file).name] ?? path.parse(file).name;
    const out = await engine.run({
      op: 'analyze',
      image: new Uint8Array(await fs.readFile(path.join(dir, file))),
      actions: ['EMOTION'],
    });
    const got =
      out.ok && 'faces' in out.value
        ? (out.value.faces?.[0]?.emotion?.dominant ?? 'none')
        : `error ${out.ok ? '' : out.error.reason}`;
    if (got === expected) right++;
    console.log(`${got === expected ? 'ok  ' : 'MISS'} ${file.padEnd(16)} → ${got}`);
  }
  console.log(`emotion accuracy ${right}/${files.length}`);
  return right / Math.max(1, files.length);
}
