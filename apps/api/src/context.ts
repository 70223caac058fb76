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
