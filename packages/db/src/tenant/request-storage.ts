import type { RequestScope } from './request-scope';

/**
 * Which API request's scope a tenant belongs to (see RequestScope): the request binds the tenant
 * object it builds for the signed-in member (`RequestScope.bind`), and `Db.tenant` called with
 * that object joins the request's transaction.
 *
 * Not an AsyncLocalStorage: on Node 20 the first `run()` installs promise hooks for every promise
 * of the process, for good. An await then cost 10× as much in the API process (50 → 575 ns,
 * measured in the same process before and after one request), and a GraphQL request makes
 * hundreds of promises (issue 10). The tenant object already travels everywhere the request's
 * database calls go — resolvers, services, DataLoaders — so the binding travels with it.
 */
const SCOPE = Symbol('fascia.requestScope');

/**
 * The binding is a property of the tenant object itself (non-enumerable, symbol-keyed: spreads,
 * JSON, logs and equality checks do not see it), not an entry of a WeakMap: a process-wide
 * WeakMap holding a young key per request is work for every scavenge.
 */
export function bindToScope<T extends object>(tenant: T, scope: RequestScope): T {
  Object.defineProperty(tenant, SCOPE, { value: scope, configurable: true, writable: true });
  return tenant;
}

/** The request scope `tenant` was bound to, if any. */
export function scopeOf(tenant: object): RequestScope | undefined {
  return (tenant as { [SCOPE]?: RequestScope })[SCOPE];
}
