#!/usr/bin/env node
// Runs the product on one machine: the engine, then the gateway (REST API, /docs, /dashboard) once the engine
// reports SERVING. Prints progress while models load, where everything listens, the demo API key (first start
// only) and a ready-to-paste curl call that runs a real verification on a synthetic ID card and selfie.
// Readiness comes from the services' health checks (grpc.health.v1 on the engine, /readyz on the gateway), never
// from their log lines: LOG_LEVEL=warn (or error, silent) starts the same way, only with less progress shown.
// Service logs (JSON) go to .data/logs/; START_LOGS=1 also echoes them here. Ctrl-C stops both (they drain first).
// START_DATA_DIR moves .data (the SQLite file, samples and logs) elsewhere; PORT and ENGINE_PORT move the ports.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.START_DATA_DIR ?? '.data');
const logDir = path.join(dataDir, 'logs');
const sampleDir = path.join(dataDir, 'samples');
const echoLogs = /^(1|true|yes)$/i.test(process.env.START_LOGS ?? '');
const port = Number(process.env.PORT ?? 8080);
const enginePort = Number(process.env.ENGINE_PORT ?? 50051);
// The engine's gRPC port (unmetered inference, face templates) and every /metrics listener stay on loopback: this
// machine only. The public API (HOST, default 0.0.0.0) is the one port meant for others.
const env = {
  NODE_ENV: 'development',
  ENGINE_HOST: '127.0.0.1',
  METRICS_HOST: '127.0.0.1',
  ENGINE_ADDRESS: `127.0.0.1:${enginePort}`,
  SQLITE_FILE: path.join(dataDir, 'gateway.sqlite'),
  ...process.env,
};
// Paths as the user types them from the repository root (where npm start runs).
const shown = (file) => {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
};
const samplesShown = shown(sampleDir);

const tty = process.stdout.isTTY;
const paint = (code) => (text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const red = paint('31');
const say = (line) => process.stdout.write(`${line}\n`);
const step = (service, text) => say(`${dim('›')} ${bold(service.padEnd(7))} ${text}`);

mkdirSync(logDir, { recursive: true });
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** Starts one service; its JSON log lines go to .data/logs/<name>.log and to `onLine`. */
function startService(name, entry, flags, onLine, defaults = {}) {
  const file = path.join(root, entry);
  if (!existsSync(file)) {
    say(red(`${entry} is missing: run "npm start" (it builds first) or "pnpm -r run build".`));
    process.exit(1);
  }
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...flags, file], {
    cwd: root,
    env: { ...defaults, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      let record;
      try {
        record = JSON.parse(line);
      } catch {
        record = undefined;
      }
      // Plain lines (the demo key) are handled by onLine and never written to the log file.
      if (record) log.write(`${line}\n`);
      if (echoLogs && record) say(dim(`[${name}] ${line}`));
      tail.push(line);
      if (tail.length > 30) tail.shift();
      onLine(line, record);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(red(`${name} exited (${signal ?? code}); its last lines:`));
      for (const line of tail) say(dim(`  ${line}`));
      shutdown(code || 1);
    }
  });
  return child;
}

/**
 * Request bodies with the docs' "try it" images: a synthetic ID card, selfies and a face (made from
 * @deepface/fixtures once, shipped in the gateway's build as data URIs), so the product's start needs nothing
 * from test/.
 */
function writeSamples() {
  const samples = createRequire(import.meta.url)(path.join(root, 'services/gateway/dist/openapi/samples.js'));
  const bytes = (uri) => Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');
  mkdirSync(sampleDir, { recursive: true });
  const images = {
    'id-card.jpg': samples.SAMPLE_ID_CARD,
    'selfie.jpg': samples.SAMPLE_SELFIE,
    'selfie-2.jpg': samples.SAMPLE_SELFIE_2,
    'face.jpg': samples.SAMPLE_FACE,
  };
  for (const [file, uri] of Object.entries(images)) writeFileSync(path.join(sampleDir, file), bytes(uri));
  const json = (file, body) => writeFileSync(path.join(sampleDir, file), `${JSON.stringify(body)}\n`);
  json('verify.json', { img1: samples.SAMPLE_ID_CARD, img2: samples.SAMPLE_SELFIE });
  json('lookalike.json', { img1: samples.SAMPLE_SELFIE, img2: samples.SAMPLE_SELFIE_2 });
  json('analyze.json', { image: samples.SAMPLE_FACE, actions: ['age', 'gender', 'race', 'emotion'] });
  return Object.keys(images);
}

/**
 * Resolves once the engine's grpc.health.v1 answers SERVING (every worker has loaded its models). One client,
 * polled on loopback: health needs no token; with ENGINE_TLS_* set it dials like the engine's own healthcheck.
 */
async function waitForEngine() {
  const fromProto = createRequire(path.join(root, 'proto/package.json'));
  const fromEngine = createRequire(path.join(root, 'services/engine/package.json'));
  const grpc = fromProto('@grpc/grpc-js');
  const { engineClientSecurity, engineTlsFromEnv } = fromProto(path.join(root, 'proto/dist/index.js'));
  const check = fromEngine('grpc-health-check').service.Check;
  const { credentials } = engineClientSecurity({ tls: engineTlsFromEnv(env), selfCheck: true });
  const client = new grpc.Client(`127.0.0.1:${enginePort}`, credentials);
  const status = () =>
    new Promise((resolve) =>
      client.makeUnaryRequest(
        check.path,
        check.requestSerialize,
        check.responseDeserialize,
        { service: '' },
        { deadline: Date.now() + 3_000 },
        (error, response) => resolve(error ? 'UNAVAILABLE' : response.status),
      ),
    );
  try {
    // No deadline of its own: a failed engine exits, and its exit stops this script.
    while ((await status()) !== 'SERVING') await new Promise((resolve) => setTimeout(resolve, 250));
  } finally {
    client.close();
  }
}

