import { DISCIPLINES } from '../../lib/format';
import type { DirectoryEntry } from './DirectoryPage';

export function entryName(e: Pick<DirectoryEntry, 'practitioner' | 'discipline' | 'clinic'>): string {
  return e.practitioner ? e.practitioner.displayName : `any ${DISCIPLINES[e.discipline].toLowerCase()} at ${e.clinic.name}`;
}

/**
 * The Refer form (features/referral, `/clients/:id/refer`) for one client with this receiver
 * chosen: `to` is the directory entry's id (the form's receiver), `discipline` its discipline.
 */
export function referHref(clientId: string, e: Pick<DirectoryEntry, 'id' | 'discipline'>): string {
  const q = new URLSearchParams({ to: e.id, discipline: e.discipline });
  return `/clients/${encodeURIComponent(clientId)}/refer?${q.toString()}`;
}
