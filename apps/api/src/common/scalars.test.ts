import { DateTimeScalar, isoString } from './scalars';

describe('the DateTime scalar', () => {
  it('sends a string in the API’s own ISO form as it is, and anything else as graphql-scalars does', () => {
    const d = new Date('2026-03-10T09:00:00.123Z');
    expect(JSON.stringify(DateTimeScalar.serialize(d))).toBe('"2026-03-10T09:00:00.123Z"');
    expect(DateTimeScalar.serialize('2026-03-10T09:00:00.123Z')).toBe('2026-03-10T09:00:00.123Z');
    // Another form is still parsed and written back in the API's form.
    expect(JSON.stringify(DateTimeScalar.serialize('2026-03-10T10:00:00+01:00'))).toBe('"2026-03-10T09:00:00.000Z"');
    expect(() => DateTimeScalar.serialize('yesterday')).toThrow();
    expect(() => DateTimeScalar.serialize(new Date(NaN))).toThrow();
  });

  it('reads input as before', () => {
    expect(DateTimeScalar.parseValue('2026-03-10T09:00:00Z')).toEqual(new Date('2026-03-10T09:00:00Z'));
    expect(DateTimeScalar.name).toBe('DateTime');
  });

  it('sends a Date as the string toISOString writes (isoString), not as a Date', () => {
    const d = new Date('2026-03-10T09:00:00.123Z');
    expect(DateTimeScalar.serialize(d)).toBe('2026-03-10T09:00:00.123Z');
    expect(DateTimeScalar.serialize('2026-03-10T10:00:00+01:00')).toBe('2026-03-10T09:00:00.000Z');
  });
});

describe('isoString', () => {
  it('writes what toISOString writes, at the edges and for 100,000 instants', () => {
    const edges = [0, -1, 1, -62_167_219_200_000, -62_167_219_200_001, -62_135_596_800_000, 951_782_400_000, 951_868_800_000, 946_684_799_999, 4_107_542_400_000, -30_610_224_000_001, -30_610_224_000_000, 253_402_300_799_999, 253_402_300_800_000, -62_198_755_200_000, 8.64e15, -8.64e15];
    for (const ms of edges) expect(isoString(ms)).toBe(new Date(ms).toISOString());
    // A fixed pseudo-random sequence (a test must not depend on luck): instants from before year 0 to after 9999, every cache filled and emptied many times.
    let seed = 42;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 100_000; i++) {
      const ms = Math.floor((next() * 1.6 - 0.3) * 253_402_300_799_999) + Math.floor(next() * 1000);
      const expected = new Date(ms).toISOString();
      if (isoString(ms) !== expected) expect(isoString(ms)).toBe(expected);
    }
  });
});
