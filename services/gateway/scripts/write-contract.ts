/**
 * Writes the committed contract files from src/openapi: openapi.json (OpenAPI 3.1) and the Postman collection and
 * environment in postman/. Then regenerate the SDK's types: pnpm --filter @deepface/sdk generate. Tests fail while
 * any of them is stale (test/contract/contract-files.test.ts, sdk/test/generated.test.ts).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { buildOpenApiDocument } from '../src/openapi/document';
import { buildPostmanCollection, buildPostmanEnvironment } from '../src/openapi/postman';

export const CONTRACT_FILES = {
  openapi: path.join(__dirname, '../openapi.json'),
  collection: path.join(__dirname, '../postman/deepface.postman_collection.json'),
  environment: path.join(__dirname, '../postman/deepface.postman_environment.json'),
};

async function write(file: string, value: unknown): Promise<void> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(value), { ...options, filepath: file });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

async function main(): Promise<void> {
  const document = buildOpenApiDocument();
  await write(CONTRACT_FILES.openapi, document);
  await write(CONTRACT_FILES.collection, buildPostmanCollection(document));
  await write(CONTRACT_FILES.environment, buildPostmanEnvironment());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
