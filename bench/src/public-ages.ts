// Approximate true ages for the photos of public people in the evaluation sets, for `pnpm eval age`. Neither set
// labels ages, but these people's birth years are public record, and each photo's capture year is bounded: by the
// role or career it shows (a series' broadcast years, a term of office) and, at the latest, by the year the
// photo entered its source repository. An estimate inside the resulting window of ages has no error we can
// see; outside it, its distance to the window is a lower bound on its error. People whose photos could span more
// than about 15 years are left out: a window that wide says nothing.

export interface AgeWindow {
  /** Birth year (public biographies). */
  born: number;
  /** The earliest and latest year the photos can have been taken. */
  from: number;
  to: number;
  /** Why that window. */
  basis: string;
}

/** Real-world people (`../shared/realworld-dev/people/<identity>`). */
export const REAL_WORLD_AGES: Readonly<Record<string, AgeWindow>> = {
  obama: {
    born: 1961,
    from: 2004,
    to: 2017,
    basis: 'senator to end of presidency; face_recognition examples, 2017',
  },
  biden: {
    born: 1942,
    from: 2005,
    to: 2017,
    basis: 'senate to vice-presidency; face_recognition knn examples, 2017',
  },
  kit_harington: { born: 1986, from: 2011, to: 2017, basis: 'Game of Thrones years; face_recognition, 2017' },
  rose_leslie: { born: 1987, from: 2011, to: 2017, basis: 'Game of Thrones years; face_recognition, 2017' },
  lin_manuel_miranda: {
    born: 1980,
    from: 2008,
    to: 2017,
    basis: 'In the Heights to Hamilton; face_recognition, 2017',
  },
  alex_lacamoire: {
    born: 1975,
    from: 2008,
    to: 2017,
    basis: 'In the Heights to Hamilton; face_recognition, 2017',
  },
  tom_cruise: { born: 1962, from: 2014, to: 2014, basis: 'file named for a 2014 event (dlib examples)' },
  john_lennon: { born: 1940, from: 1962, to: 1980, basis: 'Beatles years to his death' },
  amy_adams: { born: 1974, from: 2005, to: 2015, basis: 'film career; openface examples, 2015' },
  steve_carell: { born: 1962, from: 2005, to: 2015, basis: 'film career; openface examples, 2015' },
  kate_siegel: {
    born: 1982,
    from: 2005,
    to: 2019,
    basis: 'screen career; facenet-pytorch test images, 2019',
  },
};

/**
 * Fixture identities (`../shared/fixtures/faces/people/<name>`): crops of The Big Bang Theory's cast in character,
 * from face-api.js' examples (2018); the window runs from the actor's first season to 2018.
 */
export const FIXTURE_AGES: Readonly<Record<string, AgeWindow>> = {
  amy: { born: 1975, from: 2010, to: 2018, basis: 'Mayim Bialik, seasons 4–; face-api.js examples, 2018' },
  bernadette: { born: 1980, from: 2009, to: 2018, basis: 'Melissa Rauch, seasons 3–; face-api.js, 2018' },
  howard: { born: 1980, from: 2007, to: 2018, basis: 'Simon Helberg, seasons 1–; face-api.js, 2018' },
  leonard: { born: 1975, from: 2007, to: 2018, basis: 'Johnny Galecki, seasons 1–; face-api.js, 2018' },
  penny: { born: 1985, from: 2007, to: 2018, basis: 'Kaley Cuoco, seasons 1–; face-api.js, 2018' },
  raj: { born: 1981, from: 2007, to: 2018, basis: 'Kunal Nayyar, seasons 1–; face-api.js, 2018' },
  sheldon: { born: 1973, from: 2007, to: 2018, basis: 'Jim Parsons, seasons 1–; face-api.js, 2018' },
  stuart: { born: 1970, from: 2009, to: 2018, basis: 'Kevin Sussman, seasons 2–; face-api.js, 2018' },
};

/** The ages a photo in the window can show (a birthday may or may not have passed). */
export function ageRange(w: AgeWindow): { lo: number; hi: number } {
  return { lo: w.from - w.born - 1, hi: w.to - w.born };
}

/** How far an estimate lies outside the window's ages (0 inside): a lower bound on its error, signed. */
export function outside(estimate: number, w: AgeWindow): number {
  const { lo, hi } = ageRange(w);
  return estimate < lo ? estimate - lo : estimate > hi ? estimate - hi : 0;
}
