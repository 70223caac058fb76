import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestScope } from './request-scope';

/** The request scope the current async call chain runs in (see RequestScope); none outside the API's requests. */
export const requestScopes = new AsyncLocalStorage<RequestScope>();

/** Set while a step of a request scope runs, so a `Db.tenant` called inside it joins the step. */
export const requestSteps = new AsyncLocalStorage<RequestScope>();
