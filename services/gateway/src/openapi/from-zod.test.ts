import { z } from 'zod';
import { fromZod, type ZodComponent } from './from-zod';

const name = z.string().min(1).max(20);
const nonBlank = z.string().refine((s) => s.trim().length > 0);
const body = z.strictObject({ name, note: nonBlank.optional(), tags: z.array(z.enum(['a', 'b'])).min(1) });
const notBlank = { pattern: '\\S' };

describe('fromZod: request components from zod schemas', () => {
  it("keeps zod's types, required fields, enums and bounds, and adds the layers", () => {
    expect(
      fromZod('Body', {
        zod: body,
        layers: {
          '/properties/name': { doc: { description: 'Who.', examples: ['Ada'] } },
          '/properties/note': { refine: notBlank },
        },
      }),
    ).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'tags'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 20, description: 'Who.', examples: ['Ada'] },
        note: { type: 'string', pattern: '\\S' },
        tags: { type: 'array', minItems: 1, items: { type: 'string', enum: ['a', 'b'] } },
      },
    });
  });

  it('refuses a zod .refine() without its JSON Schema, and a refine layer where zod has none', () => {
    expect(() => fromZod('Body', { zod: body })).toThrow('/properties/note has a zod .refine()');
    expect(() =>
      fromZod('Body', {
        zod: body,
        layers: { '/properties/note': { refine: notBlank }, '/properties/name': { refine: notBlank } },
      }),
    ).toThrow('/properties/name: a refine layer must match a zod .refine() one to one');
  });

  it('refuses layers that contradict zod or point nowhere', () => {
    const note = { '/properties/note': { refine: notBlank } };
    const attempt = (layers: Record<string, object>) => () =>
      fromZod('Body', { zod: body, layers: { ...note, ...layers } });
    expect(attempt({ '/properties/name': { doc: { maxLength: 10 } } })).toThrow('is not an annotation');
    expect(attempt({ '/properties/name': { doc: { description: 'x' } } })).not.toThrow();
    expect(attempt({ '/properties/nom': { doc: { description: 'x' } } })).toThrow(
      'no schema at /properties/nom',
    );
    expect(attempt({ '/properties/note': { refine: { ...notBlank, type: 'integer' } } })).toThrow(
      "note.type is zod's",
    );
    const described = z.strictObject({ name: name.describe('From zod.') });
    expect(() =>
      fromZod('Described', { zod: described, layers: { '/properties/name': { doc: { description: 'x' } } } }),
    ).toThrow('already said by the zod schema');
  });

  it('publishes a shared piece as a $ref only when it is the same zod schema, refined alike', () => {
    const components: Record<string, ZodComponent> = {
      NonBlank: { zod: nonBlank, layers: { '': { refine: notBlank, doc: { description: 'Not blank.' } } } },
      Plain: { zod: z.string() },
    };
    const pair = z.strictObject({ a: nonBlank, b: z.string().refine((s) => s.trim().length > 0) });
    expect(
      fromZod(
        'Pair',
        { zod: pair, layers: { '/properties/a': { ref: 'NonBlank' }, '/properties/b': { ref: 'NonBlank' } } },
        components,
      ).properties,
    ).toEqual({ a: { $ref: '#/components/schemas/NonBlank' }, b: { $ref: '#/components/schemas/NonBlank' } });
    const other = z.strictObject({
      a: z
        .string()
        .max(3)
        .refine((s) => s.length > 0),
      n: z.string(),
    });
    expect(() =>
      fromZod('Other', { zod: other, layers: { '/properties/a': { ref: 'NonBlank' } } }, components),
    ).toThrow('/properties/a is not the same schema as component NonBlank');
    // The same JSON Schema as Plain, but refined: Plain has no refinement to stand for it.
    expect(() =>
      fromZod(
        'Other',
        { zod: z.strictObject({ a: nonBlank }), layers: { '/properties/a': { ref: 'Plain' } } },
        components,
      ),
    ).toThrow('not the same schema as component Plain');
    const nested = z.strictObject({ inner: z.strictObject({ a: nonBlank }) });
    const Inner: ZodComponent = { zod: nested.shape.inner, layers: { '/properties/a': { ref: 'NonBlank' } } };
    expect(() =>
      fromZod(
        'Nested',
        {
          zod: nested,
          layers: {
            '/properties/inner': { ref: 'Inner' },
            '/properties/inner/properties/a': { refine: notBlank },
          },
        },
        { ...components, Inner },
      ),
    ).toThrow('/properties/inner/properties/a is inside a ref');
    expect(
      fromZod(
        'Nested',
        { zod: nested, layers: { '/properties/inner': { ref: 'Inner' } } },
        { ...components, Inner },
      ),
    ).toMatchObject({ properties: { inner: { $ref: '#/components/schemas/Inner' } } });
  });

  it('refuses what JSON Schema cannot state', () => {
    const transformed = z.strictObject({ n: z.string().transform((s) => s.length) });
    expect(() => fromZod('T', { zod: z.strictObject({ when: z.date() }) })).toThrow();
    expect(fromZod('T', { zod: transformed })).toMatchObject({ properties: { n: { type: 'string' } } });
  });
});
