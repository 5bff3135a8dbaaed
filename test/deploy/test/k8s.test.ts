/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- rendered YAML is untyped data, checked by the assertions themselves */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { json6902, renderOverlay, strategicMerge, type Obj } from '../src/kustomize';
import { repoPath } from '../src/paths';

type Any = Record<string, any>;

function validate(objects: Obj[]): Array<{ kind: string; name: string; error: string }> {
  const run = spawnSync(process.execPath, [path.join(__dirname, '../src/validate-k8s.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Array<{ kind: string; name: string; error: string }>;
}

const find = (objects: Obj[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as Any | undefined;

describe('kustomize renderer (the subset k8s/ uses)', () => {
  it('strategic merge merges named list items and replaces other lists; JSON 6902 refuses missing paths', () => {
    const target = {
      spec: { containers: [{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }] }], list: [1] },
    };
    strategicMerge(target, {
      spec: { containers: [{ name: 'a', env: [{ name: 'B', value: '2' }] }], list: [2] },
    });
    expect(target).toEqual({
      spec: {
        containers: [
          {
            name: 'a',
            image: 'x',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
        ],
        list: [2],
      },
    });
    const doc = { spec: { minReplicas: 2 } };
    json6902(doc, { op: 'replace', path: '/spec/minReplicas', value: 1 });
    expect(doc.spec.minReplicas).toBe(1);
    expect(() => json6902(doc, { op: 'replace', path: '/spec/nope', value: 1 })).toThrow();
  });

  it('the schema validation catches an invalid object', () => {
    const bad = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { template: {} },
    };
    expect(validate([bad as unknown as Obj])).toHaveLength(1);
  });
});

describe.each(['dev', 'prod'])('k8s/overlays/%s', (overlay) => {
  const objects = renderOverlay(repoPath('k8s', 'overlays', overlay));
  const prefix = overlay === 'dev' ? 'dev-' : '';
  const namespace = overlay === 'dev' ? 'deepface-dev' : 'deepface';

  it('renders to objects that are valid against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThanOrEqual(12);
    expect(validate(objects)).toEqual([]);
    for (const o of objects) {
      expect(o.metadata.namespace).toBe(namespace);
      // Base labels reach the base's objects (an overlay's own generated Secret is not the base's).
      if (o.kind !== 'Secret') expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('deepface');
    }
  });

  it('has the four workloads, hardened, with named ports, resources and probes', () => {
    for (const name of ['gateway', 'worker', 'engine']) {
      const d = find(objects, 'Deployment', `${prefix}${name}`);
      expect(d).toBeDefined();
      const pod = d!.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      for (const c of pod.containers) {
        expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
        expect(c.resources.requests.cpu).toBeDefined();
        expect(c.resources.limits.memory).toBeDefined();
        expect(c.ports.every((p: Any) => typeof p.name === 'string')).toBe(true);
        expect(c.livenessProbe && c.readinessProbe).toBeTruthy();
        expect(c.volumeMounts.map((m: Any) => m.mountPath)).toContain('/tmp');
        expect(c.image).toMatch(overlay === 'dev' ? /:dev$/ : /^registry\.example\.com\/.+:0\.1\.0$/);
      }
    }
    expect(find(objects, 'Job', `${prefix}migrate`)!.spec.template.spec.containers[0].args).toEqual([
      'node',
      'dist/cli/admin.js',
      'migrate',
    ]);
    const engine = find(objects, 'Deployment', `${prefix}engine`)!.spec.template.spec.containers[0];
    // gRPC probes on the plaintext port; with mutual TLS (prod) the engine's own healthcheck.
    if (overlay === 'dev') expect(engine.startupProbe.grpc.port).toBe(50051);
    else expect(engine.startupProbe.exec.command).toEqual(['node', 'dist/healthcheck.js']);
    expect(engine.startupProbe.failureThreshold * engine.startupProbe.periodSeconds).toBeGreaterThanOrEqual(
      120,
    );
    const gateway = find(objects, 'Deployment', `${prefix}gateway`)!.spec.template.spec.containers[0];
    expect(gateway.readinessProbe.httpGet.path).toBe('/readyz');
    expect(gateway.livenessProbe.httpGet.path).toBe('/healthz');
  });

  it('PDBs, HPAs for gateway and engine, a headless engine Service and an engine NetworkPolicy', () => {
    for (const name of ['gateway', 'engine', 'worker'])
      expect(find(objects, 'PodDisruptionBudget', `${prefix}${name}`)).toBeDefined();
    for (const name of ['gateway', 'engine']) {
      const hpa = find(objects, 'HorizontalPodAutoscaler', `${prefix}${name}`)!;
      expect(hpa.spec.scaleTargetRef.name).toBe(`${prefix}${name}`);
    }
    expect(find(objects, 'Service', `${prefix}engine-headless`)!.spec.clusterIP).toBe('None');
    const policy = find(objects, 'NetworkPolicy', `${prefix}engine-ingress`)!;
    const callers = policy.spec.ingress[0].from.map(
      (f: Any) => f.podSelector.matchLabels['app.kubernetes.io/name'],
    );
    expect(callers.sort()).toEqual(['gateway', 'worker']);
  });

  it('metrics ports (gateway, worker, engine) take scrapes from the monitoring namespace only', () => {
    const monitoring = { namespaceSelector: { matchLabels: { 'deepface.io/monitoring': 'true' } } };
    for (const name of ['gateway', 'worker', 'engine']) {
      const policy = find(objects, 'NetworkPolicy', `${prefix}${name}-ingress`)!;
      expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/name']).toBe(name);
      const metrics = (policy.spec.ingress as Any[]).filter((rule) =>
        (rule.ports as Any[]).some((p) => p.port === 'metrics'),
      );
      expect(metrics).toEqual([{ from: [monitoring], ports: [{ port: 'metrics', protocol: 'TCP' }] }]);
    }
    // The worker has nothing else to reach.
    expect(find(objects, 'NetworkPolicy', `${prefix}worker-ingress`)!.spec.ingress).toHaveLength(1);
  });

  it('config and secrets are referenced by their generated (or external) names', () => {
    const config = objects.find((o) => o.kind === 'ConfigMap')!;
    expect(config.metadata.name).toMatch(new RegExp(`^${prefix}deepface-config-[0-9a-f]{10}$`));
    const gateway = find(objects, 'Deployment', `${prefix}gateway`)!.spec.template.spec.containers[0];
    expect(gateway.envFrom[0].configMapRef.name).toBe(config.metadata.name);
    const secret = objects.find((o) => o.kind === 'Secret');
    expect(gateway.envFrom[1].secretRef.name).toBe(secret ? secret.metadata.name : 'deepface-secrets');
    if (overlay === 'dev') expect(secret).toBeDefined();
  });

  it('engine link (issue 18): one token Secret for the engine and its callers, pods listening on 0.0.0.0', () => {
    const secret = objects.find(
      (o) => o.kind === 'Secret' && o.metadata.name.includes('deepface-engine-auth'),
    );
    if (overlay === 'dev') expect(secret).toBeDefined();
    const tokenSecret = secret ? secret.metadata.name : 'deepface-engine-auth';
    const envOf = (name: string) =>
      find(objects, 'Deployment', `${prefix}${name}`)!.spec.template.spec.containers[0].env as Any[];
    for (const name of ['engine', 'gateway', 'worker']) {
      expect([name, envOf(name).find((e) => e.name === 'ENGINE_AUTH_TOKEN')]).toEqual([
        name,
        {
          name: 'ENGINE_AUTH_TOKEN',
          valueFrom: { secretKeyRef: { name: tokenSecret, key: 'ENGINE_AUTH_TOKEN' } },
        },
      ]);
    }
    // The code defaults to loopback; in a pod, probes, callers and Prometheus come from outside it.
    expect(envOf('engine')).toEqual(
      expect.arrayContaining([
        { name: 'ENGINE_HOST', value: '0.0.0.0' },
        { name: 'METRICS_HOST', value: '0.0.0.0' },
      ]),
    );
    const config = objects.find((o) => o.kind === 'ConfigMap') as Any;
    expect(config.data.METRICS_HOST).toBe('0.0.0.0');
    // The NetworkPolicy stays: gRPC from the gateway and the worker only, metrics from monitoring only.
    const policy = find(objects, 'NetworkPolicy', `${prefix}engine-ingress`)!;
    expect(policy.spec.ingress.map((rule: Any) => rule.ports.map((p: Any) => p.port))).toEqual([
      ['grpc'],
      ['metrics'],
    ]);
  });

  if (overlay === 'prod') {
    it('runs the engine on GPUs: node selector, toleration, nvidia.com/gpu limits, tensorflow backend', () => {
      const pod = find(objects, 'Deployment', 'engine')!.spec.template.spec;
      expect(pod.nodeSelector['nvidia.com/gpu.present']).toBe('true');
      expect(pod.tolerations[0].key).toBe('nvidia.com/gpu');
      const engine = pod.containers[0];
      expect(engine.resources.limits['nvidia.com/gpu']).toBe('1');
      expect(engine.env).toEqual(expect.arrayContaining([{ name: 'ENGINE_BACKEND', value: 'tensorflow' }]));
      expect(engine.image).toMatch(/engine-gpu/);
    });

    it('mutual TLS on the engine link: cert Secrets mounted, ENGINE_TLS_* set, the engine probed over TLS', () => {
      const secretsOf = (name: string) => {
        const pod = find(objects, 'Deployment', name)!.spec.template.spec;
        const c = pod.containers[0];
        const files = Object.fromEntries(
          (c.env as Any[])
            .filter((e) => String(e.name).startsWith('ENGINE_TLS_'))
            .map((e): [string, unknown] => [String(e.name), e.value]),
        );
        const mount = c.volumeMounts.find((m: Any) => m.mountPath === '/etc/deepface/engine-tls');
        const volume = pod.volumes.find((v: Any) => v.name === mount?.name);
        return { files, readOnly: mount?.readOnly, secret: volume?.secret?.secretName };
      };
      const files = {
        ENGINE_TLS_CERT: '/etc/deepface/engine-tls/tls.crt',
        ENGINE_TLS_KEY: '/etc/deepface/engine-tls/tls.key',
        ENGINE_TLS_CA: '/etc/deepface/engine-tls/ca.crt',
      };
      expect(secretsOf('engine')).toEqual({ files, readOnly: true, secret: 'deepface-engine-tls' });
      for (const caller of ['gateway', 'worker'])
        expect(secretsOf(caller)).toEqual({ files, readOnly: true, secret: 'deepface-engine-client-tls' });
      // Kubelet's gRPC probes speak plaintext: the engine's own healthcheck (TLS, its certificate) instead.
      const engine = find(objects, 'Deployment', 'engine')!.spec.template.spec.containers[0];
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(engine[probe].grpc).toBeUndefined();
        expect(engine[probe].exec.command).toEqual(['node', 'dist/healthcheck.js']);
      }
    });

    it('the API behind ingress-nginx: TRUST_PROXY=1, and only the controller reaches the gateway', () => {
      const ingress = find(objects, 'Ingress', 'gateway')!;
      expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
        name: 'gateway',
        port: { name: 'http' },
      });
      const config = objects.find((o) => o.kind === 'ConfigMap') as Any;
      expect(config.data.TRUST_PROXY).toBe('1');
      const policy = find(objects, 'NetworkPolicy', 'gateway-ingress')!;
      expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/name']).toBe('gateway');
      expect(policy.spec.ingress[0]).toEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [{ port: 'http', protocol: 'TCP' }],
      });
    });
  }
});
