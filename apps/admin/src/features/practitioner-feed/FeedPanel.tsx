import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { FormAlert } from '../../components/forms';
import { QueryError } from '../../components/status';
import { graphql } from '../../gql';
import { NO_ERRORS, readErrors, type FormErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';

/** What the panel shows of a feed, as every query and mutation here returns it. */
graphql(`
  fragment PractitionerFeedState on PractitionerFeed {
    practitionerId
    active
    includeClientNames
    rotatedAt
    revokedAt
  }
`);

const FEED = graphql(`
  query PractitionerFeed($practitionerId: ID!) {
    practitionerFeed(practitionerId: $practitionerId) {
      ...PractitionerFeedState
    }
  }
`);

const ROTATE = graphql(`
  mutation RotatePractitionerFeed($practitionerId: ID!, $includeClientNames: Boolean) {
    rotatePractitionerFeed(practitionerId: $practitionerId, includeClientNames: $includeClientNames) {
      path
      feed {
        ...PractitionerFeedState
      }
    }
  }
`);

const REVOKE = graphql(`
  mutation RevokePractitionerFeed($practitionerId: ID!) {
    revokePractitionerFeed(practitionerId: $practitionerId) {
      ...PractitionerFeedState
    }
  }
`);

const NAMES = graphql(`
  mutation SetPractitionerFeedNames($practitionerId: ID!, $includeClientNames: Boolean!) {
    setPractitionerFeedNames(practitionerId: $practitionerId, includeClientNames: $includeClientNames) {
      ...PractitionerFeedState
    }
  }
`);

/**
 * A practitioner's calendar feed (issue 15 §3): subscribe from a phone or desktop calendar. The
 * link is shown once, when made; making a new one stops the old; revoking stops it for good.
 * Shown on the practitioner's own day and, for managers, on the practitioner's page.
 */
export function FeedPanel({ practitionerId, name }: { practitionerId: string; name: string }) {
  const headingId = useId();
  const { data, loading, error, refetch } = useQuery(FEED, { variables: { practitionerId } });
  const [rotate, rotateState] = useMutation(ROTATE);
  const [revoke, revokeState] = useMutation(REVOKE);
  const [setNames, namesState] = useMutation(NAMES);
  const [link, setLink] = useState<string | null>(null);
  const [alert, setAlert] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | null>(null);
  const busy = rotateState.loading || revokeState.loading || namesState.loading;
  const feed = data?.practitionerFeed;

  const act = async (what: () => Promise<unknown>, done: string) => {
    setAlert(NO_ERRORS);
    setNotice(null);
    try {
      await what();
      setNotice(done);
    } catch (e) {
      setAlert(readErrors(e));
    }
  };

  const makeLink = () =>
    act(async () => {
      if (feed?.active && !window.confirm(`Make a new calendar link for ${name}? The current link stops working at once.`)) return;
      const res = await rotate({ variables: { practitionerId } });
      const path = res.data?.rotatePractitionerFeed.path;
      if (path) setLink(new URL(path, window.location.origin).toString());
      await refetch();
    }, 'A new calendar link was made. Copy it now: it is not shown again.');

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Calendar feed</h2>
      <p className="muted">
        Subscribe to {name}&rsquo;s appointments (30 days back, 180 ahead) from a phone or desktop calendar. Events show the clinic&rsquo;s address and the client&rsquo;s
        initials, never clinical notes.
      </p>
      {loading && !data ? <p aria-live="polite">Loading the feed…</p> : null}
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      <FormAlert errors={alert} />
      {notice ? (
        <p className="alert alert--success" role="status">
          {notice}
        </p>
      ) : null}
      {feed ? (
        <>
          <p>
            {feed.active ? (
              <>Active{feed.rotatedAt ? `, link made ${formatDateTime(feed.rotatedAt)}` : ''}.</>
            ) : feed.revokedAt ? (
              <>Revoked {formatDateTime(feed.revokedAt)}: the old link answers &ldquo;not found&rdquo;.</>
            ) : (
              <>No calendar link yet.</>
            )}
          </p>
          {link ? (
            <div className="field">
              <label htmlFor={`${headingId}-link`}>Calendar link (shown once)</label>
              <input id={`${headingId}-link`} readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
              <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(link).then(() => setNotice('Link copied.'))}>
                Copy link
              </button>
            </div>
          ) : null}
          <label className="check">
            <input
              type="checkbox"
              checked={feed.includeClientNames}
              disabled={busy || !feed.active}
              onChange={(e) => {
                const v = e.currentTarget.checked;
                void act(() => setNames({ variables: { practitionerId, includeClientNames: v } }), v ? 'Events now show clients’ full names.' : 'Events now show initials only.');
              }}
            />
            Show clients&rsquo; full names in events (otherwise initials)
          </label>
          <div className="form-actions">
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void makeLink()}>
              {feed.active ? 'Make a new link' : 'Make a calendar link'}
            </button>
            {feed.active ? (
              <button
                type="button"
                className="button button--danger-quiet"
                disabled={busy}
                onClick={() =>
                  void act(async () => {
                    if (!window.confirm(`Revoke ${name}'s calendar link? Calendars subscribed to it stop updating.`)) return;
                    await revoke({ variables: { practitionerId } });
                    setLink(null);
                  }, 'The calendar link was revoked.')
                }
              >
                Revoke link
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
