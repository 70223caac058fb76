import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext, Tenant } from '../../context';
import { CurrentTenant } from '../../auth/tenant.decorator';
import type { Page } from '../../common/pagination';
import { AuditEventConnection, AuditEventFilter, AuditEventType, AuditExportType } from './audit.types';

@Resolver(() => AuditEventType)
export class AuditResolver {
  @Authorized('ORG_ADMIN')
  @Query(() => AuditEventConnection, { description: "The organization's audit log, newest first: who read or changed which record, when, from where, allowed or denied" })
  auditEvents(
    @CurrentTenant() tenant: Tenant,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<AuditEventType>> {
    return ctx.services.audit.search(tenant, { filter: { ...filter }, first, after });
  }

  @Authorized('ORG_ADMIN')
  @Query(() => AuditExportType, { description: 'The same search as CSV (newest first), at most 5,000 events; capped says when there were more' })
  auditEventsCsv(@CurrentTenant() tenant: Tenant, @Ctx() ctx: GraphQLContext, @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null): Promise<AuditExportType> {
    return ctx.services.audit.exportCsv(tenant, { filter: { ...filter } });
  }
}
