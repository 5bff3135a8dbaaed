import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  createCustomer,
  listen,
  startGateway,
  type TestGateway,
} from '../../services/gateway/test/helpers/app';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE } from '../../services/gateway/src/openapi/samples';

export { createCustomer };

/** The real gateway (SQLite) with its fake engine, listening on loopback, for the SDK and CLI tests. */
export async function startStack(env: Record<string, string> = {}): Promise<{
  gw: TestGateway;
  url: string;
  close(): Promise<void>;
}> {
  const gw = await startGateway({ db: 'sqlite', env: { ENGINE_BREAKER_VOLUME: '1000', ...env } });
  const { server, url } = await listen(gw.app);
  return {
    gw,
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gw.close();
    },
  };
}

const bytes = (uri: string) => Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');

/** The sample images as files in a temporary directory, and as bytes. */
export function sampleFiles() {
  const dir = mkdtempSync(path.join(tmpdir(), 'deepface-sdk-'));
  const files = {
    idCard: path.join(dir, 'id-card.jpg'),
    selfie: path.join(dir, 'selfie.jpg'),
    face: path.join(dir, 'face.jpg'),
  };
  writeFileSync(files.idCard, bytes(SAMPLE_ID_CARD));
  writeFileSync(files.selfie, bytes(SAMPLE_SELFIE));
  writeFileSync(files.face, bytes(SAMPLE_FACE));
  return {
    dir,
    files,
    buffers: { idCard: bytes(SAMPLE_ID_CARD), selfie: bytes(SAMPLE_SELFIE), face: bytes(SAMPLE_FACE) },
  };
}
