import 'reflect-metadata';
import { buildSchema, isObjectType, type GraphQLSchema } from 'graphql';
import { getSchema } from '../schema';
import { APPOINTMENT_FIELDS } from '../modules/appointment/appointment.resolver';
import { PRACTITIONER_TASK_FIELDS } from '../modules/practitioner-task/practitioner-task.resolver';
import { installPlainResolvers, loadersOf } from './plain-resolvers';
import type { GraphQLContext } from '../context';

const fieldOf = (schema: GraphQLSchema, type: string, field: string) => {
  const t = schema.getType(type);
  if (!isObjectType(t)) throw new Error(type);
  return t.getFields()[field];
};

describe('plain field resolvers (installPlainResolvers)', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await getSchema();
  });

  it('answers the hot fields with the plain functions, not type-graphql’s wrapper', () => {
    for (const [field, fn] of Object.entries(APPOINTMENT_FIELDS)) expect(fieldOf(schema, 'Appointment', field).resolve).toBe(fn);
    for (const [field, fn] of Object.entries(PRACTITIONER_TASK_FIELDS)) expect(fieldOf(schema, 'PractitionerTask', field).resolve).toBe(fn);
  });

  it('refuses to replace a field resolver with @Authorized (its role check would be dropped)', () => {
    const before = fieldOf(schema, 'Client', 'plans').resolve;
    expect(() => installPlainResolvers(schema, { Client: { plans: () => [] } })).toThrow(/@Authorized/);
    expect(fieldOf(schema, 'Client', 'plans').resolve).toBe(before);
  });

  it('refuses a root field, a plain field, an unknown field and a field with arguments', () => {
    expect(() => installPlainResolvers(schema, { Query: { calendar: () => null } })).toThrow();
    expect(() => installPlainResolvers(schema, { Appointment: { startsAt: () => null } })).toThrow(/not one type-graphql field resolver/);
    expect(() => installPlainResolvers(schema, { Appointment: { nope: () => null } })).toThrow(/no field/);
    expect(() => installPlainResolvers(buildSchema('type Query { a(x: Int): Int }'), { Query: { a: () => 1 } })).toThrow(/takes arguments/);
  });

  it('refuses without a tenant, as @Loaders() does', () => {
    const ctx = { tenant: null, authError: null, loaders: null } as unknown as GraphQLContext;
    expect(() => loadersOf(ctx)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});
