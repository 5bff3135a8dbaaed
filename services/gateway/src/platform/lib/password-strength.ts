import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password strength by zxcvbn-ts (common-password and diceware lists, keyboard layouts): how many guesses an
 * attacker needs, not how long the password is. Score 3 ("safely unguessable: moderate protection from offline
 * slow-hash scenario", ≥ 10^8 guesses) is the bar; passwords are scrypt-hashed, so that is an offline slow hash.
 * Levenshtein matching is off: it multiplied the check time by ~50 for little gain. Only the first 100 characters
 * are estimated (zxcvbn's matching grows faster than linearly; a longer password passes on length anyway).
 */
const MIN_SCORE = 3;
const ESTIMATED_LENGTH = 100;

const zxcvbn = new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });

/** zxcvbn's warning keys (no translation package is loaded), in our words. */
const WARNINGS: Record<string, string> = {
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is very close to a commonly used password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'names on their own are easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains your e-mail address or your name',
  straightRow: 'a row of keys on the keyboard is easy to guess',
  keyPattern: 'a short keyboard pattern is easy to guess',
  simpleRepeat: 'repeated characters are easy to guess',
  extendedRepeat: 'repeated groups of characters are easy to guess',
  sequences: 'sequences like "abc" or "6543" are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
  pwned: 'it appears in lists of leaked passwords',
};

export interface PasswordVerdict {
  ok: boolean;
  /** 0–4, zxcvbn's score. */
  score: number;
  /** Why it was refused, in one sentence; undefined when ok. */
  reason?: string;
}

/** Judges a new password; `userInputs` (e-mail, name) count as known to an attacker. */
export function judgePassword(password: string, userInputs: string[] = []): PasswordVerdict {
  const inputs = userInputs.flatMap((s) => [s, ...s.toLowerCase().split(/[@.\s_+-]+/)]).filter((s) => s);
  const result = zxcvbn.check(password.slice(0, ESTIMATED_LENGTH), inputs);
  if (result.score >= MIN_SCORE) return { ok: true, score: result.score };
  const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) || 'it would be guessed quickly';
  return {
    ok: false,
    score: result.score,
    reason: `This password is too easy to guess: ${why}. Use a few unrelated words or a password manager’s suggestion.`,
  };
}
