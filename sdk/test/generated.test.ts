import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** src/generated/openapi.ts must be what openapi-typescript (then prettier) makes of the committed OpenAPI document. */
it('the generated types are up to date with services/gateway/openapi.json (else: pnpm --filter @deepface/sdk generate)', () => {
  const root = path.join(__dirname, '..');
  const file = path.join(root, 'src/generated/openapi.ts');
  const node = (script: string, args: string[], input?: string) =>
    execFileSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
  const raw = node(path.join(root, 'node_modules/openapi-typescript/bin/cli.js'), [
    path.join(root, '../services/gateway/openapi.json'),
  ]);
  const expected = node(
    path.join(root, '../node_modules/prettier/bin/prettier.cjs'),
    ['--stdin-filepath', file],
    raw,
  );
  expect(readFileSync(file, 'utf8')).toBe(expected);
});

/** src/generated/errors.ts must be what scripts/generate-errors.mjs (then prettier) makes of the same document. */
it('the generated error map is up to date with services/gateway/openapi.json (else: pnpm --filter @deepface/sdk generate)', () => {
  const root = path.join(__dirname, '..');
  const file = path.join(root, 'src/generated/errors.ts');
  const node = (script: string, args: string[], input?: string) =>
    execFileSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
  const raw = node(path.join(root, 'scripts/generate-errors.mjs'), [
    path.join(root, '../services/gateway/openapi.json'),
  ]);
  const expected = node(
    path.join(root, '../node_modules/prettier/bin/prettier.cjs'),
    ['--stdin-filepath', file],
    raw,
  );
  expect(readFileSync(file, 'utf8')).toBe(expected);
});
