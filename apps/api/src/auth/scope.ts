import type { Role } from '@fascia/db';
import type { Tenant } from '../context';

/**
 * The clinics a member's roles reach. `null` means every clinic of the organization: an
 * organization admin, or any role not limited to clinics. Decided once, where the tenant
 * is built; services only ask {@link inClinicScope}.
 */
export function clinicScope(memberships: { role: Role; clinicIds: string[] }[]): string[] | null {
  if (memberships.some((m) => m.role === 'ORG_ADMIN' || m.clinicIds.length === 0)) return null;
  return [...new Set(memberships.flatMap((m) => m.clinicIds))];
}

export function inClinicScope(tenant: Pick<Tenant, 'clinicIds'>, clinicId: string): boolean {
  return tenant.clinicIds === null || tenant.clinicIds.includes(clinicId);
}

/** Who may read and write clinical content (intake, plans, notes, re-assessments, charts, tasks): not the front desk. */
export const CLINICAL_ROLES: Role[] = ['ORG_ADMIN', 'CLINIC_MANAGER', 'PRACTITIONER'];
