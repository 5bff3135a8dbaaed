import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const openapi = path.join(root, '../services/gateway/openapi.json');

const node = (script: string, args: string[], input?: string) =>
  execFileSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'ignore'],
  });

/** The committed file must be what its generator (then prettier) makes of the committed OpenAPI document. */
function expectGenerated(relative: string, generator: string, flags: string[] = []): void {
  const file = path.join(root, relative);
  const raw = node(generator, [openapi, ...flags]);
  const expected = node(
    path.join(root, '../node_modules/prettier/bin/prettier.cjs'),
    ['--stdin-filepath', file],
    raw,
  );
  expect(readFileSync(file, 'utf8')).toBe(expected);
}

describe('generated from services/gateway/openapi.json (else: pnpm --filter @deepface/sdk generate)', () => {
  it('the types (openapi-typescript)', () => {
    expectGenerated(
      'src/generated/openapi.ts',
      path.join(root, 'node_modules/openapi-typescript/bin/cli.js'),
      // As package.json's `generate`: a request field with a server default stays optional.
      ['--default-non-nullable=false'],
    );
  });

  it('the error map (scripts/generate-errors.mjs, from x-errors)', () => {
    expectGenerated('src/generated/errors.ts', path.join(root, 'scripts/generate-errors.mjs'));
  });
});
