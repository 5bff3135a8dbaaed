// A small kustomize renderer for the subset k8s/ uses (no kustomize binary here): resources, patches (strategic
// merge by file, JSON 6902 inline with a target), images, namespace, namePrefix, labels, configMapGenerator and
// secretGenerator with content-hash suffixes and the references to them rewritten.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export type Obj = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Kustomization {
  resources?: string[];
  namespace?: string;
  namePrefix?: string;
  labels?: Array<{ pairs: Record<string, string> }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Array<{ path?: string; patch?: string; target?: { kind?: string; name?: string } }>;
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
}
interface Generator {
  name: string;
  behavior?: 'create' | 'merge';
  envs?: string[];
  literals?: string[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

export function render(dir: string): Obj[] {
  const file = path.join(dir, 'kustomization.yaml');
  const k = parse(readFileSync(file, 'utf8')) as Kustomization;
  const objects: Obj[] = [];
  for (const resource of k.resources ?? []) {
    const target = path.join(dir, resource);
    if (statSync(target).isDirectory()) objects.push(...render(target));
    else objects.push(...loadYaml(target));
  }
  for (const [kind, gens] of [
    ['ConfigMap', k.configMapGenerator],
    ['Secret', k.secretGenerator],
  ] as const) {
    for (const gen of gens ?? []) generate(dir, kind, gen, objects);
  }
  for (const patch of k.patches ?? []) applyPatch(dir, patch, objects);
  for (const image of k.images ?? []) setImage(objects, image);
  for (const { pairs } of k.labels ?? []) {
    for (const o of objects) o.metadata.labels = { ...o.metadata.labels, ...pairs };
  }
  if (k.namePrefix) prefixNames(objects, k.namePrefix);
  if (k.namespace)
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  return objects;
}

function loadYaml(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as unknown)
    .filter((d): d is Obj => isObj(d));
}

function generate(dir: string, kind: 'ConfigMap' | 'Secret', gen: Generator, objects: Obj[]): void {
  const data: Record<string, string> = {};
  const entries = [
    ...(gen.envs ?? []).flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n')),
    ...(gen.literals ?? []),
  ];
  for (const line of entries) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new Error(`bad entry in ${gen.name}: ${trimmed}`);
    data[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  const existing = objects.find((o) => o.kind === kind && (o as Json).generatedFrom === gen.name);
  if (gen.behavior === 'merge') {
    if (!existing) throw new Error(`merge into unknown generator ${gen.name}`);
    Object.assign(existing.data as Record<string, string>, kind === 'Secret' ? b64(data) : data);
    return;
  }
  objects.push({
    apiVersion: 'v1',
    kind,
    metadata: { name: gen.name },
    ...(kind === 'Secret' ? { type: 'Opaque', data: b64(data) } : { data }),
    generatedFrom: gen.name,
  });
}

const b64 = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));

function applyPatch(dir: string, patch: NonNullable<Kustomization['patches']>[number], objects: Obj[]): void {
  if (patch.path) {
    for (const p of loadYaml(path.join(dir, patch.path))) {
      const target = objects.find((o) => o.kind === p.kind && o.metadata.name === p.metadata.name);
      if (!target) throw new Error(`patch ${patch.path}: no ${p.kind} ${p.metadata.name}`);
      strategicMerge(target, p);
    }
    return;
  }
  const ops = parse(patch.patch ?? '[]') as Array<{ op: string; path: string; value?: unknown }>;
  const targets = objects.filter(
    (o) =>
      (!patch.target?.kind || o.kind === patch.target.kind) &&
      (!patch.target?.name || o.metadata.name === patch.target.name),
  );
  if (targets.length === 0) throw new Error(`patch matches nothing: ${JSON.stringify(patch.target)}`);
  for (const o of targets) for (const op of ops) json6902(o, op);
}

