import { DISCIPLINES, MODALITIES, throughExchange, type Db, type Discipline, type Modality } from '@fascia/db';
import { z } from 'zod';
import type { Tenant } from '../../context';
import { badInput } from '../../common/errors';
import { pageSize, type Page } from '../../common/pagination';
import { parse, uuid } from '../../common/validation';
import type { DirectoryEntryType } from './partnership.types';

const filterSchema = z
  .object({
    discipline: z.enum(DISCIPLINES).nullish(),
    modality: z.enum(MODALITIES).nullish(),
    city: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as GB')
      .nullish(),
    organizationId: uuid.nullish(),
    clinicId: uuid.nullish(),
  })
  .nullish();

export type DirectoryFilterInput = z.input<typeof filterSchema>;

/** The keyset of an entry, in the directory's order: own organization first, then by organization, clinic, discipline, pool before people, name. */
type SortKey = [number, string, string, string, string, string, number, string, string];

function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string | null | undefined): SortKey | null {
  if (cursor == null) return null;
  let v: unknown = null;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // fall through
  }
  const ok =
    Array.isArray(v) &&
    v.length === 9 &&
    v.every((x, i) => ((i === 0 || i === 6) ? Number.isInteger(x) : typeof x === 'string' && x.length <= 1000 && !x.includes('\u0000')));
  if (!ok) throw badInput('after', 'The cursor is not one this API issued; pass the endCursor of a previous page.');
  return v as SortKey;
}

interface Row {
  org_id: string;
  org_name: string;
  org_slug: string;
  own: boolean;
  clinic_id: string;
  clinic_name: string;
  city: string;
  country: string;
  time_zone: string;
  address_line1: string;
  postal_code: string | null;
  discipline: Discipline;
  practitioner_id: string | null;
  display_name: string | null;
  modalities: Modality[] | null;
  k: SortKey;
  total: number;
}

/**
 * The referral directory (docs/referrals.md, "Directory"): who can receive a referral from the
 * caller's organization — its own practitioners and clinics and those of its ACTIVE partners,
 * nothing else. A practitioner appears once per clinic where they have weekly hours; a clinic's
 * pool for a discipline (practitioner null) exists where at least one practitioner of that
 * discipline has hours there. Archived clinics and practitioners are left out.
 *
 * One statement, through the exchange door: the exchange role's policies show it the directory
 * columns of the caller's and its active partners' clinics, practitioners and their hours only,
 * so a partnership ended a moment ago hides the partner at the next request.
 */
export class DirectoryService {
  constructor(private readonly db: Db) {}

