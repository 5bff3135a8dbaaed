// pixels/projective.ts's chips bit for bit against the per-pixel float32 steps of tfjs-wasm's Transform kernel
// (what chipInto computed before it took the column products and the affine case's division out of the pixel loop):
// hoisting the same float32 operations must not move a single value.
import { projectiveBatch, type Projective } from '../../src/inference/pixels/projective';
import type { RgbImage } from '../../src/inference/pixels/rgb-image';
import { random } from './inputs';

const f32 = Math.fround;
const CHIP = 150;

/** tf.image.transform (bilinear, constant 0) one pixel at a time, every step rounded to float32. */
function reference(image: RgbImage, m: Projective, size: number): Float32Array {
  const [a0, a1, a2, b0, b1, b2, c0, c1] = m.map(f32) as unknown as Projective;
  const { rgb, width, height } = image;
  const read = (y: number, x: number, c: number): number =>
    y >= 0 && y < height && x >= 0 && x < width ? (rgb[(y * width + x) * 3 + c] as number) : 0;
  const out = new Float32Array(size * size * 3);
  let o = 0;
  for (let oy = 0; oy < size; oy++)
    for (let ox = 0; ox < size; ox++) {
      const k = f32(f32(f32(c0 * ox) + f32(c1 * oy)) + 1);
      if (k === 0) {
        o += 3;
        continue;
      }
      const x = f32(f32(f32(f32(a0 * ox) + f32(a1 * oy)) + a2) / k);
      const y = f32(f32(f32(f32(b0 * ox) + f32(b1 * oy)) + b2) / k);
      const xf = Math.floor(x);
      const yf = Math.floor(y);
      const [wx0, wx1, wy0, wy1] = [f32(xf + 1 - x), f32(x - xf), f32(yf + 1 - y), f32(y - yf)];
      for (let c = 0; c < 3; c++) {
        const top = f32(f32(wx0 * read(yf, xf, c)) + f32(wx1 * read(yf, xf + 1, c)));
        const bottom = f32(f32(wx0 * read(yf + 1, xf, c)) + f32(wx1 * read(yf + 1, xf + 1, c)));
        out[o++] = f32(f32(wy0 * top) + f32(wy1 * bottom));
      }
    }
  return out;
}

function similarity(cx: number, cy: number, size: number, roll: number): Projective {
  const s = size / CHIP;
  const [c, n] = [Math.cos(roll), Math.sin(roll)];
  return [s * c, -s * n, cx - s * c * 75 + s * n * 64.5, s * n, s * c, cy - s * n * 75 - s * c * 64.5, 0, 0];
}

it('gives the per-pixel kernel’s values exactly: aligned chips, chips beyond the border, a projective map', () => {
  const next = random(5);
  const bytes: RgbImage = {
    rgb: Uint8Array.from({ length: 311 * 257 * 3 }, () => Math.floor(next() * 256)),
    width: 311,
    height: 257,
  };
  const floats: RgbImage = { ...bytes, rgb: Float32Array.from(bytes.rgb, (v) => v * 0.731 + 0.1) };
  const transforms: Projective[] = [
    similarity(150, 130, 120.7, 0.04),
    similarity(150, 130, 300, -0.6),
    similarity(2, 3, 90, 2.9), // mostly beyond the top-left, upside down
    similarity(310, 256, 40, 0), // beyond the bottom-right
    [1.1, 0.05, 3.5, -0.07, 0.9, 2.25, 0.0004, -0.0003],
    [0.9, 0.1, 1, 0.2, 0.8, 0.5, -0.004, -0.004], // k reaches 0 inside the chip
  ];
  for (const image of [bytes, floats]) {
    const got = projectiveBatch(image, transforms, CHIP).data;
    const plane = CHIP * CHIP * 3;
    transforms.forEach((m, i) => {
      const want = reference(image, m, CHIP);
      const chip = got.subarray(i * plane, (i + 1) * plane);
      const differing = chip.findIndex((v, j) => !Object.is(v, want[j]));
      expect({ transform: i, differing }).toEqual({ transform: i, differing: -1 });
    });
  }
});
