import type { RoleEvidence__Output } from '@deepface/proto';
import { round } from '../platform/lib/round';

/**
 * The engine's role evidence → its published shape. Here, beside the engine client, because both the verify answer
 * (features/face) and the client's refusals (`id_required`, `selfie_required` carry `details.roles`) present it.
 */

export type DocumentSignal = 'mrz' | 'fields' | 'card';

const SIGNALS: Record<RoleEvidence__Output['signals'][number], DocumentSignal | undefined> = {
  SIGNAL_MRZ: 'mrz',
  SIGNAL_FIELDS: 'fields',
  SIGNAL_CARD: 'card',
  DOCUMENT_SIGNAL_UNSPECIFIED: undefined,
};

/** One image's role and the evidence behind it (what made it the document, or not one). */
export function presentRoleEvidence(e: RoleEvidence__Output) {
  return {
    role: e.role === 'DOCUMENT' ? 'document' : 'selfie',
    document_score: round(e.document_score, 3),
    signals: e.signals.flatMap((s) => SIGNALS[s] ?? []),
    mrz: e.mrz,
    card_boundary: e.card_boundary,
    text_lines: e.text_lines,
    field_lines: e.field_lines,
    field_column: e.field_column,
    faces: e.faces,
    face_ratio: round(e.face_ratio, 3),
    person_out_of_frame: e.person_out_of_frame,
  };
}

/** Both images' roles; `swapped` when img1 was recognised as the selfie and img2 as the document. */
export function presentRoles(img1: RoleEvidence__Output, img2: RoleEvidence__Output) {
  return {
    swapped: img1.role === 'SELFIE' && img2.role === 'DOCUMENT',
    img1: presentRoleEvidence(img1),
    img2: presentRoleEvidence(img2),
  };
}
