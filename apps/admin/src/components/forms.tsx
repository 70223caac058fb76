import { useEffect, useId, useRef } from 'react';
import type { ComponentPropsWithRef, ReactNode } from 'react';
import { codeLabel } from '../lib/errors';
import type { FormErrors } from '../lib/errors';

interface FieldShellProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: ReactNode;
  className?: string;
}

function FieldShell({ id, label, hint, error, required, children, className }: FieldShellProps) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? null : <span className="optional"> (optional)</span>}
      </label>
      {children}
      {hint && !error ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A stable id for a field; React's useId has characters CSS selectors dislike. */
export function useFieldId(name: string): string {
  return `f${useId().replace(/[^a-zA-Z0-9_-]/g, '')}-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  if (error) return `${id}-error`;
  if (hint) return `${id}-hint`;
  return undefined;
}

/** The attributes every field's control carries: its id, name, and what it is described and marked invalid by. */
function useControl(name: string, hint: ReactNode, error: string | undefined, required: boolean | undefined) {
  const id = useFieldId(name);
  return {
    id,
    control: { id, name, required, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(id, hint, error) },
  };
}

/** The props of an input plus `ref` (React 19 passes it as a prop): react-hook-form's register() spreads onto it. */
type TextFieldProps = Omit<ComponentPropsWithRef<'input'>, 'id'> & {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
};

export function TextField({ label, name, error, hint, required, className, ...rest }: TextFieldProps) {
  const { id, control } = useControl(name, hint, error, required);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required} className={className}>
      <input {...control} {...rest} />
    </FieldShell>
  );
}

type SelectFieldProps = Omit<ComponentPropsWithRef<'select'>, 'id'> & {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
};

export function SelectField({ label, name, error, hint, required, className, children, ...rest }: SelectFieldProps) {
  const { id, control } = useControl(name, hint, error, required);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required} className={className}>
      <select {...control} {...rest}>
        {children}
      </select>
    </FieldShell>
  );
}

type TextAreaFieldProps = Omit<ComponentPropsWithRef<'textarea'>, 'id'> & {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
};

export function TextAreaField({ label, name, error, hint, required, className, ...rest }: TextAreaFieldProps) {
  const { id, control } = useControl(name, hint, error, required);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required} className={className}>
      <textarea {...control} {...rest} />
    </FieldShell>
  );
}

/**
 * After a refused submit, focus goes to the first field to fix, or to the form's
 * message when no field is named: keyboard and screen-reader users land on the problem.
 */
export function useErrorFocus(errors: FormErrors) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const form = ref.current;
    if (!form) return;
    const field = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (field) field.focus();
    else if (errors.form) form.querySelector<HTMLElement>('[role="alert"]')?.focus();
  }, [errors]);
  return ref;
}

/**
 * The form-level message: a title in words for the error's code, the server's sentence below.
 * The raw code (UNAUTHENTICATED, FORBIDDEN…) is never shown; it stays on `data-code` for tests.
 */
export function FormAlert({ errors, titles }: { errors: FormErrors; titles?: Record<string, string> }) {
  if (!errors.form) return null;
  return (
    <div className="alert alert--error" role="alert" tabIndex={-1} data-code={errors.code ?? undefined}>
      <strong>{(errors.code && titles?.[errors.code]) ?? codeLabel(errors.code)}</strong>
      <p>{errors.form}</p>
    </div>
  );
}

export function SubmitButton({ busy, children, busyLabel }: { busy: boolean; children: ReactNode; busyLabel?: string }) {
  return (
    <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy || undefined}>
      {busy ? (busyLabel ?? 'Saving…') : children}
    </button>
  );
}
