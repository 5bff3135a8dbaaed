// ICAO 9303 layouts of machine-readable zones: how many rows and characters, and which positions hold only
// letters or only digits. The reader uses the classes to choose among look-alike glyphs (O/0, I/1, S/5, B/8):
// a date or a check digit cannot hold a letter, a name or a country code cannot hold a digit.

/** A: letters or filler. N: digits or filler. X: any MRZ character. */
export type CharClass = 'A' | 'N' | 'X';

export interface MrzLayout {
  name: 'TD1' | 'TD2' | 'TD3';
  rows: number;
  chars: number;
  /** One class string per row. */
  classes: readonly string[];
}

const rep = (c: CharClass, n: number): string => c.repeat(n);

// TD3 (passports, 2 × 44) and MRV-A visas, which share row 1 and the first 28 positions of row 2.
const TD3: MrzLayout = {
  name: 'TD3',
  rows: 2,
  chars: 44,
  classes: [
    // document code (2), issuing state, names
    rep('X', 2) + rep('A', 3) + rep('A', 39),
    // number, check, nationality, birth + check, sex, expiry + check, personal number, check, composite check
    rep('X', 9) + 'N' + rep('A', 3) + rep('N', 7) + 'A' + rep('N', 7) + rep('X', 14) + 'N' + 'N',
  ],
};

// TD2 (ID cards, 2 × 36) and MRV-B visas.
const TD2: MrzLayout = {
  name: 'TD2',
  rows: 2,
  chars: 36,
  classes: [
    rep('X', 2) + rep('A', 3) + rep('A', 31),
    rep('X', 9) + 'N' + rep('A', 3) + rep('N', 7) + 'A' + rep('N', 7) + rep('X', 7) + 'N',
  ],
};

// TD1 (ID cards, 3 × 30).
const TD1: MrzLayout = {
  name: 'TD1',
  rows: 3,
  chars: 30,
  classes: [
    rep('X', 2) + rep('A', 3) + rep('X', 9) + 'N' + rep('X', 15),
    rep('N', 7) + 'A' + rep('N', 7) + rep('A', 3) + rep('X', 11) + 'N',
    rep('A', 30),
  ],
};

export const LAYOUTS: readonly MrzLayout[] = [TD1, TD2, TD3];

/** The layout whose line length is nearest to a row of `cells` characters. */
export function layoutFor(cells: number): MrzLayout {
  return [...LAYOUTS].sort((a, b) => Math.abs(a.chars - cells) - Math.abs(b.chars - cells))[0]!;
}

export function classAt(layout: MrzLayout, row: number, col: number): CharClass {
  return (layout.classes[row]?.[col] ?? 'X') as CharClass;
}

const DIGITS = /[0-9<]/;
const LETTERS = /[A-Z<]/;

/** Whether a character may stand at a position of this class. */
export function allowed(cls: CharClass, ch: string): boolean {
  return cls === 'X' || (cls === 'N' ? DIGITS : LETTERS).test(ch);
}