/** JSON 6902 add / replace / remove on object paths (the subset used). */
export function json6902(doc: Json, op: { op: string; path: string; value?: unknown }): void {
  const keys = op.path
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop();
  if (last === undefined) throw new Error(`bad path ${op.path}`);
  let node: unknown = doc;
  for (const key of keys) {
    node = Array.isArray(node) ? node[Number(key)] : isObj(node) ? node[key] : undefined;
    if (node === undefined) throw new Error(`path not found: ${op.path}`);
  }
  if (!isObj(node) && !Array.isArray(node)) throw new Error(`path not found: ${op.path}`);
  const container = node as Json;
  if (op.op === 'replace' && !(last in container)) throw new Error(`replace of missing ${op.path}`);
  if (op.op === 'remove') delete container[last];
  else if (op.op === 'add' || op.op === 'replace') container[last] = op.value;
  else throw new Error(`unsupported op ${op.op}`);
}

/** Strategic merge: maps merge; lists of named items merge by name; other lists are replaced. */
export function strategicMerge(target: Json, patch: Json): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (isObj(value) && isObj(current)) strategicMerge(current, value);
    else if (Array.isArray(value) && Array.isArray(current) && value.every((v) => isObj(v) && 'name' in v)) {
      for (const item of value as Json[]) {
        const match = (current as Json[]).find((c) => isObj(c) && c.name === item.name);
        if (match) strategicMerge(match, item);
        else current.push(item);
      }
    } else target[key] = value;
  }
}

function containersOf(o: Obj): Json[] {
  const spec = (o.spec as Json | undefined)?.template as Json | undefined;
  const podSpec = (spec?.spec as Json | undefined) ?? undefined;
  return [...((podSpec?.containers as Json[]) ?? []), ...((podSpec?.initContainers as Json[]) ?? [])];
}

function setImage(objects: Obj[], image: { name: string; newName?: string; newTag?: string }): void {
  for (const c of objects.flatMap(containersOf)) {
    const [name, tag] = String(c.image).split(':');
    if (name !== image.name) continue;
    c.image = `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}`;
  }
}

/** namePrefix plus the generators' hash suffixes, with every reference to a renamed object rewritten. */
function prefixNames(objects: Obj[], prefix: string): void {
  const renamed = new Map<string, string>();
  for (const o of objects) {
    const next = `${prefix}${o.metadata.name}`;
    renamed.set(`${o.kind}/${o.metadata.name}`, next);
    o.metadata.name = next;
  }
  rewriteReferences(objects, renamed);
}

/** Applies hash suffixes to generated objects (called last by renderOverlay). */
export function finalize(objects: Obj[]): Obj[] {
  const renamed = new Map<string, string>();
  for (const o of objects) {
    if (!('generatedFrom' in o)) continue;
    delete (o as Json).generatedFrom;
    const hash = createHash('sha256')
      .update(JSON.stringify((o as Json).data))
      .digest('hex')
      .slice(0, 10);
    const next = `${o.metadata.name}-${hash}`;
    renamed.set(`${o.kind}/${o.metadata.name}`, next);
    o.metadata.name = next;
  }
  rewriteReferences(objects, renamed);
  return objects;
}

function rewriteReferences(objects: Obj[], renamed: Map<string, string>): void {
  const visit = (node: unknown, parentKey: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, parentKey));
    if (!isObj(node)) return;
    const kind =
      parentKey === 'configMapRef' || parentKey === 'configMapKeyRef' || parentKey === 'configMap'
        ? 'ConfigMap'
        : parentKey === 'secretRef' || parentKey === 'secretKeyRef' || parentKey === 'secret'
          ? 'Secret'
          : parentKey === 'scaleTargetRef'
            ? String(node.kind)
            : undefined;
    const nameKey = parentKey === 'secret' ? 'secretName' : 'name';
    if (kind && typeof node[nameKey] === 'string') {
      const next = renamed.get(`${kind}/${String(node[nameKey])}`);
      if (next) node[nameKey] = next;
    }
    for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  for (const o of objects) {
    for (const [k, v] of Object.entries(o)) if (k !== 'metadata') visit(v, k);
  }
}

export function renderOverlay(dir: string): Obj[] {
  if (!existsSync(path.join(dir, 'kustomization.yaml'))) throw new Error(`no kustomization in ${dir}`);
  return finalize(render(dir));
}
