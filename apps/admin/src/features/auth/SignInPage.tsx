import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { z } from 'zod';
import { FormAlert, SubmitButton, TextField } from '../../components/forms';
import { AuthCard } from '../../components/status';
import { graphql } from '../../gql';
import { useAuth } from '../../lib/auth';
import { fieldError, useServerErrors, useZodForm } from '../../lib/form';

const SIGN_IN = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      ...SessionFields
    }
  }
`);

const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address.'),
  password: z.string().min(1, 'Enter your password.'),
  organizationId: z.string().trim(),
});

export function SignInPage() {
  const { state, startSession } = useAuth();
  const [signIn, { loading }] = useMutation(SIGN_IN);
  const [askOrganization, setAskOrganization] = useState(false);
  const form = useZodForm(signInSchema, { defaultValues: { email: '', password: '', organizationId: '' } });
  const server = useServerErrors(form);
  const { errors } = form.formState;
  const reason = state.status === 'signedOut' ? state.reason : undefined;
  const notice = reason === 'expired' ? 'Your session has ended. Please sign in again.' : reason === 'signedOut' ? 'You have signed out.' : undefined;

  const submit = form.handleSubmit(async (values) => {
    server.clear();
    try {
      const { data } = await signIn({
        variables: { input: { email: values.email, password: values.password, organizationId: values.organizationId || undefined } },
      });
      if (data) await startSession(data.signIn);
    } catch (error) {
      const e = server.apply(error, ['email', 'password', 'organizationId']);
      // Someone in several organizations is asked which one (the API names the field).
      if (e.fields.organizationId) setAskOrganization(true);
    }
  });

  return (
    <AuthCard title="Sign in">
      <p className="auth-lead">Plan, deliver and follow up care across your clinics.</p>
      {notice ? (
        <div className="alert alert--info" role="status">
          {notice}
        </div>
      ) : null}
      <form ref={server.ref} onSubmit={submit} noValidate>
        <FormAlert errors={server.alert} titles={{ UNAUTHENTICATED: 'Sign-in failed', TOO_MANY_REQUESTS: 'Sign-in paused' }} />
        <TextField label="Email" type="email" autoComplete="username" required autoFocus {...form.register('email')} error={fieldError(errors, 'email')} />
        <TextField label="Password" type="password" autoComplete="current-password" required {...form.register('password')} error={fieldError(errors, 'password')} />
        {askOrganization ? (
          <TextField
            label="Organization ID"
            {...form.register('organizationId')}
            error={fieldError(errors, 'organizationId')}
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