  list(tenant: Tenant, args: { filter?: DirectoryFilterInput; first?: number | null; after?: string | null }): Promise<Page<DirectoryEntryType>> {
    const f = parse(filterSchema, args.filter ?? null, 'filter') ?? {};
    const size = pageSize(args.first);
    const after = decodeCursor(args.after);
    const params: unknown[] = [tenant.organizationId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const clinicWhere = [
      'c.archived_at IS NULL',
      ...(f.organizationId ? [`c.organization_id = ${p(f.organizationId)}::uuid`] : []),
      ...(f.clinicId ? [`c.id = ${p(f.clinicId)}::uuid`] : []),
      ...(f.city ? [`lower(c.city) = lower(${p(f.city)})`] : []),
      ...(f.country ? [`c.country = ${p(f.country)}`] : []),
    ];
    const peopleWhere = ['pr.archived_at IS NULL', ...(f.discipline ? [`pr.discipline = ${p(f.discipline)}`] : [])];
    const modality = f.modality ? p(f.modality) : null;
    const filterParams = params.length;
    const keyset = after
      ? `WHERE (e.k0, e.k1, e.k2, e.k3, e.k4, e.k5, e.k6, e.k7, e.k8) > (${p(after[0])}::int, ${p(after[1])}, ${p(after[2])}, ${p(after[3])}, ${p(after[4])}, ${p(after[5])}, ${p(after[6])}::int, ${p(after[7])}, ${p(after[8])})`
      : '';
    const limit = p(size + 1);
    const cte = `
      WITH orgs AS (
        SELECT o.id, o.name, o.slug, (o.id = $1::uuid) AS own
          FROM organization o
         WHERE o.id = $1::uuid OR fascia_is_active_partner(o.id)
      ), clinics AS (
        SELECT c.id, c.organization_id, c.name, c.city, c.country, c.time_zone, c.address_line1, c.postal_code
          FROM clinic c JOIN orgs ON orgs.id = c.organization_id
         WHERE ${clinicWhere.join(' AND ')}
      ), people AS (
        SELECT DISTINCT pr.id, pr.organization_id, pr.display_name, pr.discipline, pr.modalities, c.id AS clinic_id
          FROM clinics c
          JOIN practitioner_availability a ON a.clinic_id = c.id AND a.organization_id = c.organization_id
          JOIN practitioner pr ON pr.id = a.practitioner_id AND pr.organization_id = a.organization_id
         WHERE ${peopleWhere.join(' AND ')}
      ), entries AS (
        SELECT clinic_id, discipline, id AS practitioner_id, display_name, modalities
          FROM people ${modality ? `WHERE ${modality} = ANY(modalities)` : ''}
        UNION ALL
        SELECT clinic_id, discipline, NULL::uuid, NULL::text, NULL::text[]
          FROM people GROUP BY clinic_id, discipline ${modality ? `HAVING bool_or(${modality} = ANY(modalities))` : ''}
      ), keyed AS (
        SELECT e.*, c.organization_id, c.name AS clinic_name, c.city, c.country, c.time_zone, c.address_line1, c.postal_code,
               orgs.name AS org_name, orgs.slug AS org_slug, orgs.own,
               (CASE WHEN orgs.own THEN 0 ELSE 1 END) AS k0, orgs.name AS k1, orgs.id::text AS k2, c.name AS k3, c.id::text AS k4,
               e.discipline AS k5, (CASE WHEN e.practitioner_id IS NULL THEN 0 ELSE 1 END) AS k6,
               coalesce(e.display_name, '') AS k7, coalesce(e.practitioner_id::text, '') AS k8
          FROM entries e JOIN clinics c ON c.id = e.clinic_id JOIN orgs ON orgs.id = c.organization_id
      )`;
    const sql = `${cte}
      SELECT e.organization_id AS org_id, e.org_name, e.org_slug, e.own, e.clinic_id, e.clinic_name, e.city, e.country, e.time_zone,
             e.address_line1, e.postal_code, e.discipline, e.practitioner_id, e.display_name, e.modalities,
             json_build_array(e.k0, e.k1, e.k2, e.k3, e.k4, e.k5, e.k6, e.k7, e.k8) AS k,
             (SELECT count(*)::int FROM keyed) AS total
        FROM keyed e ${keyset}
       ORDER BY e.k0, e.k1, e.k2, e.k3, e.k4, e.k5, e.k6, e.k7, e.k8
       LIMIT ${limit}`;
    return this.db.tenant(tenant, async (tx) => {
      const rows = (await throughExchange(tx, (em) => em.query(sql, params))) as Row[];
      // Past the end: the count alone (rare; one more statement).
      const total =
        rows.length > 0
          ? rows[0].total
          : after
            ? (((await throughExchange(tx, (em) => em.query(`${cte} SELECT count(*)::int AS total FROM keyed`, params.slice(0, filterParams)))) as { total: number }[])[0]?.total ?? 0)
            : 0;
      const nodes = rows.slice(0, size);
      const edges = nodes.map((r) => ({ cursor: encodeCursor(r.k), node: toEntry(r) }));
      return {
        edges,
        nodes: edges.map((e) => e.node),
        totalCount: total,
        totalCountCapped: false,
        pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      };
    });
  }
}

function toEntry(r: Row): DirectoryEntryType {
  return {
    id: r.practitioner_id ? `${r.clinic_id}:${r.practitioner_id}` : `${r.clinic_id}:${r.discipline}`,
    practitioner: r.practitioner_id
      ? { id: r.practitioner_id, displayName: r.display_name ?? '', discipline: r.discipline, modalities: r.modalities ?? [] }
      : null,
    discipline: r.discipline,
    clinic: { id: r.clinic_id, name: r.clinic_name, city: r.city, country: r.country, timeZone: r.time_zone, addressLine1: r.address_line1, postalCode: r.postal_code },
    organization: { id: r.org_id, name: r.org_name, slug: r.org_slug },
    isOwnOrganization: r.own,
  };
}
