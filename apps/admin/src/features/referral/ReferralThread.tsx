import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextAreaField } from '../../components/forms';
import { QueryError } from '../../components/status';
import type { ReferralDetailFragment } from '../../gql/graphql';
import { formatDateTime } from '../../lib/format';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';
import { MARK_REFERRAL_READ, POST_REFERRAL_MESSAGE, REFERRAL_THREAD, UNREAD_REFERRAL_MESSAGES } from './documents';

const messageSchema = z.object({ body: z.string().trim().min(1, 'Write a message first.') });

/**
 * The thread between the two sides of a referral. It is its own query, polled while the page
 * is open; whatever is unread when it arrives is marked read (the navigation's count drops).
 */
export function ReferralThread({ r }: { r: ReferralDetailFragment }) {
  const { data, error, refetch } = useQuery(REFERRAL_THREAD, { variables: { id: r.id }, pollInterval: 30_000 });
  const thread = data?.referral;
  const messages = thread?.messages ?? [];
  const unread = thread?.unreadCount ?? 0;
  const canWrite = (thread?.allowedActions ?? r.allowedActions).includes('MESSAGE');
  const form = useZodForm(messageSchema, { defaultValues: { body: '' } });
  const server = useServerErrors(form);
  const [post, { loading }] = useMutation(POST_REFERRAL_MESSAGE, { refetchQueries: [REFERRAL_THREAD], awaitRefetchQueries: true });
  const [markRead] = useMutation(MARK_REFERRAL_READ, { refetchQueries: [UNREAD_REFERRAL_MESSAGES] });
  const marked = useRef<string | null>(null);
  // Seen once shown: marked read once per new batch of messages.
  useEffect(() => {
    const key = `${r.id}:${messages.length}`;
    if (unread > 0 && marked.current !== key) {
      marked.current = key;
      markRead({ variables: { referralId: r.id } }).catch(() => undefined);
    }
  }, [r.id, unread, messages.length, markRead]);
  const other = r.side === 'RECEIVED' ? r.from.organizationName : r.to.organizationName;

  return (
    <section className="card" aria-labelledby="referral-messages">
      <h2 id="referral-messages">
        Messages {unread ? <span className="nav-badge">{unread} new</span> : null}
      </h2>
      {error ? <QueryError error={error} retry={() => void refetch()} /> : null}
      {thread && messages.length === 0 ? <p className="muted">No messages yet. Both sides read what is written here.</p> : null}
      {messages.length > 0 ? (
        <ol className="thread">
          {messages.map((m) => (
            <li key={m.id} className={m.fromOwnOrganization ? 'thread-own' : 'thread-other'}>
              <div className="thread-meta small">
                <strong>{m.mine ? 'You' : m.authorName}</strong>
                {m.fromOwnOrganization ? '' : ` · ${other}`} · <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
              </div>
              <p>{m.body}</p>
            </li>
          ))}
        </ol>
      ) : null}
      {canWrite ? (
        <form
          ref={server.ref}
          noValidate
          aria-label="Write a message"
          onSubmit={form.handleSubmit(async ({ body }) => {
            server.clear();
            try {
              await post({ variables: { input: { referralId: r.id, body: body.trim() } } });
              form.reset({ body: '' });
            } catch (error) {
              server.apply(error, ['body']);
            }
          })}
        >
          <FormAlert errors={server.alert} />
          <TextAreaField label={`Message to ${other}`} required rows={3} {...form.register('body')} error={fieldError(form.formState.errors, 'body')} />
          <SubmitButton busy={loading} busyLabel="Sending…">
            Send message
          </SubmitButton>
        </form>
      ) : (
        <p className="muted small">The thread is closed with the referral.</p>
      )}
    </section>
  );
}
