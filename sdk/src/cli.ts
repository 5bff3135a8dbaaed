#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DeepFace, type AnalyzeAction, type LivenessOption, type WithMeta } from './client';

const LIVENESS_OPTIONS: readonly LivenessOption[] = ['off', 'report', 'require'];
import { DeepFaceError } from './errors';
import { image, type ImageInput } from './images';

export const USAGE = `Usage: deepface <command> [options]

Commands:
  verify <id-document> <selfie>   KYC: does the ID document match the selfie? (charged when verified)
  lookalike <image-1> <image-2>   resemblance of two faces, 0-100 (charged when they strongly match)
  analyze <image>                 age, gender, race and emotion of every face
  account                         balance and prices

An image is a file path, an http(s) URL or a data: URI.

Options:
  --json                 print the API's JSON answer instead of a summary
  --actions a,b          analyze only these: age, gender, race, emotion
  --liveness <mode>      verify: off, report (default) or require (refuse a selfie that looks like a print
                         or a screen; a weak single-frame signal, see the API docs)
  --document-fields      verify: also show the document's personal fields (names, number, dates, sex) from its MRZ
  --as-of YYYY-MM-DD     verify: the day the document's expiry and the holder's age are judged on (default: today)
  --key <key>            API key (default: $DEEPFACE_API_KEY)
  --base-url <url>       API base URL (default: $DEEPFACE_BASE_URL or http://localhost:8080)
  -h, --help

Exit status: 0 success, 1 the API or the network refused, 2 wrong usage.
`;

export class UsageError extends Error {}

