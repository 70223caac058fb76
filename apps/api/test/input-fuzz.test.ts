import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { DEMO_ADMIN, seedDemo } from '../src/seed';
import { SIGN_IN, startTestApi, type GqlResult, type TestApi } from './harness';

/**
 * Every query and mutation of the committed schema, called as the ORG_ADMIN of the seeded
 * demo chain with generated arguments whose text leaves include what PostgreSQL refuses
 * (NUL, unpaired surrogates), very long text and forged pagination cursors. Nothing may come
 * back as INTERNAL_SERVER_ERROR (or HTTP 500), and every error must carry extensions.code.
 * Deterministic: fast-check runs from fixed seeds.
 */

const SEED = 20261128;
const RANDOM_RUNS = 25;

const cursor = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const HUGE = 'x'.repeat(50_000);
const NASTY_TEXT = ['a\u0000b', '\u0000', 'pain \ud800 here', '\udc00', 'ok \ud83d', HUGE];
const GARBAGE_CURSORS = [
  cursor(['Clinic', 'not-a-uuid']),
  cursor(['not-a-time', '00000000-0000-4000-8000-000000000000']),
  cursor(['a\u0000', '00000000-0000-4000-8000-000000000000']),
  cursor(['x', '\ud800']),
  cursor([1, 2]),
  cursor({ a: 1 }),
  'not base64 at all!!',
  '',
];

interface Pools {
  ids: string[];
  /** Seeded ids by table: `clinicId` draws from `clinic`, `planId` from `treatment_plan`… */
  byKind: Record<string, string[]>;
}

const KIND_OF: [RegExp, string][] = [
  [/^clinicIds?$/, 'clinic'],
  [/^roomId$/, 'room'],
  [/^practitionerId$/, 'practitioner'],
  [/^clientId$/, 'client'],
  [/^intakeId$/, 'intake'],
  [/^planId$/, 'treatment_plan'],
  [/^(appointmentId|rescheduledFrom)$/, 'appointment'],
  [/^noteId$/, 'session_note'],
];

function textArb(pools: Pools): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...NASTY_TEXT),
    fc.constantFrom(...GARBAGE_CURSORS),
    fc.constantFrom(...pools.ids),
    fc.constantFrom('', 'Back pain', 'a@b.example', '2026-03-10T09:00', '09:00', 'Europe/London', 'GB', '+44 20 7946 0000'),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.uuid(),
  );
}

/** A value that passes the field's own checks often enough to reach the SQL behind it. */
function plausible(name: string, typeName: string, pools: Pools): fc.Arbitrary<string> | null {
  const kind = KIND_OF.find(([re]) => re.test(name))?.[1];
  if (kind && pools.byKind[kind]?.length) return fc.constantFrom(...pools.byKind[kind]);
  if (typeName === 'ID' || /Ids?$|^id$/.test(name)) return fc.constantFrom(...pools.ids);
  if (/email/i.test(name)) return fc.constantFrom('fuzz@example.com', 'a@b.example');
  if (/timeZone/.test(name)) return fc.constant('Europe/London');
  if (/country/.test(name)) return fc.constant('GB');
  if (/phone/i.test(name)) return fc.constant('+44 20 7946 0000');
  if (/dateOfBirth|^from$|Date$|^startFrom$/.test(name)) return fc.constantFrom('1990-05-01', '2026-12-01');
  if (/At$/.test(name)) return fc.constantFrom('2026-12-01T10:00', '2026-12-01T10:00:00Z');
  if (/^(start|end)$/.test(name)) return fc.constantFrom('09:00', '17:00');
  return null;
}

/** Mostly plausible, sometimes one of the nasty values: most fields pass, one fails late. */
function mixedText(name: string, typeName: string, pools: Pools): fc.Arbitrary<string> {
  const ok = plausible(name, typeName, pools) ?? fc.constantFrom('Back pain', 'Notes', 'Room 9');
  return fc.oneof({ arbitrary: ok, weight: 3 }, { arbitrary: textArb(pools), weight: 1 });
}

