// The generated TypeScript must be what the generator makes of engine.proto today: edit the .proto, run
// `pnpm proto:gen`, commit both.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  decodeErrorDetail,
  encodeErrorDetail,
  loadEngineProto,
  SERVICE_NAME,
  type ErrorDetail,
  type RoleEvidence,
} from '../src';

const root = path.resolve(__dirname, '..');

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name],
    );
}

describe('@deepface/proto', () => {
  it('the committed generated code matches engine.proto', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'proto-gen-'));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: { generate: string };
    };
    // The generator command of package.json, pointed at a temporary directory.
    const args = pkg.scripts.generate
      .split('&&')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map((a) => (a.startsWith('--outDir=') ? `--outDir=${out}` : a));
    execFileSync(path.join(root, 'node_modules', '.bin', 'proto-loader-gen-types'), args, { cwd: root });
    // Formatted as the generate script does, with the repository's prettier settings.
    const prettier = path.join(root, 'node_modules', '.bin', 'prettier');
    execFileSync(prettier, [
      '--config',
      path.join(root, '..', '.prettierrc.json'),
      '--log-level',
      'warn',
      '--write',
      out,
    ]);
    const committed = path.join(root, 'src', 'generated');
    expect(files(out).sort()).toEqual(files(committed).sort());
    for (const f of files(out)) {
      expect({ file: f, text: fs.readFileSync(path.join(out, f), 'utf8') }).toEqual({
        file: f,
        text: fs.readFileSync(path.join(committed, f), 'utf8'),
      });
    }
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('loads the service and round-trips an ErrorDetail', () => {
    const v1 = loadEngineProto();
    expect(Object.keys(v1.FaceEngine.service)).toEqual([
      'Verify',
      'Compare',
      'Analyze',
      'Detect',
      'Represent',
      'GetInfo',
      'ReadDocument',
    ]);
    expect(v1.FaceEngine.service.Verify.path).toBe(`/${SERVICE_NAME}/Verify`);
    const detail = {
      reason: 'OVERLOADED',
      message: 'queue full',
      image: 'IMAGE_REF_UNSPECIFIED',
      retryable: true,
      retry_after_ms: 1000,
    } as const;
    // Absent messages decode as null (proto3 message fields have no default), absent repeated fields as [].
    expect(decodeErrorDetail(encodeErrorDetail(detail))).toEqual({
      ...detail,
      img1_role: null,
      img2_role: null,
      quality_issues: [],
    });
    // A LOW_QUALITY refusal names the face's issues.
    const lowQuality: ErrorDetail = { ...detail, reason: 'LOW_QUALITY', quality_issues: ['blurry', 'pose'] };
    expect(decodeErrorDetail(encodeErrorDetail(lowQuality))).toMatchObject({
      quality_issues: ['blurry', 'pose'],
    });
    // A Verify refused on roles carries each image's role evidence.
    const evidence: RoleEvidence = {
      role: 'SELFIE',
      document_score: 0.25,
      text_lines: 15,
      mrz: false,
      card_boundary: false,
      face_ratio: 0.5,
      faces: 1,
      field_lines: 7,
      field_column: 2,
      signals: [],
      person_out_of_frame: true,
    };
    const refusal: ErrorDetail = {
      ...detail,
      reason: 'ID_REQUIRED',
      img1_role: evidence,
      img2_role: { ...evidence, signals: ['SIGNAL_CARD'] },
      quality_issues: [],
    };
    expect(decodeErrorDetail(encodeErrorDetail(refusal))).toEqual(refusal);
  });

  it("carries Verify's threshold as a double (0.58 stays 0.58) and ignores the retired float field 3", () => {
    const { requestSerialize, requestDeserialize } = loadEngineProto().FaceEngine.service.Verify;
    const wire = requestSerialize({ img1: Buffer.from('a'), img2: Buffer.from('b'), threshold: 0.58 });
    expect(requestDeserialize(wire).threshold).toBe(0.58);
    // What an old peer sends: field 3, wire type 5 (32-bit), 0.58 as a float, then as_of (field 5).
    const float = Buffer.alloc(4);
    float.writeFloatLE(0.58);
    const asOf = Buffer.from('2026-01-02');
    const old = Buffer.concat([
      Buffer.from([(3 << 3) | 5]),
      float,
      Buffer.from([(5 << 3) | 2, asOf.length]),
      asOf,
    ]);
    const decoded = requestDeserialize(old);
    expect(decoded.threshold).toBeUndefined();
    expect(decoded.as_of).toBe('2026-01-02');
  });
});
