// The backend of the engine tests: ENGINE_BACKEND=wasm npx jest services/engine runs them all on wasm.
import { BACKENDS } from '../../src/config';

/** The backend the engine tests run on: ENGINE_BACKEND when set, else auto. */
export function testBackend(): (typeof BACKENDS)[number] {
  const name = process.env.ENGINE_BACKEND?.trim() || 'auto';
  const known = BACKENDS.find((b) => b === name);
  if (!known) throw new Error(`ENGINE_BACKEND=${name}: expected one of ${BACKENDS.join(', ')}`);
  return known;
}
