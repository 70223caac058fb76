import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestScope } from './request-scope';

/** The request scope the current async call chain runs in (see RequestScope); none outside the API's requests. */
export const requestScopes = new AsyncLocalStorage<RequestScope>();

/** Set while a step of a request scope runs, so a `Db.tenant` called inside it joins the step. */
export const requestSteps = new AsyncLocalStorage<RequestScope>();

/**
 * Set while an exclusive section of a request scope runs (RequestScope.exclusive): the
 * statements of the section's own async call chain pass; every other statement of the request
 * waits for the section to end.
 */
export const exclusiveSections = new AsyncLocalStorage<symbol>();
