import 'reflect-metadata';
import { findUnsafeText, unsafeTextProblem } from './input-guard';
import { decodeCursor } from './pagination';

const cursor = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const ID = '00000000-0000-4000-8000-000000000000';

describe('text PostgreSQL would refuse', () => {
  it.each([
    ['a NUL', 'a\u0000b', /NUL/],
    ['a lone high surrogate', 'x\ud800', /surrogate/],
    ['a lone low surrogate', '\udc00x', /surrogate/],
    ['a high surrogate followed by a non-surrogate', '\ud83dA', /surrogate/],
  ])('%s is refused', (_, text, message) => {
    expect(unsafeTextProblem(text)).toMatch(message);
  });

  it.each([['plain text'], ['an emoji 😀 (a surrogate pair)'], ['accents: é, ñ, ü'], ['']])('%s passes', (text) => {
    expect(unsafeTextProblem(text)).toBeNull();
  });

  it('names the path of the first offender inside objects, arrays and JSON keys', () => {
    expect(findUnsafeText({ intake: { complaints: [{ notes: 'ok' }, { notes: 'bad\u0000' }] } }, 'input')?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.intake.complaints[1].notes',
    });
    expect(findUnsafeText({ ['k\ud800']: 1 }, 'input.intake')?.extensions).toMatchObject({ field: 'input.intake' });
    expect(findUnsafeText({ a: [1, true, null, new Date(0)] }, 'input')).toBeNull();
  });
});

describe('cursors', () => {
  it('accepts what the API issues', () => {
    expect(decodeCursor(cursor(['Clinic A', ID]))).toEqual(['Clinic A', ID]);
    expect(decodeCursor(cursor(['2026-01-01T10:00:00.000Z', ID]), 'time')).toEqual(['2026-01-01T10:00:00.000Z', ID]);
    expect(decodeCursor(null)).toBeNull();
  });

  it.each([
    ['a non-uuid id', cursor(['Clinic', 'not-a-uuid']), 'text'],
    ['a non-time sort value', cursor(['yesterday', ID]), 'time'],
    ['an impossible date', cursor(['2026-02-31T10:00:00.000Z', ID]), 'time'],
    ['a NUL in the sort value', cursor(['a\u0000', ID]), 'text'],
    ['not JSON', 'bm90IGpzb24', 'text'],
    ['the wrong shape', cursor({ a: 1 }), 'text'],
  ] as const)('refuses %s as BAD_USER_INPUT naming after', (_, value, kind) => {
    expect(() => decodeCursor(value, kind)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) }));
  });
});
