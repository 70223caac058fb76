import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the current field's selection reaches `path` (field names, nested; through fragments
 * and inline fragments, whatever their type condition or directives): a hint for reading in one
 * statement what a nested field would otherwise load. Never a rule of access or of correctness —
 * a field it misses is still answered by its own resolver.
 */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, ...path: string[]): boolean {
  const within = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>): boolean => {
    if (!set) return false;
    for (const s of set.selections) {
      if (s.kind === 'Field') {
        if (s.name.value === path[depth] && (depth === path.length - 1 || within(s.selectionSet, depth + 1, seen))) return true;
      } else if (s.kind === 'InlineFragment') {
        if (within(s.selectionSet, depth, seen)) return true;
      } else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = info.fragments[s.name.value];
        if (fragment && within(fragment.selectionSet, depth, seen)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((f: FieldNode) => within(f.selectionSet, 0, new Set()));
}

/**
 * Whether any field of the whole operation (every root field, every fragment it uses) is named
 * one of `names`: the conservative test for leaving a column out of a read whose rows the
 * request's DataLoaders share with other fields of the same operation.
 */
export function operationSelectsAny(info: Pick<GraphQLResolveInfo, 'operation' | 'fragments'>, names: readonly string[]): boolean {
  const seen = new Set<string>();
  const within = (set: SelectionSetNode | undefined): boolean => {
    if (!set) return false;
    for (const s of set.selections) {
      if (s.kind === 'Field') {
        if (names.includes(s.name.value) || within(s.selectionSet)) return true;
      } else if (s.kind === 'InlineFragment') {
        if (within(s.selectionSet)) return true;
      } else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        if (within(info.fragments[s.name.value]?.selectionSet)) return true;
      }
    }
    return false;
  };
  return within(info.operation.selectionSet);
}
