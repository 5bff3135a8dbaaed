import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { runCli, UsageError } from '../src/cli';
import { createCustomer, sampleFiles, startStack } from './helpers';

const run = promisify(execFile);
const CLI = path.join(__dirname, '../dist/cli.js');

describe('deepface CLI (gateway with a fake engine)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let env: Record<string, string>;
  const { files } = sampleFiles();

  beforeAll(async () => {
    stack = await startStack();
    const { key } = await createCustomer(stack.gw);
    env = { DEEPFACE_API_KEY: key, DEEPFACE_BASE_URL: stack.url };
  });
  afterAll(async () => {
    await stack?.close();
  });

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runCli(argv, (text) => out.push(text), env);
    return { code, text: out.join('\n') };
  };

  it('verify prints a readable verdict', async () => {
    const { code, text } = await cli('verify', files.idCard, files.selfie);
    expect(code).toBe(0);
    expect(text).toMatch(/^✔ Verified: Face verification successful/);
    expect(text).toMatch(/confidence\s+97\.46 %/);
    expect(text).toMatch(/charged\s+\$0\.25 \(balance \$9\.75\)/);
    expect(text).toMatch(/request\s+req_/);
  });

  it('verify --liveness require asks for it and prints the selfie’s liveness; a wrong mode is a usage error', async () => {
    stack.gw.engine.resetCalls();
    const { code, text } = await cli('verify', files.idCard, files.selfie, '--liveness', 'require');
    expect(code).toBe(0);
    expect(stack.gw.engine.received[0]?.request.liveness).toBe('LIVENESS_REQUIRE');
    expect(text).toMatch(/liveness\s+live \(score 0\.9912, cut 0\.5\)/);
    await expect(cli('verify', files.idCard, files.selfie, '--liveness', 'strict')).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it('--json prints the API answer', async () => {
    const { text } = await cli('lookalike', files.selfie, files.face, '--json');
    expect(JSON.parse(text)).toMatchObject({ result: 'comparison_complete', similarity_label: 'very_high' });
  });

  it('analyze lists every face and attribute', async () => {
    const { text } = await cli('analyze', files.face, '--actions', 'age,emotion');
    expect(text).toContain('1 face analysed');
    expect(text).toMatch(/age\s+25/);
    expect(text).toMatch(/emotion\s+neutral \(78\.5 %\)/);
    expect(text).not.toMatch(/gender/);
  });

  it('account shows the balance', async () => {
    expect((await cli('account')).text).toMatch(/balance\s+\$9\.\d\d/);
  });

  it('verify shows the document data; its personal fields only with --document-fields', async () => {
    const plain = await cli('verify', files.idCard, files.selfie, '--as-of', '2026-12-06');
    expect(plain.text).toMatch(/document\s+passport \(TD3\), issued by UTO/);
    expect(plain.text).toMatch(/check digits\s+valid/);
    expect(plain.text).toMatch(/selfie looks\s+47 \(consistent with the document, ±23 years\)/);
    expect(plain.text).toMatch(/age\s+51/);
    expect(plain.text).not.toMatch(/ERIKSSON|L898902C3/);
    const asked = await cli('verify', files.idCard, files.selfie, '--document-fields');
    expect(asked.text).toMatch(/name\s+ANNA MARIA ERIKSSON/);
    expect(asked.text).toMatch(/number\s+L898902C3/);
    const received = stack.gw.engine.received.filter((r) => r.method === 'Verify');
    expect(received.at(-2)!.request).toMatchObject({ document_fields: false, as_of: '2026-12-06' });
    expect(received.at(-1)!.request).toMatchObject({ document_fields: true });
  });

  it('refuses wrong usage', async () => {
    await expect(cli('verify', files.idCard)).rejects.toBeInstanceOf(UsageError);
    await expect(cli('verify', '/no/such/file.jpg', files.selfie)).rejects.toThrow(/no such file/);
    await expect(cli('frobnicate')).rejects.toThrow(/unknown command/);
    expect((await cli()).code).toBe(2);
  });

  it('the built binary runs (exit 0 on success, 1 on an API error, 2 on wrong usage)', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: pnpm --filter @deepface/sdk build`);
    const ok = await run(process.execPath, [CLI, 'verify', files.idCard, files.selfie], {
      env: { ...process.env, ...env },
    });
    expect(ok.stdout).toContain('Verified');
    const refused = await run(process.execPath, [CLI, 'account'], {
      env: { ...process.env, ...env, DEEPFACE_API_KEY: 'df_live_wrong' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(
      /API key is missing or invalid.*unauthorized, HTTP 401.*\n {2}→ Send a valid, active API key/,
    );
    const usage = await run(process.execPath, [CLI, 'verify'], { env: { ...process.env, ...env } }).catch(
      (e: { code: number }) => e,
    );
    expect(usage).toMatchObject({ code: 2 });
  });
});
