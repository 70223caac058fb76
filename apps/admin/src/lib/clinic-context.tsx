import { useQuery } from '@apollo/client/react';
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ClinicOptionsQuery } from '../gql/graphql';
import { useMe } from './auth';
import { CLINIC_OPTIONS } from './documents';
import { setDisplayZone } from './format';
import { getStoredClinicId, storeClinicId } from './session';

export type ClinicOption = ClinicOptionsQuery['clinics']['edges'][number]['node'];

interface ClinicContextValue {
  clinics: ClinicOption[];
  loading: boolean;
  /** null: every clinic the person can see (organization admins only). */
  clinicId: string | null;
  clinic: ClinicOption | null;
  canSeeAll: boolean;
  setClinicId(id: string | null): void;
  /** The zone dates and times are shown in (lib/format's display zone); null: the browser's. */
  zone: string | null;
}

const ClinicContext = createContext<ClinicContextValue | null>(null);

/** The clinic picked in the header: remembered per browser, checked against what the API lists. */
export function ClinicProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const { data, loading } = useQuery(CLINIC_OPTIONS);
  const [picked, setPicked] = useState<string | null>(getStoredClinicId);
  const canSeeAll = me.roles.includes('ORG_ADMIN');

  const clinics = useMemo(() => data?.clinics.edges.map((e) => e.node) ?? [], [data]);
  const clinicId = useMemo(() => {
    if (picked && clinics.some((c) => c.id === picked)) return picked;
    if (loading && picked) return picked;
    if (canSeeAll) return null;
    return clinics[0]?.id ?? null;
  }, [picked, clinics, loading, canSeeAll]);

  const setClinicId = useCallback((id: string | null) => {
    storeClinicId(id);
    setPicked(id);
  }, []);

  const clinic = clinics.find((c) => c.id === clinicId) ?? null;
  // Instants (a sign-in, an audit event, a referral sent) are shown in the picked clinic's
  // zone; with every clinic picked, in the one zone they share, else the browser's.
  const zones = new Set(clinics.map((c) => c.timeZone));
  const zone = clinic?.timeZone ?? (zones.size === 1 ? [...zones][0] : null);
  setDisplayZone(zone);

  const value = useMemo(
    () => ({ clinics, loading, clinicId, clinic, canSeeAll, setClinicId, zone }),
    [clinics, loading, clinicId, clinic, canSeeAll, setClinicId, zone],
  );
  return <ClinicContext.Provider value={value}>{children}</ClinicContext.Provider>;
}

export function useClinic(): ClinicContextValue {
  const value = useContext(ClinicContext);
  if (!value) throw new Error('useClinic outside ClinicProvider');
  return value;
}
