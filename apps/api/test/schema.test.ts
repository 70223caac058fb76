import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printSchemaFile } from '../src/schema-file';
import { codeOf, startTestApi, type TestApi } from './harness';

describe('GraphQL schema and request limits', () => {
  it('matches the committed apps/api/schema.graphql (run `npm run schema` after changing resolvers)', async () => {
    const committed = readFileSync(path.resolve(__dirname, '../schema.graphql'), 'utf8');
    expect(await printSchemaFile()).toBe(committed);
  });

  describe('limits', () => {
    let t: TestApi;
    let token: string;
    beforeAll(async () => {
      t = await startTestApi();
      token = (await t.orgWithAdmin('Limits Chain')).token;
    });
    afterAll(() => t.stop());

    it('allows the deepest real query and refuses one deeper than 10 levels', async () => {
      const real = `{ practitioners { edges { node { availability { clinic { rooms { id } } } } } } }`;
      expect((await t.gql(real, {}, token)).errors).toBeUndefined();
      const nest = (n: number): string => (n === 0 ? '{ name }' : `{ ofType ${nest(n - 1)} }`);
      const res = await t.gql(`{ __type(name: "Clinic") { fields { type ${nest(9)} } } }`, {}, token);
      expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors?.[0].message).toMatch(/depth limit of 10/);
    });

    it('refuses more than 15 aliases', async () => {
      const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: me { roles }`).join(' ');
      const res = await t.gql(`{ ${aliases} }`, {}, token);
      expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors?.[0].message).toMatch(/Aliases limit/i);
    });

    it('refuses an expensive query by cost', async () => {
      const heavy = Array.from({ length: 3 }, (_, i) => `p${i}: practitioners(first: 200) { nodes { displayName availability { weekday start end clinic { name timeZone rooms { name id clinicId } } } } }`).join(' ');
      const res = await t.gql(`{ ${heavy} }`, {}, token);
      expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors?.[0].message).toMatch(/Cost limit/i);
    });

    it('answers malformed JSON with a 400 and a code', async () => {
      const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    });
  });
});
