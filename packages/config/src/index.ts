import { z } from 'zod';

/**
 * How both services read their environment: one schema parsed once at start, every problem listed at once, one
 * dialect for numbers and switches, one error and one exit code. Nothing falls back silently.
 */

/** sysexits.h EX_CONFIG: what a process exits with when its configuration is wrong (both services, every entry). */
export const CONFIG_EXIT_CODE = 78;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A whole number written with digits only ("1e3", "0x10", "1.5" and "12abc" are refused, unlike `Number()`). */
export function int(min = 0, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A switch: true, 1, yes, on / false, 0, no, off (any case). */
export const bool = z.stringbool({
  truthy: ['true', '1', 'yes', 'on'],
  falsy: ['false', '0', 'no', 'off'],
  error: 'expected true, false, 1, 0, yes, no, on or off',
});

export interface ParseOptions {
  /** Whether a bad value may be quoted in its problem (never for secrets). Default: never. */
  showValue?: (name: string) => boolean;
}

/**
 * The environment parsed by `schema`, or a ConfigError listing every problem as `NAME: what is wrong`. Unset, empty
 * and blank variables are the same thing (k8s and compose files often render `FOO=`).
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  options: ParseOptions = {},
): z.output<S> {
  const given = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => (entry[1] ?? '').trim() !== ''),
  );
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.') || '(root)';
      const shown = name in given && options.showValue?.(name) ? ` (got ${JSON.stringify(given[name])})` : '';
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}

/** For process entry points: the configuration, or every problem on stderr and exit CONFIG_EXIT_CODE. */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
}
