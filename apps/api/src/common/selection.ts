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

/**
 * The names of the fields selected at the end of any of `paths` below the current field (each
 * path a list of field names; `[]` is the current field's own selection), merged through
 * fragments and inline fragments whatever their type condition or directives (a field under
 * `@skip` counts as selected). For reading only the columns a query asks for; a field this
 * names that the caller does not know means "read everything" (see `pickColumns`).
 */
export function fieldsAt(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, paths: readonly (readonly string[])[]): Set<string> {
  const out = new Set<string>();
  // Validation forbids fragment cycles, so no guard is needed.
  const walk = (set: SelectionSetNode | undefined, path: readonly string[], depth: number): void => {
    if (!set) return;
    for (const s of set.selections) {
      if (s.kind === 'Field') {
        if (depth === path.length) out.add(s.name.value);
        else if (s.name.value === path[depth]) walk(s.selectionSet, path, depth + 1);
      } else if (s.kind === 'InlineFragment') walk(s.selectionSet, path, depth);
      else walk(info.fragments[s.name.value]?.selectionSet, path, depth);
    }
  };
  for (const path of paths) for (const f of info.fieldNodes) walk(f.selectionSet, path, 0);
  return out;
}

/**
 * Every field name of the whole operation (every root field, every fragment it uses): for the
 * columns of rows that the request's DataLoaders share with other fields (a column stays unless
 * no field anywhere could show it).
 */
export function operationFieldNames(info: Pick<GraphQLResolveInfo, 'operation' | 'fragments'>): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): void => {
    if (!set) return;
    for (const s of set.selections) {
      if (s.kind === 'Field') {
        names.add(s.name.value);
        walk(s.selectionSet);
      } else if (s.kind === 'InlineFragment') walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(info.fragments[s.name.value]?.selectionSet);
      }
    }
  };
  walk(info.operation.selectionSet);
  return names;
}
