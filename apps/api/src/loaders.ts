import { Clinic, PractitionerAvailability, Room, User, type Db } from '@fascia/db';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { Tenant } from './context';

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** Per-request loaders: each batch is one tenant-scoped query, so a list never becomes N+1. */
export function createLoaders(db: Db, tenant: Tenant) {
  const byIds = <E extends { id: string }>(load: (ids: readonly string[]) => Promise<E[]>) =>
    new DataLoader<string, E | null>(async (ids) => {
      const rows = new Map((await load(ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    });
  const groupedBy = <E>(load: (ids: readonly string[]) => Promise<E[]>, key: (row: E) => string) =>
    new DataLoader<string, E[]>(async (ids) => {
      const groups = groupBy(await load(ids), key);
      return ids.map((id) => groups.get(id) ?? []);
    });

  return {
    clinicById: byIds((ids) => db.tenant(tenant, (tx) => tx.repo(Clinic).findBy({ id: In([...ids]) }))),
    userById: byIds((ids) => db.tenant(tenant, (tx) => tx.em.findBy(User, { id: In([...ids]) }))),
    roomsByClinic: groupedBy(
      (ids) => db.tenant(tenant, (tx) => tx.repo(Room).find({ where: { clinicId: In([...ids]) }, order: { name: 'ASC' } })),
      (r) => r.clinicId,
    ),
    availabilityByPractitioner: groupedBy(
      (ids) =>
        db.tenant(tenant, (tx) =>
          tx.repo(PractitionerAvailability).find({ where: { practitionerId: In([...ids]) }, order: { weekday: 'ASC', startMinute: 'ASC' } }),
        ),
      (a) => a.practitionerId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