function jsonArb(pools: Pools): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom('complaints', 'painNow', 'notes', 'area', 'k\u0000', 'k\ud800'), fc.string({ maxLength: 6 }));
  const leaf = fc.oneof(textArb(pools), fc.integer({ min: -5, max: 20 }), fc.boolean(), fc.constant(null));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
  }));
  return fc.dictionary(key, tree, { maxKeys: 5 });
}

type TextFor = (name: string, typeName: string) => fc.Arbitrary<string>;

/** Arguments for one input type; `text` gives each string leaf's values (by field name and type). */
function inputArb(type: GraphQLInputType, pools: Pools, text: TextFor, name: string, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return inputArb(type.ofType, pools, text, name, depth);
  if (isListType(type)) return fc.array(inputArb(type.ofType as GraphQLInputType, pools, text, name, depth + 1), { maxLength: depth > 2 ? 1 : 3 });
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const entries: Record<string, fc.Arbitrary<unknown>> = {};
    const required: string[] = [];
    for (const f of fields) {
      entries[f.name] = inputArb(f.type, pools, text, f.name, depth + 1);
      if (isNonNullType(f.type)) required.push(f.name);
    }
    return fc.record(entries, { requiredKeys: required });
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'String':
      case 'ID':
        return text(name, type.name);
      case 'Int':
        return fc.constantFrom(0, 1, 5, 10, 50, -1, 2 ** 31 - 1);
      case 'Float':
        return fc.constantFrom(0, 1.5, -1, 1e9);
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return fc.constantFrom('2026-03-10T09:00:00Z', '2020-01-01T00:00:00Z', '2030-12-31T23:59:00Z');
      case 'JSONObject':
        return jsonArb(pools);
      default:
        return text(name, type.name);
    }
  }
  return fc.constant(null);
}

/** Scalar fields (and one level of objects) that need no arguments: enough to run the field resolvers. */
function selection(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named)) return '{ __typename }';
  if (!isObjectType(named) && !isInterfaceType(named)) return '{ __typename }';
  const parts: string[] = ['__typename'];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type))) continue;
    const inner = getNamedType(f.type);
    if (isLeafType(inner)) parts.push(f.name);
    else if (depth > 0) parts.push(`${f.name} ${selection(f.type, depth - 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a: GraphQLArgument) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind} Fuzz${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection(field.type, 1)} }`;
}

function operations(schema: GraphQLSchema): { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] {
  const out: { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] = [];
  for (const [kind, type] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) out.push({ kind, field });
  }
  return out;
}