async function waitForGateway() {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the gateway did not become ready within 2 minutes');
}

let stopping = false;
const children = [];
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say(dim('› stopping the gateway and the engine (in-flight requests finish first)…'));
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 15_000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? 0 : new Promise((r) => c.on('exit', r))))).then(
    () => {
      say(dim('› stopped'));
      process.exit(code);
    },
  );
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

// ---- engine: models load in every worker; say how far along it is -------------------------------------------
step(
  'engine',
  `starting (gRPC on ${env.ENGINE_HOST}:${enginePort}); loading face models, this takes a few seconds…`,
);
let lastProgress = '';
// Backend and workers, from the engine's info-level "ready" line when the log level lets it through.
let engineDetails;
children.push(
  // The engine's workers scale across cores only without V8's parallel GC threads, and glibc keeps less freed memory
  // with two malloc arenas (services/engine/src/main.ts).
  startService(
    'engine',
    'services/engine/dist/main.js',
    ['--single-threaded-gc'],
    (_line, record) => {
      if (!record) return;
      const msg = String(record.msg ?? '');
      if (msg.startsWith('loading models') && msg !== lastProgress) {
        lastProgress = msg;
        step('engine', `${msg} (${seconds()})`);
      } else if (msg.startsWith('ready')) {
        engineDetails = `${record.backend} backend, ${record.workers} worker(s)`;
      } else if (record.level >= 40) {
        step('engine', `${record.level >= 50 ? red('error') : 'warning'}: ${msg}`);
      }
    },
    { MALLOC_ARENA_MAX: '2' },
  ),
);

let sampleFiles = [];
try {
  sampleFiles = writeSamples();
} catch (error) {
  step('samples', red(`could not write sample requests (${error.message}); the services start without them`));
}

await waitForEngine();
step('engine', `${green('ready')}${engineDetails ? `: ${engineDetails}` : ''} (${seconds()})`);

// ---- gateway: migrations, demo account (first start), REST API, docs and dashboard ------------------------------
step('gateway', `starting (SQLite in ${shown(dataDir)}/, migrations, in-process rate limits)…`);
let demoKey;
children.push(
  startService('gateway', 'services/gateway/dist/main.js', [], (line, record) => {
    if (!record) {
      const key = /\b(df_(?:live|test)_[0-9A-Za-z]+)\b/.exec(line);
      if (key) demoKey = key[1];
      return;
    }
    if (record.msg === 'database migrated')
      step('gateway', `database migrated (${record.migrations.join(', ')})`);
    // No SMTP_URL here: a dashboard password reset link is shown to whoever runs the server.
    else if (typeof record.reset_link === 'string')
      step('gateway', `password reset link (not e-mailed: SMTP_URL is not set): ${record.reset_link}`);
    else if (record.level >= 40 && !stopping) {
      step('gateway', `${record.level >= 50 ? red('error') : 'warning'}: ${record.msg}`);
    }
  }),
);
await waitForGateway();

const api = `http://127.0.0.1:${port}`;
const site = `http://localhost:${port}`;
say('');
say(green(bold(`DeepFace API is up (${seconds()})`)));
say(`  REST API      ${api}/v1            (verify, analyze, lookalike, account, usage)`);
say(`  API docs      ${site}/docs         (try it live; OpenAPI 3.1 at ${site}/openapi.json)`);
say(`  Dashboard     ${site}/dashboard    (sign up: $1.00 of trial credit, keys, usage, playground)`);
say(`  Engine        gRPC ${env.ENGINE_HOST}:${enginePort}   (internal: this machine only)`);
say(
  env.REDIS_URL
    ? `  Batch jobs    ${api}/v1/jobs       (Redis at REDIS_URL)`
    : `  Batch jobs    off: they need Redis (set REDIS_URL); POST /v1/jobs answers 501 until then`,
);
say(`  Logs          ${shown(path.join(logDir, 'engine.log'))}, ${shown(path.join(logDir, 'gateway.log'))}`);
say('');
const keyRef = demoKey ?? '$DEEPFACE_API_KEY';
if (demoKey) {
  say(`Demo account created with $10.00 of credit. Its API key, shown once (store it):`);
  say('');
  say(`  ${bold(demoKey)}`);
} else {
  say('The demo API key was printed on the first start. Export it (or a key from the dashboard):');
  say('');
  say('  export DEEPFACE_API_KEY=df_live_…');
}
say('');
if (sampleFiles.length) {
  say(`Verify a synthetic ID card against a selfie (request bodies in ${samplesShown}/):`);
  say('');
  say(
    `  curl -s ${api}/v1/verify -H "X-API-KEY: ${keyRef}" -H "Content-Type: application/json" -d @${samplesShown}/verify.json`,
  );
  say('');
  say(
    dim(
      `  also: -d @${samplesShown}/lookalike.json to /v1/lookalike, -d @${samplesShown}/analyze.json to /v1/analyze;`,
    ),
  );
  say(
    dim(
      `  the SDK's CLI: DEEPFACE_API_KEY=… pnpm -s deepface verify ${samplesShown}/${sampleFiles[0]} ${samplesShown}/${sampleFiles[1]}`,
    ),
  );
}
say('');
say(dim('Ctrl-C stops both services.'));
