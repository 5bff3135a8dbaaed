import { z } from 'zod';
import { bool, CONFIG_EXIT_CODE, ConfigError, configOrExit, int, parseEnv } from '../src';

const schema = z.object({
  PORT: int(1, 65535).default(8080),
  WORKERS: int(1).optional(),
  DEBUG: bool.default(false),
  TOKEN: z.string().min(8).optional(),
});
const problemsOf = (env: Record<string, string | undefined>, showValue?: (name: string) => boolean) => {
  try {
    parseEnv(schema, env, { showValue });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('parseEnv', () => {
  it('applies defaults and treats empty and blank variables as unset', () => {
    expect(parseEnv(schema, { PORT: '', WORKERS: '  ', DEBUG: undefined })).toEqual({
      PORT: 8080,
      DEBUG: false,
    });
  });

  it.each(['1e3', '0x10', '1.5', '12abc', '-1', 'one'])('refuses the integer %p', (value) => {
    expect(problemsOf({ WORKERS: value })).toEqual([expect.stringMatching(/^WORKERS: /)]);
  });

  it('reads integers written with digits, within bounds', () => {
    expect(parseEnv(schema, { PORT: ' 443 ', WORKERS: '4' })).toMatchObject({ PORT: 443, WORKERS: 4 });
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT: /)]);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['Off', false],
  ])('reads the switch %p', (value, expected) => {
    expect(parseEnv(schema, { DEBUG: value }).DEBUG).toBe(expected);
  });

  it('lists every problem at once, quoting a value only where allowed', () => {
    const env = { PORT: 'x', DEBUG: 'maybe', TOKEN: 'short' };
    expect(
      problemsOf(env)
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['DEBUG', 'PORT', 'TOKEN']);
    expect(problemsOf(env).join('\n')).not.toContain('"short"');
    const shown = problemsOf(env, (name) => name !== 'TOKEN');
    expect(shown.find((p) => p.startsWith('PORT'))).toContain('(got "x")');
    expect(shown.find((p) => p.startsWith('TOKEN'))).not.toContain('short');
  });
});

describe('configOrExit', () => {
  it('prints every problem and exits with EX_CONFIG (78)', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(CONFIG_EXIT_CODE).toBe(78);
      expect(() => configOrExit(() => parseEnv(schema, { PORT: '0' }))).toThrow('exit 78');
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/invalid configuration:\n {2}- PORT: /));
    } finally {
      exit.mockRestore();
      write.mockRestore();
    }
  });

  it('lets any other error through', () => {
    expect(() =>
      configOrExit(() => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });
});
