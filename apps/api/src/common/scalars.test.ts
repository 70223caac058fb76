import { DateTimeScalar } from './scalars';

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
});
