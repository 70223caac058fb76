import { Client, type Role, type TenantTx } from '@fascia/db';
import type { Tenant } from '../context';
import { DeniedError } from '../common/errors';

/**
 * Clinic scope: the one rule for every clinical read and write (docs/api.md, "Clinic scope").
 *
 * - A member's roles reach a set of clinics ({@link clinicScope}; `null` = every clinic).
 * - A clinical record belongs to the clinic where it was made: an intake to its clinic, a
 *   plan to its intake's clinic, a re-assessment to its plan's, an appointment and its
 *   session note to the appointment's. A member reads and writes only records of clinics
 *   their roles reach.
 * - A client (demographics, the chart as a whole, the client list) is reachable from a
 *   clinic the client is registered at (`client.clinic_ids`) or has an intake, plan or
 *   appointment at. A plan's clinic is its intake's, so intakes and appointments cover it.
 * - A write that names other records needs each in reach: a booking its clinic, its client
 *   and its plan; a re-assessment its appointment. (An appointment makes its client
 *   reachable, so booking must not be how a clinic first reaches a client.)
 */

/**
 * The clinics a member's roles reach. `null` means every clinic of the organization: an
 * organization admin, or any role not limited to clinics. Decided once, where the tenant
 * is built; services only ask the functions below.
 */
export function clinicScope(memberships: { role: Role; clinicIds: string[] }[]): string[] | null {
  if (memberships.some((m) => m.role === 'ORG_ADMIN' || m.clinicIds.length === 0)) return null;
  return [...new Set(memberships.flatMap((m) => m.clinicIds))];
}

/** Who a scope check asks about: a signed-in member, or a reminder link's holder (every clinic). */
type Scoped = Pick<Tenant, 'clinicIds'>;

export function inClinicScope(tenant: Scoped, clinicId: string): boolean {
  return tenant.clinicIds === null || tenant.clinicIds.includes(clinicId);
}

/** Who may read and write clinical content (intake, plans, notes, re-assessments, charts, tasks): not the front desk. */
export const CLINICAL_ROLES: Role[] = ['ORG_ADMIN', 'CLINIC_MANAGER', 'PRACTITIONER'];

export type ClinicalRecordType = 'intake' | 'plan' | 'reassessment' | 'appointment' | 'session_note';

/** A clinical record and the clinic it belongs to. */
export interface ClinicalRecordRef {
  recordType: ClinicalRecordType;
  id: string;
  clinicId: string;
}

const LABELS: Record<ClinicalRecordType | 'client', string> = {
  intake: 'intake',
  plan: 'treatment plan',
  reassessment: 're-assessment',
  appointment: 'appointment',
  session_note: 'session note',
  client: 'client',
};

/**
 * For a read of one record: true when its clinic is in scope. Otherwise the denial is
 * audited (outcome DENIED) in this transaction — a read that answers `null` commits — and
 * false is returned.
 */
export async function canReadRecord(tx: TenantTx, tenant: Tenant, record: ClinicalRecordRef, action: string): Promise<boolean> {
  if (inClinicScope(tenant, record.clinicId)) return true;
  await tx.audit({ action, recordType: record.recordType, recordId: record.id, outcome: 'DENIED', detail: { reason: 'clinic scope' } });
  return false;
}

/**
 * For a write to one record (or a write that names it, e.g. a booking naming a plan): throws
 * FORBIDDEN when its clinic is out of scope, with `field` when an input named the record. The
 * denial is audited in its own transaction after the write's rolls back (`DeniedError`).
 */
export function assertCanWriteRecord(tenant: Scoped, record: ClinicalRecordRef, action: string, field?: string): void {
  if (inClinicScope(tenant, record.clinicId)) return;
  throw new DeniedError(
    'FORBIDDEN',
    `This ${LABELS[record.recordType]} belongs to a clinic your role does not reach; ask a colleague there or an organization admin.`,
    { action, recordType: record.recordType, recordId: record.id, detail: { reason: 'clinic scope' } },
    field ? { field } : {},
  );
}

/**
 * For acting at a clinic (booking there, reading its calendar): FORBIDDEN when the clinic is
 * out of scope, audited as DENIED naming the clinic (after the rollback, `DeniedError`).
 */
