import { Link, NavLink, useSearchParams } from 'react-router';
import { SelectField } from '../../components/forms';
import { PageHeader } from '../../components/Layout';
import { ListView } from '../../components/ListView';
import type { Column } from '../../components/ListView';
import { EmptyState } from '../../components/status';
import { graphql } from '../../gql';
import type { Discipline, ReferralFilter, ReferralListFieldsFragment, ReferralStatus } from '../../gql/graphql';
import { useMe } from '../../lib/auth';
import { useClinic } from '../../lib/clinic-context';
import { DISCIPLINES, formatDateTime } from '../../lib/format';
import { useCursorList } from '../../lib/list';
import type { CursorList } from '../../lib/list';
import { INBOX_STATUS, REFERRAL_STATUS, URGENCY, statusClass } from './referral-format';

export const REFERRAL_LIST_FIELDS = graphql(`
  fragment ReferralListFields on Referral {
    id
    side
    status
    urgency
    reason
    overdue
    createdAt
    sentAt
    dueAt
    unreadCount
    client {
      displayName
    }
    from {
      organizationName
      clinicName
      practitionerName
    }
    to {
      organizationName
      clinicName
      practitionerName
      discipline
    }
  }
`);

export const REFERRALS_INBOX = graphql(`
  query ReferralsInbox($first: Int!, $after: String, $filter: ReferralFilter) {
    referralsInbox(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          ...ReferralListFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const REFERRALS_OUTBOX = graphql(`
  query ReferralsOutbox($first: Int!, $after: String, $filter: ReferralFilter) {
    referralsOutbox(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          ...ReferralListFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Side = 'inbox' | 'outbox';
type Row = ReferralListFieldsFragment;

const PAGE = 25;

const STATUS_ORDER: ReferralStatus[] = ['SENT', 'ACCEPTED', 'SCHEDULED', 'COMPLETED', 'DECLINED', 'CLOSED', 'CANCELLED', 'EXPIRED', 'DRAFT'];

/** The filters live in the URL (?status=&overdue=1&discipline=&clinic=), so a filtered list can be shared and reloaded. */
function useFilter(): { filter: ReferralFilter; values: { status: string; overdue: boolean; discipline: string; clinic: string }; set(key: string, value: string | null): void } {
  const [params, setParams] = useSearchParams();
  const { clinicId } = useClinic();
  const status = params.get('status') ?? '';
  const overdue = params.get('overdue') === '1';
  const discipline = params.get('discipline') ?? '';
  // The clinic picked in the header unless the list names another (or "all": empty).
  const clinic = params.has('clinic') ? (params.get('clinic') ?? '') : (clinicId ?? '');
  const filter: ReferralFilter = {
    status: status ? [status as ReferralStatus] : null,
    overdue: overdue || null,
    discipline: (discipline as Discipline) || null,
    clinicId: clinic || null,
  };
  const set = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  return { filter, values: { status, overdue, discipline, clinic }, set };
}

function party(p: { organizationName: string; clinicName: string; practitionerName?: string | null }, ownOrg: boolean) {
  return (
    <>
      {p.practitionerName ?? <span className="muted">Not yet assigned</span>}
      <div className="muted small">
        {p.clinicName}
        {ownOrg ? '' : ` · ${p.organizationName}`}
      </div>
    </>
  );
}

function columns(side: Side): Column<Row>[] {
  const labels = side === 'inbox' ? INBOX_STATUS : REFERRAL_STATUS;
  return [
    {
      header: 'Client',
      rowHeader: true,
      cell: (r) => (
        <>
          <Link to={`/referrals/${r.id}`}>{r.client.displayName}</Link>
          <div className="muted small clamp">{r.reason}</div>
        </>
      ),
    },
    side === 'inbox'
      ? {
          header: 'From → for',
          cell: (r) => (
            <>
              {party(r.from, false)}
              <div className="small">
                For{' '}
                {r.to.practitionerName ?? (
                  <strong className="overdue">
                    any {DISCIPLINES[r.to.discipline].toLowerCase()}: not yet assigned
                  </strong>
                )}
              </div>
            </>
          ),
        }
      : {
          header: 'To',
          cell: (r) => (
            <>
              {party(r.to, false)}
              <div className="muted small">{DISCIPLINES[r.to.discipline]}</div>
            </>
          ),
        },
    { header: 'Urgency', cell: (r) => <span className={statusClass(r.urgency)}>{URGENCY[r.urgency].label}</span> },
    {
      header: 'Status',
      cell: (r) => (
        <>
          <span className={statusClass(r.status)}>{labels[r.status]}</span>
          {r.overdue ? <div className="overdue small">Answer overdue</div> : null}
        </>
      ),
    },
    {
      header: side === 'inbox' ? 'Received' : 'Sent',
      className: 'small',
      cell: (r) => (
        <>
          {r.sentAt ? formatDateTime(r.sentAt) : <span className="muted">Not sent</span>}
          {r.status === 'SENT' && r.dueAt ? <div className="muted">Answer by {formatDateTime(r.dueAt)}</div> : null}
        </>
      ),
    },
    {
      header: 'Messages',
      className: 'num',
      cell: (r) => (r.unreadCount ? <span className="nav-badge">{r.unreadCount} new</span> : <span className="muted">—</span>),
    },
  ];
}

function Filters({ f }: { f: ReturnType<typeof useFilter> }) {
  const { clinics } = useClinic();
  return (
    <div className="toolbar" role="group" aria-label="Filters">
      <SelectField label="Status" name="status" value={f.values.status} onChange={(e) => f.set('status', e.target.value || null)}>
        <option value="">Any status</option>
        {STATUS_ORDER.map((s) => (
          <option key={s} value={s}>
            {REFERRAL_STATUS[s]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Discipline" name="discipline" value={f.values.discipline} onChange={(e) => f.set('discipline', e.target.value || null)}>
        <option value="">Any discipline</option>
        {Object.entries(DISCIPLINES).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Clinic" name="clinic" value={f.values.clinic} onChange={(e) => f.set('clinic', e.target.value)}>
        <option value="">All my clinics</option>
        {clinics.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <label className="check toolbar-check">
        <input type="checkbox" checked={f.values.overdue} onChange={(e) => f.set('overdue', e.target.checked ? '1' : null)} />
        Only overdue
      </label>
    </div>
  );
}

function ReferralList({ side, list, filtered }: { side: Side; list: CursorList<Row>; filtered: boolean }) {
  return (
    <ListView
      list={list}
      label={side === 'inbox' ? 'Referrals received' : 'Referrals sent'}
      columns={columns(side)}
      rowKey={(r) => r.id}
      rowClassName={(r) => (r.overdue ? 'row--overdue' : undefined)}
      loadingLabel="Loading referrals…"
      moreLabel="Show more referrals"
      empty={
        filtered ? (
          <EmptyState title="No referral matches these filters">Clear a filter to see more.</EmptyState>
        ) : side === 'inbox' ? (
          <EmptyState title="No referrals received yet">Referrals from your partners and colleagues arrive here, with the client&apos;s details and what they consented to share.</EmptyState>
        ) : (
          <EmptyState title="No referrals sent yet" action={<Link to="/clients">Find a client to refer</Link>}>
            Refer a client from their page: choose who receives them, say why, and record what they consented to share.
          </EmptyState>
        )
      }
    />
  );
}

/** Received | Sent: the two sides of the same network, one click apart (sent: clinical roles only). */
function SideTabs() {
  const me = useMe();
  const clinical = me.roles.some((r) => r !== 'FRONT_DESK');
  return (
    <nav className="tabs" aria-label="Referrals">
      <NavLink to="/referrals/inbox">Received</NavLink>
      {clinical ? <NavLink to="/referrals/outbox">Sent</NavLink> : null}
    </nav>
  );
}

const isFiltered = (f: ReferralFilter) => Boolean(f.status?.length || f.overdue || f.discipline);

export function ReferralInboxPage() {
  const f = useFilter();
  const list = useCursorList(REFERRALS_INBOX, { variables: { first: PAGE, filter: f.filter }, connection: (d) => d.referralsInbox });
  return (
    <>
      <PageHeader title="Referrals received" description="Clients referred to your organization: answer, book them, and reply to the referrer." />
      <SideTabs />
      <Filters f={f} />
      <ReferralList side="inbox" list={list} filtered={isFiltered(f.filter)} />
    </>
  );
}

export function ReferralOutboxPage() {
  const f = useFilter();
  const list = useCursorList(REFERRALS_OUTBOX, { variables: { first: PAGE, filter: f.filter }, connection: (d) => d.referralsOutbox });
  return (
    <>
      <PageHeader
        title="Referrals sent"
        description="Clients your organization referred, and where each one stands."
        actions={
          <Link to="/clients" className="button">
            Refer a client
          </Link>
        }
      />
      <SideTabs />
      <Filters f={f} />
      <ReferralList side="outbox" list={list} filtered={isFiltered(f.filter)} />
    </>
  );
}