function imageArg(value: string | undefined, what: string): ImageInput {
  if (!value) throw new UsageError(`missing ${what}`);
  if (/^https?:\/\//i.test(value)) return image.url(value);
  if (value.startsWith('data:')) return value;
  if (!existsSync(value)) throw new UsageError(`${what}: no such file: ${value}`);
  return image.file(value);
}

const usd = (n: number) => `$${n.toFixed(2)}`;
type Area = { x: number; y: number; w: number; h: number } | null;
const box = (a: Area) => (a ? `${a.w}×${a.h} px at (${a.x}, ${a.y})` : 'not located');

function billingLine(result: WithMeta<{ billing: { charged: number } }>): string {
  const balance = result.lastResponse.billing?.balanceRemaining;
  return `${usd(result.billing.charged)}${balance === undefined ? '' : ` (balance ${usd(balance)})`}`;
}

function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

type DocumentData = NonNullable<
  Awaited<ReturnType<DeepFace['verify']>>['engine_response']['details']['document']
>;

/** The document's MRZ data as summary rows (personal fields only when the answer has them). */
function documentRows(d: DocumentData | undefined): Array<[string, string]> {
  if (!d) return [];
  if (d.mrz !== 'read') return [['document MRZ', d.mrz.replace('_', ' ')]];
  const rows: Array<[string, string]> = [
    ['document', `${d.document_type ?? '?'} (${d.format ?? '?'}), issued by ${d.issuing_country ?? '?'}`],
    [
      'check digits',
      d.check_digits_valid ? 'valid' : `invalid (${d.invalid_fields.join(', ') || 'unknown'})`,
    ],
    ['expired', d.expired === null ? 'unknown' : d.expired ? 'yes' : 'no'],
    ['age', d.age === null ? 'unknown' : String(d.age)],
  ];
  const check = d.age_check;
  if (check)
    rows.push([
      'selfie looks',
      `${check.estimated_age} (${check.consistent ? 'consistent' : 'NOT consistent'} with the document, ±${check.margin} years)`,
    ]);
  const f = d.fields;
  if (f) {
    rows.push(
      ['name', [f.given_names, f.surname].filter(Boolean).join(' ')],
      ['number', f.document_number ?? ''],
      ['born', f.birth_date ?? ''],
      ['expires', f.expiry_date ?? ''],
      ['sex', f.sex ?? ''],
    );
  }
  return rows;
}

export async function runCli(
  argv: string[],
  out: (text: string) => void,
  env = process.env,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      actions: { type: 'string' },
      liveness: { type: 'string' },
      'document-fields': { type: 'boolean' },
      'as-of': { type: 'string' },
      key: { type: 'string' },
      'base-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  const apiKey = values.key ?? env.DEEPFACE_API_KEY;
  if (!apiKey) throw new UsageError('no API key: pass --key or set DEEPFACE_API_KEY');
  const client = new DeepFace({ apiKey, baseUrl: values['base-url'] ?? env.DEEPFACE_BASE_URL });
  const print = (result: object, summary: () => string) =>
    out(values.json ? JSON.stringify(result, null, 2) : summary());

  switch (command) {
    case 'verify': {
      const liveness = values.liveness;
      if (liveness !== undefined && !LIVENESS_OPTIONS.includes(liveness as LivenessOption))
        throw new UsageError(`--liveness must be one of ${LIVENESS_OPTIONS.join(', ')}`);
      const r = await client.verify(imageArg(args[0], '<id-document>'), imageArg(args[1], '<selfie>'), {
        ...(liveness ? { liveness: liveness as LivenessOption } : {}),
        documentFields: values['document-fields'],
        asOf: values['as-of'],
      });
      const e = r.engine_response;
      const live = e.details.liveness;
      print(r, () =>
        [
          `${e.verified ? '✔ Verified' : '✘ Not verified'}: ${r.message}`,
          table([
            ['confidence', `${e.confidence} %`],
            ['distance', `${e.details.distance} (match at ≤ ${e.threshold})`],
            ['ID face', box(e.details.facial_areas.img1)],
            ['selfie face', box(e.details.facial_areas.img2)],
            ...(live
              ? [
                  ['liveness', `${live.decision} (score ${live.score}, cut ${live.threshold})`] as [
                    string,
                    string,
                  ],
                ]
              : []),
            ...documentRows(e.details.document),
            ['charged', billingLine(r)],
            ['request', r.lastResponse.requestId ?? ''],
          ]),
        ].join('\n'),
      );
      return 0;
    }
    case 'lookalike': {
      const r = await client.lookalike(imageArg(args[0], '<image-1>'), imageArg(args[1], '<image-2>'));
      print(r, () =>
        [
          `${r.ui_hint.emoji}  ${r.similarity} % similar: ${r.ui_hint.message}`,
          table([
            ['label', r.similarity_label.replace('_', ' ')],
            ['same person', r.verified ? 'yes' : 'no'],
            ['charged', billingLine(r)],
            ['request', r.lastResponse.requestId ?? ''],
          ]),
        ].join('\n'),
      );
      return 0;
    }
    case 'analyze': {
      const actions = values.actions?.split(',').map((a) => a.trim()) as AnalyzeAction[] | undefined;
      const r = await client.analyze(imageArg(args[0], '<image>'), actions ? { actions } : {});
      print(r, () => {
        const lines = [`${r.faces_detected} face${r.faces_detected === 1 ? '' : 's'} analysed`];
        for (let i = 0; i < r.faces_detected; i++) {
          const rows: Array<[string, string]> = [];
          for (const result of r.results) {
            const [action, faces] = Object.entries(result)[0] as [string, Array<Record<string, unknown>>];
            const face = faces[i];
            if (!face) continue;
            if (action === 'age') rows.push(['age', String(face.age)]);
            else {
              const dominant = String(face[`dominant_${action}`]);
              const pct = (face[action] as Record<string, number>)[dominant];
              rows.push([action, `${dominant} (${pct} %)`]);
            }
          }
          const region = (Object.values(r.results[0] ?? {})[0] as Array<{ region: Area }> | undefined)?.[i]
            ?.region;
          lines.push(`face ${i + 1}: ${box(region ?? null)}`, table(rows));
        }
        lines.push(
          table([
            ['charged', billingLine(r)],
            ['request', r.lastResponse.requestId ?? ''],
          ]),
        );
        return lines.join('\n');
      });
      return 0;
    }
    case 'account': {
      const r = await client.account();
      const a = r.account;
      print(r, () =>
        table([
          ['account', `${a.id} (${a.name}, ${a.status})`],
          ['balance', usd(a.balance)],
          [
            'prices',
            `verify ${usd(a.prices.verify)}, analyze ${usd(a.prices.analyze)}, look-alike ${usd(a.prices.lookalike)}`,
          ],
        ]),
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** An API error for the terminal: the message with its code and request id, then what to do (the API's hint). */
export function formatError(error: DeepFaceError): string {
  const id = error.requestId ? ` [request ${error.requestId}]` : '';
  const status = error.status ? `, HTTP ${error.status}` : '';
  const hint = error.hint ? `\n  → ${error.hint}` : '';
  return `deepface: ${error.message} (${error.code}${status})${id}${hint}\n`;
}

if (require.main === module) {
  runCli(process.argv.slice(2), (text) => process.stdout.write(`${text}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`deepface: ${(error as Error).message}\n\n${USAGE}`);
        process.exit(2);
      }
      if (error instanceof DeepFaceError) {
        process.stderr.write(formatError(error));
        process.exit(1);
      }
      process.stderr.write(`deepface: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