export function assertClinicReachable(tenant: Scoped, clinic: { id: string; name: string }, action: string, field: string): void {
  if (inClinicScope(tenant, clinic.id)) return;
  throw new DeniedError(
    'FORBIDDEN',
    `Your role does not reach ${clinic.name}; ask a colleague there or an organization admin.`,
    { action, recordType: 'clinic', recordId: clinic.id, detail: { reason: 'clinic scope' } },
    { field },
  );
}

/**
 * The client-reachability rule as SQL over a `client` alias, with its parameters; `null`
 * when the member reaches every clinic. Correlated `EXISTS`, an index lookup per record: 1 ms
 * for one client. The clients page applies it to candidates only: `fascia_client_search`
 * (migration IndexesAtScale) first finds whom the member's clinics reach from those clinics'
 * own records (12.6 ms for a clinic's first page at 100,000 clients and 2 M appointments,
 * where hashing the clinic's ids in the page's query took 131 ms; docs/operations.md).
 */
export function clientScopeSql(
  tenant: Pick<Tenant, 'clinicIds' | 'organizationId'>,
  alias: string,
): { sql: string; params: { __scope: string[]; __scopeOrg: string } } | null {
  if (tenant.clinicIds === null) return null;
  return { sql: clientReachSql(alias, ':__scopeOrg', 'CAST(:__scope AS uuid[])'), params: { __scope: tenant.clinicIds, __scopeOrg: tenant.organizationId } };
}

/**
 * The same rule over `alias` with the organization and the member's clinics given as SQL
 * expressions (`$1`, `$3::uuid[]`): for statements written with positional parameters (the chart).
 */
export function clientReachSql(alias: string, organization: string, clinics: string): string {
  const linked = (table: string, a: string) =>
    `EXISTS (SELECT 1 FROM ${table} ${a} WHERE ${a}.organization_id = ${organization} AND ${a}.client_id = ${alias}.id AND ${a}.clinic_id = ANY(${clinics}))`;
  return `(${alias}.clinic_ids && ${clinics} OR ${linked('intake', 'si')} OR ${linked('appointment', 'sa')})`;
}

/** A read of a client the member cannot reach answers null; its denial is audited (outcome DENIED) in the read's transaction. */
export function auditUnreachableClient(tx: TenantTx, clientId: string, action: string): Promise<void> {
  return tx.audit({ action, recordType: 'client', recordId: clientId, outcome: 'DENIED', detail: { reason: 'clinic scope' } });
}

/** Whether the client (known to exist in the organization) is reachable by the member. */
export async function clientInScope(tx: TenantTx, tenant: Tenant, clientId: string): Promise<boolean> {
  const scope = clientScopeSql(tenant, 'c');
  if (!scope) return true;
  return (await tx.repo(Client).qb('c').andWhere('c.id = :__id', { __id: clientId }).andWhere(scope.sql, scope.params).getCount()) > 0;
}

/**
 * Reads a client for a read of it (or its chart) together with the reachability check, in one
 * statement: null when it does not exist, or when unreachable — then the denial is audited here.
 */
export async function findReadableClient(tx: TenantTx, tenant: Tenant, clientId: string, action: string): Promise<Client | null> {
  const qb = tx.repo(Client).qb('c').andWhere('c.id = :__id', { __id: clientId });
  const scope = clientScopeSql(tenant, 'c');
  if (!scope) return qb.getOne();
  const { entities, raw } = await qb.addSelect(`(${scope.sql})`, 'in_scope').setParameters({ ...qb.getParameters(), ...scope.params }).getRawAndEntities<{ in_scope: boolean }>();
  if (entities.length === 0) return null;
  if (raw[0].in_scope) return entities[0];
  await auditUnreachableClient(tx, clientId, action);
  return null;
}

/**
 * For a write about a client (its demographics, a new intake, a booking): FORBIDDEN when
 * unreachable, with `field` when an input named the client; audited after the rollback.
 */
export async function assertClientWritable(tx: TenantTx, tenant: Tenant, clientId: string, action: string, field?: string): Promise<void> {
  if (await clientInScope(tx, tenant, clientId)) return;
  throw new DeniedError(
    'FORBIDDEN',
    'This client is not registered at, and has no records at, a clinic your role reaches; ask a colleague at their clinic or an organization admin to add your clinic to the client’s clinics.',
    { action, recordType: 'client', recordId: clientId, detail: { reason: 'clinic scope' } },
    field ? { field } : {},
  );
}
