/**
 * Component schemas generated from the zod schemas the gateway validates with (`z.toJSONSchema`), so a request's
 * contract has one source. What zod cannot say is layered on here, from src/openapi/, keyed by JSON pointer into
 * the generated schema: prose (`doc`) and the JSON Schema of each `.refine()` (`refine`), which zod's output
 * cannot see inside. Every mismatch throws while the document is built, so a stale layer fails the build and the
 * contract tests rather than publishing a wrong document.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/** A JSON Schema (OpenAPI 3.1 = JSON Schema 2020-12) as the document holds it. */
export type Schema = Record<string, unknown>;

export interface Layer {
  /** Annotations only (no assertion keywords): they say more, never something else. */
  doc?: Schema;
  /** The JSON Schema equivalent of what a zod `.refine()` at this node checks. Required on every refined node. */
  refine?: Schema;
  /** The node is this component (with the same refinement): published as a `$ref` to it. */
  ref?: string;
}
export type Layers = Record<string, Layer>;

/** Keywords a `doc` layer may add: none of them changes which values are valid. */
const ANNOTATIONS = new Set(['description', 'examples', 'default', 'title', 'deprecated']);

const pointer = (path: readonly (string | number)[]): string => path.map((p) => `/${p}`).join('');

type Checked = { _zod: { def: { checks?: { _zod: { def: { check: string } } }[] } } };
const hasRefinement = (schema: Checked): boolean =>
  (schema._zod.def.checks ?? []).some((c) => c._zod.def.check === 'custom');

function at(root: Schema, path: string, owner: string): Schema {
  let node: unknown = root;
  for (const part of path.split('/').slice(1)) {
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  if (!node || typeof node !== 'object') throw new Error(`${owner}: no schema at ${path} (stale layer)`);
  return node as Schema;
}

/** The request side of a zod schema (`io: 'input'`: defaults and transforms as a client sends them). */
function generate(schema: z.ZodType, owner: string): { json: Schema; refined: string[] } {
  const refined = new Set<string>();
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12', // the document is OpenAPI 3.1: its schemas are JSON Schema 2020-12
    io: 'input',
    unrepresentable: 'throw', // a transform or custom type the document cannot state fails the build
    reused: 'inline', // shared pieces are named here (`ref` layers), where the SDK's type names come from
    override: (ctx) => {
      if (hasRefinement(ctx.zodSchema)) refined.add(pointer(ctx.path));
    },
  }) as Schema;
  delete json.$schema;
  if (json.$defs) throw new Error(`${owner}: unexpected $defs (a recursive schema?)`);
  return { json, refined: [...refined] };
}

/** A component generated from zod, with its layers (a `ref` layer names another such component). */
export interface ZodComponent {
  zod: z.ZodType;
  layers?: Layers;
}

/** One component: zod's JSON Schema with its layers (`components` resolves `ref` layers). */
export function fromZod(
  owner: string,
  { zod, layers = {} }: ZodComponent,
  components: Record<string, ZodComponent> = {},
): Schema {
  const { json, refined } = generate(zod, owner);
  // Under a `ref`, the component's own layers answer for its refinements (the comparison below checks it).
  const refPaths = Object.keys(layers).filter((path) => layers[path]?.ref);
  const under = (root: string, path: string) => path === root || path.startsWith(`${root}/`);
  for (const path of refined) {
    if (!layers[path]?.refine && !refPaths.some((r) => under(r, path))) {
      throw new Error(
        `${owner}: ${path || '/'} has a zod .refine(): give its JSON Schema in a layer (refine)`,
      );
    }
  }
  // A JSON copy: under jest, structuredClone answers objects of another realm, which isDeepStrictEqual tells apart.
  const bare = JSON.parse(JSON.stringify(json)) as Schema;
  for (const [path, { doc, refine, ref }] of Object.entries(layers)) {
    if (refPaths.some((r) => r !== path && under(r, path))) {
      throw new Error(`${owner}: ${path} is inside a ref: layer the component instead`);
    }
    const node = at(json, path, owner);
    if (ref) {
      // The same zod JSON Schema, refined at the same places (the refinements themselves cannot be compared).
      const target = components[ref];
      if (!target) throw new Error(`${owner}: ${path} refers to unknown component ${ref}`);
      const theirs = generate(target.zod, ref);
      const mine = refined.filter((p) => under(path, p)).map((p) => p.slice(path.length));
      const same =
        isDeepStrictEqual(at(bare, path, owner), theirs.json) &&
        isDeepStrictEqual(mine.sort(), theirs.refined.sort());
      if (!same || refine || doc)
        throw new Error(`${owner}: ${path} is not the same schema as component ${ref}`);
      for (const key of Object.keys(node)) delete node[key];
      node.$ref = `#/components/schemas/${ref}`;
      continue;
    }
    if (Boolean(refine) !== refined.includes(path)) {
      throw new Error(`${owner}: ${path}: a refine layer must match a zod .refine() one to one`);
    }
    for (const [key, value] of Object.entries(refine ?? {})) {
      if (key in node) throw new Error(`${owner}: ${path}.${key} is zod's; a refine layer only adds`);
      node[key] = value;
    }
    for (const [key, value] of Object.entries(doc ?? {})) {
      if (!ANNOTATIONS.has(key)) throw new Error(`${owner}: ${path}.${key} is not an annotation`);
      if (key in node) throw new Error(`${owner}: ${path}.${key} is already said by the zod schema`);
      node[key] = value;
    }
  }
  return json;
}
