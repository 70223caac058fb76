import type { DataSource, EntityManager, EntityTarget, FindManyOptions, FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AuditEvent } from '../entities/audit-event.entity';

/** Who is acting, for which organization. Built once per request (or per job) and never from client input alone. */
export interface TenantContext {
  organizationId: string;
  userId: string | null;
  requestId?: string | null;
  sourceAddress?: string | null;
}

type Scoped = ObjectLiteral & { organizationId: string };

/**
 * A repository that can only see and write one organization's rows: every read is
 * filtered by organizationId, every insert stamped with it. This is the first lock;
 * row-level security (set by {@link Db.tenant}) is the second.
 */
export class TenantRepository<E extends Scoped> {
  constructor(
    private readonly em: EntityManager,
    private readonly target: EntityTarget<E>,
    private readonly organizationId: string,
  ) {}

  private scope(where?: FindOptionsWhere<E> | FindOptionsWhere<E>[]): FindOptionsWhere<E>[] {
    const list = where === undefined ? [{}] : Array.isArray(where) ? where : [where];
    return list.map((w) => ({ ...w, organizationId: this.organizationId }) as FindOptionsWhere<E>);
  }

  find(options: FindManyOptions<E> = {}): Promise<E[]> {
    return this.em.find(this.target, { ...options, where: this.scope(options.where as FindOptionsWhere<E>) });
  }
  findBy(where: FindOptionsWhere<E> | FindOptionsWhere<E>[]): Promise<E[]> {
    return this.em.findBy(this.target, this.scope(where));
  }
  findOneBy(where: FindOptionsWhere<E> | FindOptionsWhere<E>[]): Promise<E | null> {
    return this.em.findOneBy(this.target, this.scope(where));
  }
  countBy(where: FindOptionsWhere<E> | FindOptionsWhere<E>[] = {}): Promise<number> {
    return this.em.countBy(this.target, this.scope(where));
  }
  existsBy(where: FindOptionsWhere<E>): Promise<boolean> {
    return this.em.existsBy(this.target, this.scope(where));
  }
  /** Inserts and returns the stored row (with defaults such as id and createdAt). */
  async insert(values: Omit<Partial<E>, 'organizationId'>): Promise<E> {
    const row = this.em.create(this.target, { ...values, organizationId: this.organizationId } as unknown as E);
    return this.em.save(this.target, row);
  }
  /** Updates the rows matching `where` in this organization; returns how many changed. */
  async update(where: FindOptionsWhere<E>, patch: Partial<E>): Promise<number> {
    const { organizationId: _ignored, ...rest } = patch as Scoped;
    const result = await this.em.update(this.target, this.scope(where)[0], rest as never);
    return result.affected ?? 0;
  }
  async delete(where: FindOptionsWhere<E>): Promise<number> {
    const result = await this.em.delete(this.target, this.scope(where)[0]);
    return result.affected ?? 0;
  }
  /** A query builder already filtered to this organization. */
  qb(alias: string): SelectQueryBuilder<E> {
    return this.em
      .createQueryBuilder(this.target, alias)
      .where(`${alias}.organizationId = :__org`, { __org: this.organizationId });
  }
}

export interface AuditInput {
  action: string;
  recordType?: string | null;
  recordId?: string | null;
  outcome?: 'SUCCESS' | 'DENIED' | 'FAILURE';
  detail?: Record<string, unknown> | null;
}

/** A transaction running as `fascia_app` for one organization. */
export class TenantTx {
  constructor(
    readonly em: EntityManager,
    readonly tenant: TenantContext,
  ) {}

  get organizationId(): string {
    return this.tenant.organizationId;
  }

  repo<E extends Scoped>(target: EntityTarget<E>): TenantRepository<E> {
    return new TenantRepository(this.em, target, this.tenant.organizationId);
  }

  /** Appends an audit event in this transaction: it commits with the change it records. */
  async audit(input: AuditInput): Promise<void> {
    await this.auditMany([input]);
  }

  /** Appends one audit event per record in a single statement (e.g. every note a list read). */
  async auditMany(inputs: AuditInput[]): Promise<void> {
    if (inputs.length === 0) return;
    await appendAudit(
      this.em,
      inputs.map((input) => ({
        ...input,
        organizationId: this.tenant.organizationId,
        actorUserId: this.tenant.userId,
        requestId: this.tenant.requestId ?? null,
        sourceAddress: this.tenant.sourceAddress ?? null,
      })),
    );
  }
}

export interface AuditRecord extends AuditInput {
  organizationId: string | null;
  actorUserId: string | null;
  requestId: string | null;
  sourceAddress: string | null;
}

/**
 * Appends one audit event. No RETURNING: the application roles may insert audit
 * events but not read back other organizations' (or, for fascia_system, any).
 */
export async function appendAudit(em: EntityManager, events: AuditRecord | AuditRecord[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  await em
    .createQueryBuilder()
    .insert()
    .into(AuditEvent)
    .values(
      list.map((e) => ({
        organizationId: e.organizationId,
        actorUserId: e.actorUserId,
        action: e.action,
        recordType: e.recordType ?? null,
        recordId: e.recordId ?? null,
        requestId: e.requestId,
        sourceAddress: e.sourceAddress,
        outcome: e.outcome ?? 'SUCCESS',
        detail: (e.detail ?? null) as never,
      })),
    )
    .updateEntity(false)
    .execute();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The application's only door to the database. Each call is one transaction that first
 * switches to an application role (`fascia_app` or `fascia_system`), so even a query
 * that forgot its filter is held by row-level security.
 */
export class Db {
  constructor(readonly dataSource: DataSource) {}

  async tenant<T>(tenant: TenantContext, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    if (!UUID.test(tenant.organizationId)) throw new Error('Db.tenant: organizationId must be a uuid');
    if (tenant.userId !== null && !UUID.test(tenant.userId)) throw new Error('Db.tenant: userId must be a uuid');
    return this.dataSource.transaction(async (em) => {
      await em.query(
        `SELECT set_config('role', 'fascia_app', true), set_config('fascia.org_id', $1, true), set_config('fascia.user_id', $2, true)`,
        [tenant.organizationId, tenant.userId ?? ''],
      );
      return fn(new TenantTx(em, tenant));
    });
  }

  /**
   * For the few paths that act before a tenant is known or across tenants without
   * reading clinical data: sign-in, token refresh, invitation acceptance, the outbox
   * relay and deliveries. Runs as `fascia_system`.
   */
  async system<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('role', 'fascia_system', true), set_config('fascia.org_id', '', true)`);
      return fn(em);
    });
  }
}
