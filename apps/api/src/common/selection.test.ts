import { parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { operationSelectsAny, selects } from './selection';

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