describe('input fuzz over every query and mutation', () => {
  let t: TestApi;
  let token: string;
  let pools: Pools;
  const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

  beforeAll(async () => {
    t = await startTestApi({ nodeEnv: 'production' });
    await seedDemo(t.tdb.dataSource);
    const res = await t.gql(SIGN_IN, { input: DEMO_ADMIN });
    token = res.data?.signIn.accessToken as string;
    const byKind: Record<string, string[]> = {};
    for (const table of ['clinic', 'room', 'practitioner', 'client', 'intake', 'treatment_plan', 'appointment', 'session_note', 'reassessment', 'practitioner_task']) {
      const rows = (await t.tdb.dataSource.query(`SELECT id FROM ${table} ORDER BY id LIMIT 3`)) as { id: string }[];
      byKind[table] = rows.map((r) => r.id);
    }
    pools = { ids: Object.values(byKind).flat(), byKind };
  });
  afterAll(() => t.stop());

  // One test per operation, so each waits on its own progress (a long schema on a busy machine
  // is many short tests, not one long one); the totals are checked after the last.
  const ops = operations(schema);
  const codes = new Map<string, number>();
  let requests = 0;
  let answered = 0;

  it('covers the whole schema', () => {
    expect(ops.length).toBeGreaterThan(50);
  });

  it.each(ops.map((op, i) => [`${op.kind} ${op.field.name}`, op, i] as const))(
    '%s never answers INTERNAL_SERVER_ERROR, and every error has a code',
    async (_name, { kind, field }, i) => {
      const problems: string[] = [];
      const doc = documentFor(kind, field);
      const cases: Record<string, unknown>[] = [];
      // Every text leaf the same nasty value, then seeded random mixtures.
      for (const nasty of [...NASTY_TEXT, GARBAGE_CURSORS[0], GARBAGE_CURSORS[1]]) {
        const all = fc.record(Object.fromEntries(field.args.map((a) => [a.name, inputArb(a.type, pools, () => fc.constant(nasty), a.name)])));
        cases.push(...fc.sample(all, { seed: SEED + i, numRuns: 1 }));
      }
      const mixed = fc.record(
        Object.fromEntries(field.args.map((a) => [a.name, inputArb(a.type, pools, (name, typeName) => mixedText(name, typeName, pools), a.name)])),
      );
      cases.push(...fc.sample(mixed, { seed: SEED + i, numRuns: RANDOM_RUNS }));
      for (const variables of cases) {
        requests++;
        const res = await fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: doc, variables }),
        });
        const body = (await res.json().catch(() => ({ errors: [{ message: `not JSON (HTTP ${res.status})` }] }))) as GqlResult;
        const shown = JSON.stringify(variables).slice(0, 300);
        if (body.data && Object.values(body.data).some((v) => v !== null)) answered++;
        if (res.status >= 500) problems.push(`${field.name}: HTTP ${res.status} for ${shown}`);
        for (const err of body.errors ?? []) {
          const code = err.extensions?.code;
          codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);
          if (!code) problems.push(`${field.name}: error without a code (${err.message}) for ${shown}`);
          else if (code === 'INTERNAL_SERVER_ERROR') problems.push(`${field.name}: INTERNAL_SERVER_ERROR for ${shown}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('reached the resolvers, not only validation', () => {
    // What the run covered, for the report.
    console.log(`input fuzz: ${ops.length} operations, ${requests} requests, ${answered} answered with data, error codes ${JSON.stringify(Object.fromEntries(codes))}`);
    // A run where nothing answers proves little (265 of 1,914 requests answered with data when
    // this was written).
    expect(answered).toBeGreaterThan(ops.length);
  });

  it('names the field when text would be refused by PostgreSQL, also in inline literals and JSON', async () => {
    const clinicId = (await t.tdb.dataSource.query(`SELECT id FROM clinic LIMIT 1`))[0].id as string;
    const viaVars = await t.gql(
      `mutation C($input: CreateClientInput!) { createClient(input: $input) { id } }`,
      { input: { firstName: 'Ada\u0000', lastName: 'Lovelace', clinicIds: [clinicId] } },
      token,
    );
    expect(viaVars.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.firstName' });
    expect(viaVars.errors?.[0].message).toMatch(/input\.firstName must not contain a NUL character/);

    const inline = await t.gql(`mutation { createClient(input: { firstName: "Ada", lastName: "Love\\u0000lace", clinicIds: ["${clinicId}"] }) { id } }`, {}, token);
    expect(inline.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lastName' });
    // (graphql-js itself refuses an unpaired surrogate escape in a literal, with a code.)

    const clientId = (await t.tdb.dataSource.query(`SELECT id FROM client LIMIT 1`))[0].id as string;
    const json = await t.gql(
      `mutation I($input: RecordIntakeInput!) { recordIntake(input: $input) { id } }`,
      { input: { clientId, clinicId, intake: { complaints: [{ notes: 'sore \ud800' }] } } },
      token,
    );
    expect(json.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.intake.complaints[0].notes' });
  });

  it('refuses forged cursors as BAD_USER_INPUT naming after', async () => {
    for (const [query, bad] of [
      [`query($a: String) { members(after: $a) { totalCount } }`, cursor(['not-a-time', '00000000-0000-4000-8000-000000000000'])],
      [`query($a: String) { practitionerTasks(after: $a) { totalCount } }`, cursor(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])],
      [`query($a: String) { clinics(after: $a) { totalCount } }`, cursor(['Clinic', 'not-a-uuid'])],
      [`query($a: String) { clients(after: $a) { totalCount } }`, cursor(['a', '12345'])],
      [`query($a: String) { practitioners(after: $a) { totalCount } }`, cursor(['a\u0000', '00000000-0000-4000-8000-000000000000'])],
    ] as const) {
      const res = await t.gql(query, { a: bad }, token);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });
});
