import { ApolloServer } from '@apollo/server';
import { buildSchema, GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { asGraphQLJsError, jitExecution } from './jit-execution';

/** A small schema whose resolvers fail in each way a resolver can. */
function testSchema(): GraphQLSchema {
  const schema = buildSchema(`
    type Item { id: ID! name: String! secret: String }
    type Query {
      hello(name: String!): String!
      boom: String
      denied: String
      items: [Item!]!
      nonNull: String!
      count(n: Int!): Int
    }
  `);
  const query = schema.getQueryType()!.getFields();
  query.hello.resolve = (_p, args: { name: string }) => `hello ${args.name}`;
  query.boom.resolve = () => {
    throw new Error('the database went away');
  };
  query.denied.resolve = () => {
    throw new GraphQLError('Your role does not allow this.', { extensions: { code: 'FORBIDDEN' } });
  };
  query.items.resolve = () => [{ id: '1', name: 'one' }, { id: '2', name: 'two' }, { id: '3', name: null }];
  query.nonNull.resolve = () => null;
  query.count.resolve = (_p, args: { n: number }) => args.n + 1;
  const item = (schema.getType('Item') as import('graphql').GraphQLObjectType).getFields();
  item.secret.resolve = (p: { id: string }) => {
    if (p.id === '2') throw new GraphQLError('Not yours.', { extensions: { code: 'FORBIDDEN' } });
    return `s${p.id}`;
  };
  return schema;
}

describe('compiled execution (jitExecution)', () => {
  const schema = testSchema();
  const jit = jitExecution(schema, { maxEntries: 3 });
  // The same options on both; production's formatError is exercised by the API's tests.
  const compiled = new ApolloServer({ gateway: jit.gateway, includeStacktraceInErrorResponses: false });
  const plain = new ApolloServer({ schema, includeStacktraceInErrorResponses: false });
  beforeAll(async () => {
    await compiled.start();
    await plain.start();
  });
  afterAll(async () => {
    await compiled.stop();
    await plain.stop();
  });

  const both = async (query: string, variables?: Record<string, unknown>) => {
    const [a, b] = await Promise.all([compiled.executeOperation({ query, variables }), plain.executeOperation({ query, variables })]);
    expect(a.http.status).toEqual(b.http.status);
    expect(a.body).toEqual(b.body);
    return a.body.kind === 'single' ? a.body.singleResult : null;
  };

  it('answers what graphql-js answers: data, resolver errors with and without a code, per-item errors, non-null, variables', async () => {
    expect((await both(`query H($n: String!) { hello(name: $n) }`, { n: 'you' }))?.data).toEqual({ hello: 'hello you' });
    const boom = await both(`{ boom hello(name: "x") }`);
    // No code of its own: Apollo's INTERNAL_SERVER_ERROR (graphql-jit alone would leave `extensions` undefined).
    expect(boom?.errors?.[0]).toMatchObject({ message: 'the database went away', path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(boom?.data).toEqual({ boom: null, hello: 'hello x' });
    expect((await both(`{ denied }`))?.errors?.[0]).toMatchObject({ path: ['denied'], extensions: { code: 'FORBIDDEN' }, locations: [{ line: 1, column: 3 }] });
    const items = await both(`{ items { id secret } }`);
    expect(items?.data).toEqual({ items: [{ id: '1', secret: 's1' }, { id: '2', secret: null }, { id: '3', secret: 's3' }] });
    expect(items?.errors?.map((e) => e.path)).toEqual([['items', 1, 'secret']]);
    // A null in a non-null field of a non-null list: the whole list, and so `data`, is null.
    const names = await both(`{ items { name } }`);
    expect(names?.data).toBeNull();
    expect(names?.errors?.[0].message).toMatch(/Cannot return null for non-nullable field Item.name/);
    expect((await both(`{ nonNull }`))?.data).toBeNull();
    // Variables graphql-jit refuses are refused in graphql-js's words (Apollo's BAD_USER_INPUT, 400).
    for (const variables of [{}, { n: 'x' }, { n: null }, { n: 2 ** 40 }]) {
      expect((await both(`query C($n: Int!) { count(n: $n) }`, variables))?.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect((await both(`query C($n: Int!) { count(n: $n) }`, { n: 41 }))?.data).toEqual({ count: 42 });
  });

  it('keeps at most maxEntries compiled queries, the least recently used dropped first', async () => {
    const before = { ...jit.stats };
    const q = (i: number) => `{ hello(name: "${i}") }`;
    for (const i of [1, 2, 3, 1, 4]) await compiled.executeOperation({ query: q(i) });
    // 1, 2, 3 compiled; 1 a hit (now the most recent); 4 compiled and 2 dropped.
    expect(jit.stats.compiled - before.compiled).toBe(4);
    expect(jit.stats.hits - before.hits).toBe(1);
    await compiled.executeOperation({ query: q(1) });
    expect(jit.stats.hits - before.hits).toBe(2);
    await compiled.executeOperation({ query: q(2) });
    expect(jit.stats.compiled - before.compiled).toBe(5);
  });

  it('runs with graphql-js what graphql-jit will not compile, and remembers it', async () => {
    const failures: unknown[] = [];
    const own = jitExecution(schema, { onCompileError: (err) => failures.push(err) });
    const { executor } = await own.gateway.load({ apollo: {} });
    // Two operations and no name: graphql-jit refuses to compile; graphql-js says why.
    const document = parse(`query A { hello(name: "a") } query B { hello(name: "b") }`);
    const rc = { document, queryHash: 'h', request: {}, context: {} } as unknown as Parameters<NonNullable<typeof executor>>[0];
    const first = await executor!(rc);
    await executor!(rc);
    expect(first.errors?.[0].message).toMatch(/Must provide operation name/);
    expect(own.stats).toMatchObject({ compiled: 0, fallbacks: 1, hits: 1 });
    expect(failures).toHaveLength(1);
  });

  it('rebuilds an error as graphql-js would and leaves graphql-js errors alone', () => {
    const jsError = new GraphQLError('x', { extensions: { code: 'FORBIDDEN' } });
    expect(asGraphQLJsError(jsError)).toBe(jsError);
    const original = new Error('plain');
    const fake = Object.assign(Object.create(GraphQLError.prototype), { message: 'plain', path: ['a', 0], locations: [{ line: 1, column: 2 }], originalError: original, extensions: undefined });
    const rebuilt = asGraphQLJsError(fake);
    expect(Object.getPrototypeOf(rebuilt)).toBe(GraphQLError.prototype);
    expect(rebuilt.toJSON()).toEqual({ message: 'plain', path: ['a', 0], locations: [{ line: 1, column: 2 }] });
    expect(rebuilt.originalError).toBe(original);
    expect(rebuilt.extensions).toEqual({});
  });
});
