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
    expect(engine.startupProbe.grpc.port).toBe(50051);
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

  it('config and secrets are referenced by their generated (or external) names', () => {
    const config = objects.find((o) => o.kind === 'ConfigMap')!;
    expect(config.metadata.name).toMatch(new RegExp(`^${prefix}deepface-config-[0-9a-f]{10}$`));
    const gateway = find(objects, 'Deployment', `${prefix}gateway`)!.spec.template.spec.containers[0];
    expect(gateway.envFrom[0].configMapRef.name).toBe(config.metadata.name);
    const secret = objects.find((o) => o.kind === 'Secret');
    expect(gateway.envFrom[1].secretRef.name).toBe(secret ? secret.metadata.name : 'deepface-secrets');
    if (overlay === 'dev') expect(secret).toBeDefined();
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
  }
});
