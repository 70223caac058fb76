import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { FormAlert, SubmitButton, TextField, useErrorFocus } from '../components/forms';
import { AuthCard } from '../components/status';
import { graphql } from '../gql';
import { useAuth } from '../lib/auth';
import { NO_ERRORS, readErrors } from '../lib/errors';
import type { FormErrors } from '../lib/errors';

const SIGN_IN = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      ...SessionFields
    }
  }
`);

export function SignInPage({ notice }: { notice?: string }) {
  const { startSession } = useAuth();
  const [signIn, { loading }] = useMutation(SIGN_IN);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [askOrganization, setAskOrganization] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const formRef = useErrorFocus(errors);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const fields: Record<string, string> = {};
    if (!email.trim()) fields.email = 'Enter your email address.';
    if (!password) fields.password = 'Enter your password.';
    if (Object.keys(fields).length) {
      setErrors({ fields, form: null, code: null });
      return;
    }
    setErrors(NO_ERRORS);
    try {
      const { data } = await signIn({
        variables: { input: { email: email.trim(), password, organizationId: organizationId.trim() || undefined } },
      });
      if (data) await startSession(data.signIn);
    } catch (error) {
      const e = readErrors(error, ['email', 'password', 'organizationId']);
      // Someone in several organizations is asked which one (the API names the field).
      if (e.fields.organizationId) setAskOrganization(true);
      setErrors(e);
    }
  }

  return (
    <AuthCard title="Sign in">
      <p className="auth-lead">Plan, deliver and follow up care across your clinics.</p>
      {notice ? (
        <div className="alert alert--info" role="status">
          {notice}
        </div>
      ) : null}
      <form ref={formRef} onSubmit={submit} noValidate>
        <FormAlert errors={errors} titles={{ UNAUTHENTICATED: 'Sign-in failed', TOO_MANY_REQUESTS: 'Sign-in paused' }} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.fields.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
        />
        {askOrganization ? (
          <TextField
            label="Organization ID"
            name="organizationId"
            value={organizationId}
            onChange={(e) => setOrganizationId(e.target.value)}
            error={errors.fields.organizationId}
            hint="You belong to more than one organization: enter the one to sign in to."
          />
        ) : null}
        <SubmitButton busy={loading} busyLabel="Signing in…">
          Sign in
        </SubmitButton>
      </form>
      <p className="auth-foot">Invited by your clinic? Open the link in your invitation email to set your password.</p>
    </AuthCard>
  );
}
