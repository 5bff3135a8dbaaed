// The jest transform every project uses (jest.transform.cjs): hot built-ins bound once per module, because a global
// lookup inside jest's vm context goes through Node's interceptor (~100× slower in hot loops). What it must keep:
// the code's meaning, its line numbers, hashbangs and "use strict", and every project on it.
import { readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

const ROOT = path.join(__dirname, '..', '..', '..');

interface Transformer {
  process(src: string, filename: string, options: unknown): { code: string };
}
interface TransformModule {
  createTransformer(options: unknown): Transformer;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transform = require(path.join(ROOT, 'jest.transform.cjs')) as TransformModule;
const builtJs = transform.createTransformer({ bindingsOnly: true });
const typescript = transform.createTransformer({ jsc: { target: 'es2022' } });
const JEST_OPTIONS = { supportsStaticESM: false, config: {}, cacheFS: new Map(), transformerConfig: {} };

/** Runs CommonJS `code` in a fresh vm context as jest does; returns its exports and the context. */
function run(
  code: string,
  filename = 'module.js',
): { exports: Record<string, unknown>; context: vm.Context } {
  const context = vm.createContext({});
  const wrapper = vm.runInContext(`(function (exports, require, module) {${code}\n})`, context, {
    filename,
  }) as (e: unknown, r: unknown, m: unknown) => void;
  const module = { exports: {} as Record<string, unknown> };
  wrapper(module.exports, require, module);
  return { exports: module.exports, context };
}

describe('jest.transform.cjs', () => {
  it('binds the built-ins to the context’s own objects, after "use strict", without moving a line', () => {
    const src =
      '"use strict";\nexports.max = (xs) => Math.max(...xs);\nexports.boom = () => { throw new Error("x"); };\nexports.math = () => Math;\n';
    const { code } = builtJs.process(src, 'built.js', JEST_OPTIONS);
    expect(code.startsWith('"use strict";const { Math, Number,')).toBe(true);
    expect(code.split('\n')).toHaveLength(src.split('\n').length);
    const { exports, context } = run(code, 'built.js');
    expect((exports.max as (xs: number[]) => number)([1, 5, 3])).toBe(5);
    expect((exports.math as () => unknown)()).toBe(vm.runInContext('Math', context));
    // The error's line is the source's (3), so stack traces and source maps still point right.
    let stack = '';
    try {
      (exports.boom as () => void)();
    } catch (error) {
      stack = (error as Error).stack ?? '';
    }
    expect(stack).toMatch(/built\.js:3:/);
  });

  it('keeps a hashbang first', () => {
    const { code } = builtJs.process(
      '#!/usr/bin/env node\n"use strict";\nexports.n = Number.MAX_SAFE_INTEGER;\n',
      'cli.js',
      JEST_OPTIONS,
    );
    expect(code.startsWith('#!/usr/bin/env node\n"use strict";const {')).toBe(true);
    expect(code.split('\n')).toHaveLength(4);
  });

  it('compiles TypeScript with swc and binds the built-ins before swc’s own module prologue runs', () => {
    const src =
      'export const floor = (x: number): number => Math.floor(x);\nexport const all = Object.keys({ a: 1 });\n';
    const { code } = typescript.process(src, 'mod.ts', JEST_OPTIONS);
    expect(code.indexOf('globalThis;')).toBeLessThan(code.indexOf('Object.defineProperty'));
    const { exports } = run(code, 'mod.js');
    expect((exports.floor as (x: number) => number)(2.7)).toBe(2);
    expect(exports.all).toEqual(['a']);
  });

  it('is the transform of TypeScript and of the built JavaScript in every jest project', () => {
    const projects = ['proto', 'sdk', 'packages', 'services', 'test']
      .flatMap((r) => [r, ...readdirSync(path.join(ROOT, r)).map((d) => path.join(r, d))])
      .filter((d) => existsSync(path.join(ROOT, d, 'jest.config.js')));
    expect(projects.length).toBeGreaterThanOrEqual(10);
    for (const project of projects) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const config = require(path.join(ROOT, project, 'jest.config.js')) as {
        transform?: Record<string, [string, unknown]>;
      };
      const used = Object.values(config.transform ?? {}).map(([file]) => path.resolve(file));
      expect({ project, patterns: Object.keys(config.transform ?? {}) }).toEqual({
        project,
        patterns: ['^.+\\.ts$', '^.+\\.js$'],
      });
      expect(used).toEqual([path.join(ROOT, 'jest.transform.cjs'), path.join(ROOT, 'jest.transform.cjs')]);
    }
  });
});
