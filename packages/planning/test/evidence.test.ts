// This test (not the package) reads the seed documents to prove each quote is verbatim;
// it lives outside src/ so that src/ stays free of I/O.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, STUDY } from '../src';

// The seed documents live beside the repository (../shared/seeds); checked when present.
const dir = join(__dirname, '../../../../shared/seeds');
const present = existsSync(dir);
const norm = (s: string) => s.replace(/\s+/g, ' ');

describe('evidence', () => {
  (present ? it.each(Object.entries(SEED)) : it.skip.each(Object.entries(SEED)))('seed quote %s is verbatim in its seed file', (_k, q) => {
    const text = norm(readFileSync(join(dir, q.file), 'utf8'));
    expect(text).toContain(norm(q.quote));
  });
  it.each(Object.entries(STUDY))('study %s has a citation with year and a finding', (_k, s) => {
    expect(s.citation).toMatch(/(19|20)\d\d/);
    expect(s.finding.length).toBeGreaterThan(20);
  });
});
