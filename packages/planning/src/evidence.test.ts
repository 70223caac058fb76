// This test (not the package) reads the seed documents to prove each quote is verbatim.
// eslint-disable-next-line no-restricted-imports -- test-only file access; src stays I/O-free
import { existsSync, readFileSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports -- test-only path handling
import { join } from 'node:path';
import { SEED, STUDY } from './index';

// The seed documents live outside the repository (/work/shared/seeds); checked when present.
const dir = [join(__dirname, '../../../../shared/seeds'), '/work/shared/seeds'].find((d) => existsSync(d));
const norm = (s: string) => s.replace(/\s+/g, ' ');

describe('evidence', () => {
  (dir ? it.each(Object.entries(SEED)) : it.skip.each(Object.entries(SEED)))('seed quote %s is verbatim in its seed file', (_k, q) => {
    const text = norm(readFileSync(join(dir!, q.file), 'utf8'));
    expect(text).toContain(norm(q.quote));
  });
  it.each(Object.entries(STUDY))('study %s has a citation with year and a finding', (_k, s) => {
    expect(s.citation).toMatch(/(19|20)\d\d/);
    expect(s.finding.length).toBeGreaterThan(20);
  });
});
