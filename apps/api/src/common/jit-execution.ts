import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * Compiled execution (issue 10, docs/architecture.md "Hot reads"): each operation is compiled
 * once by graphql-jit into a function that walks the selection without graphql-js's per-field
 * machinery (`executeField`, `getArgumentValues`, `completeValue`), and the compiled function is
 * kept for the next request with the same query.
 *
 * Installed through Apollo Server's gateway interface, the one hook Apollo offers for another
 * executor: Apollo still parses, validates (graphql-armor's rules too), runs every plugin hook
 * and formats the errors; only `execute` is replaced. graphql-js still executes:
 * - an operation graphql-jit cannot compile (subscriptions, or whatever it refuses: it says so
 *   by returning errors instead of a compiled query; it is remembered, not retried);
 * - a request whose variables graphql-jit refuses (no resolver has run then): graphql-js runs it
 *   again so the client gets graphql-js's own message and Apollo's BAD_USER_INPUT, exactly as
 *   without compilation.
 * graphql-jit's errors are rebuilt as graphql-js's `GraphQLError`s (message, locations, path,
 * original error and its extensions), which is what Apollo's error formatting, `formatError`
 * and `unwrapResolverError` expect: graphql-jit leaves `extensions` undefined when the original
 * error has none, and Apollo then answers "Internal server error" instead of our own message.
 */

/** Compiled queries kept (least recently used dropped first): the API's clients send a few dozen. */
export const JIT_CACHE_ENTRIES = 500;

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** What the cache holds for one (query, operation name): a compiled query, or "use graphql-js". */
type Entry = CompiledQuery | 'graphql-js';

export interface JitStats {
  compiled: number;
  fallbacks: number;
  hits: number;
  /** Requests graphql-js ran again because graphql-jit refused their variables. */
  variableReruns: number;
}

export interface JitExecution {
  gateway: Gateway;
  stats: JitStats;
}

/** An LRU of compiled queries keyed by the query's hash and the operation's name. */
class CompiledQueries {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly max: number) {}
  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      // Most recently used last (a Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }
  set(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
  get size(): number {
    return this.entries.size;
  }
}

/**
 * graphql-jit's error as graphql-js would have built it (`locatedError`): same message, path and
 * locations, the resolver's error as `originalError`, its extensions (or `{}`).
 */
export function asGraphQLJsError(error: GraphQLError): GraphQLError {
  if (Object.getPrototypeOf(error) === GraphQLError.prototype && error.extensions) return error;
  const original = error.originalError ?? undefined;
  const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: original, extensions: error.extensions ?? undefined });
  // graphql-jit keeps locations, not the AST nodes graphql-js derives them from.
  if (error.locations) (rebuilt as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return rebuilt;
}

/**
 * The gateway that makes Apollo execute through graphql-jit. `maxEntries` bounds the cache of
 * compiled queries (a query seen again after being dropped is compiled again).
 */
export function jitExecution(schema: GraphQLSchema, options: { maxEntries?: number; onCompileError?: (err: unknown, operationName: string | null) => void } = {}): JitExecution {
  const cache = new CompiledQueries(options.maxEntries ?? JIT_CACHE_ENTRIES);
  const stats: JitStats = { compiled: 0, fallbacks: 0, hits: 0, variableReruns: 0 };

  const compile = (document: DocumentNode, operationName: string | null): Entry => {
    try {
      const compiled = compileQuery(schema, document, operationName ?? undefined, {
        // Stack traces are never sent (includeStacktraceInErrorResponses: false); the resolver's own error keeps its stack.
        disablingCapturingStackErrors: true,
      });
      if (isCompiledQuery(compiled)) {
        stats.compiled++;
        return compiled;
      }
      options.onCompileError?.(compiled.errors, operationName);
    } catch (err) {
      options.onCompileError?.(err, operationName);
    }
    stats.fallbacks++;
    return 'graphql-js';
  };

  const graphqlJs = (rc: Parameters<Executor>[0]): Promise<ExecutionResult> | ExecutionResult =>
    execute({ schema, document: rc.document, contextValue: rc.context, variableValues: rc.request.variables, operationName: rc.request.operationName });

  const executor: Executor = async (rc) => {
    const key = `${rc.queryHash}:${rc.request.operationName ?? ''}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      entry = compile(rc.document, rc.request.operationName ?? null);
      cache.set(key, entry);
    } else stats.hits++;
    if (entry === 'graphql-js') return graphqlJs(rc);
    const result = await entry.query(undefined, rc.context, rc.request.variables ?? {});
    if (result.errors?.length) {
      // No `data`: the variables were refused before anything ran; graphql-js says it in its words.
      if (result.data === undefined) {
        stats.variableReruns++;
        return graphqlJs(rc);
      }
      return { ...result, errors: result.errors.map(asGraphQLJsError) };
    }
    return result;
  };

  const gateway: Gateway = {
    // The schema never changes: Apollo is told it once, when it loads the gateway.
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return { executor };
    },
    async stop() {},
  };
  return { gateway, stats };
}
