import { parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { EntityMetadata } from 'typeorm';
import { pickColumns } from './plain-rows';
import { fieldsAt, operationFieldNames, operationSelectsAny, selects } from './selection';

/** The resolve info of the operation's first root field, as graphql-js hands it to that field's resolver. */
function infoOf(doc: string) {
  const ast = parse(doc);
  const operation = ast.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const fragments = Object.fromEntries(
    ast.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  return { operation, fragments, fieldNodes: [operation.selectionSet.selections[0] as FieldNode] };
}

describe('what a query selects', () => {
  it.each([
    ['a nested field', `{ clientChart(clientId: "x") { client { plans { versions { version } } } } }`, true],
    ['through a fragment', `{ clientChart(clientId: "x") { client { ...P } } } fragment P on Client { plans { versions { version } } }`, true],
    ['through an inline fragment', `{ clientChart(clientId: "x") { client { ... on Client { plans { versions { version } } } } } }`, true],
    ['under an alias', `{ c: clientChart(clientId: "x") { client { p: plans { v: versions { version } } } } }`, true],
    ['a field of that name elsewhere', `{ clientChart(clientId: "x") { client { plans { id } } appointments { versions: id } } }`, false],
    ['not at all', `{ clientChart(clientId: "x") { client { plans { id } } } }`, false],
  ])('%s', (_, doc, expected) => {
    expect(selects(infoOf(doc), 'client', 'plans', 'versions')).toBe(expected);
  });

  it('looks at the whole operation for a name: other root fields and their fragments too', () => {
    expect(operationSelectsAny(infoOf(`{ clientChart(clientId: "x") { client { id } } plan(id: "y") { ...R } } fragment R on TreatmentPlan { reassessments { reason } }`), ['reason'])).toBe(true);
    expect(operationSelectsAny(infoOf(`{ clientChart(clientId: "x") { client { plans { reassessments { id decision } } } } }`), ['reason', 'proposedPlan'])).toBe(false);
  });
});

describe('the fields at a path, for the columns a query reads', () => {
  const doc = `{ calendar(clinicId: "x", from: "2026-01-01") {
      appointments { id startsAt ...A practitioner { displayName } }
      byRoom { appointments { ... on Appointment { localEnd } } room { name } }
    } }
    fragment A on Appointment { __typename clientName s: status }`;
  const lists = [['appointments'], ['byPractitioner', 'appointments'], ['byRoom', 'appointments']];

  it('merges every path, fragment and inline fragment, by field name (not alias)', () => {
    expect([...fieldsAt(infoOf(doc), lists)].sort()).toEqual(['__typename', 'clientName', 'id', 'localEnd', 'practitioner', 'startsAt', 'status']);
    expect([...fieldsAt(infoOf(doc), lists.map((l) => [...l, 'practitioner']))]).toEqual(['displayName']);
    expect(fieldsAt(infoOf(doc), [['byRoom']]).has('room')).toBe(true);
    expect(fieldsAt(infoOf(doc), [['byPractitioner']]).size).toBe(0);
  });

  const meta = { columns: ['id', 'organizationId', 'clinicId', 'startsAt', 'endsAt', 'status', 'notes'].map((propertyName) => ({ propertyName })) } as unknown as EntityMetadata;
  const needs = { always: ['id', 'clinicId'], resolved: { localEnd: ['clinicId', 'endsAt'], practitioner: [] } };

  it('reads the selected columns, what resolved fields need and what is always read, in column order', () => {
    expect(pickColumns(meta, new Set(['__typename', 'status', 'localEnd', 'practitioner']), needs)).toEqual(['id', 'clinicId', 'endsAt', 'status']);
  });

  it('reads every column (null) for a field it does not know, or when every column is selected', () => {
    expect(pickColumns(meta, new Set(['status', 'somethingNew']), needs)).toBeNull();
    expect(pickColumns(meta, new Set(['organizationId', 'startsAt', 'endsAt', 'status', 'notes']), needs)).toBeNull();
  });
});

it('names every field of the operation, through fragments, once', () => {
  const names = operationFieldNames(infoOf(`{ clientChart(clientId: "x") { appointments { note { id ...N } } } a: appointment(id: "y") { note { soap } } } fragment N on SessionNote { signed }`));
  expect([...names].sort()).toEqual(['appointment', 'appointments', 'clientChart', 'id', 'note', 'signed', 'soap']);
});
