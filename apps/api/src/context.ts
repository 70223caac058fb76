import type { Db, Role, TenantContext } from '@fascia/db';
import type { ApiConfig } from './config';
import type { AppError } from './common/errors';
import type { Loaders } from './loaders';
import type { Services } from './services';

/** The signed-in user acting for one organization, resolved once per request. */
export interface Tenant extends TenantContext {
  userId: string;
  roles: Role[];
  /** Clinics the user's roles reach; null means every clinic of the organization. */
  clinicIds: string[] | null;
}

/**
 * Acting from a signed link in a reminder (confirm or cancel): the organization is known
 * from the link, no one is signed in. Only the appointment service's link paths take it.
 */
export interface LinkActor extends TenantContext {
  userId: null;
  roles: [];
  clinicIds: null;
}

export interface RequestInfo {
  requestId: string;
  sourceAddress: string | null;
  userAgent: string | null;
}

export interface GraphQLContext {
  config: ApiConfig;
  db: Db;
  services: Services;
  request: RequestInfo;
  tenant: Tenant | null;
  /** Why there is no tenant, when a token was sent but did not hold. */
  authError: AppError | null;
  /** Per-request DataLoaders; present only with a tenant. */
  loaders: Loaders | null;
}
