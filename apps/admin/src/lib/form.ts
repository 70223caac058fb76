import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useState } from 'react';
import { get, useForm } from 'react-hook-form';
import type { FieldErrors, FieldValues, Path, UseFormProps, UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { useErrorFocus } from '../components/forms';
import { NO_ERRORS, readErrors } from './errors';
import type { FormErrors } from './errors';

/**
 * Every form of the app: react-hook-form with a zod schema for what the browser can check,
 * and the server's refusals mapped onto the same fields.
 *
 *   const form = useZodForm(schema, { defaultValues });
 *   const server = useServerErrors(form);
 *   <form ref={server.ref} onSubmit={form.handleSubmit(async (v) => { try { … } catch (e) { server.apply(e, KNOWN) } })}>
 *     <FormAlert errors={server.alert} />
 *     <TextField {...form.register('name')} error={fieldError(form.formState.errors, 'name')} />
 */
export function useZodForm<TSchema extends z.ZodType<FieldValues, FieldValues>>(
  schema: TSchema,
  options?: Omit<UseFormProps<z.input<TSchema>, unknown, z.output<TSchema>>, 'resolver'>,
): UseFormReturn<z.input<TSchema>, unknown, z.output<TSchema>> {
  return useForm<z.input<TSchema>, unknown, z.output<TSchema>>({
    ...options,
    resolver: zodResolver(schema),
  });
}

/** The message at `path` (`name`, `availability.3`, `hours.2`), if any. */
export function fieldError(errors: FieldErrors, path: string): string | undefined {
  const e = get(errors, path) as { message?: unknown; root?: { message?: unknown } } | undefined;
  if (!e) return undefined;
  if (typeof e.message === 'string' && e.message) return e.message;
  if (typeof e.root?.message === 'string' && e.root.message) return e.root.message;
  return undefined;
}

/** Every message under `errors` as `path → message` (`availability.3.start` → …), for editors that show rows. */
export function flattenErrors(errors: FieldErrors, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n.message === 'string' && n.message && path) out[path] ??= n.message;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'message' || k === 'type' || k === 'ref' || k === 'types') continue;
      walk(v, k === 'root' ? path : path ? `${path}.${k}` : k);
    }
  };
  walk(prefix ? get(errors, prefix) : errors, prefix);
  return out;
}

export interface ServerErrors {
  /** What FormAlert shows: the form-level message and the error's code. */
  alert: FormErrors;
  /** Puts a failed operation's field errors on the form's fields, the rest in `alert`. */
  apply(error: unknown, known: string[], rename?: (field: string) => string): FormErrors;
  clear(): void;
  /** The form element: after a refusal, focus goes to the first field to fix, or to the alert. */
  ref: ReturnType<typeof useErrorFocus>;
}

/**
 * The server's refusal on the form: BAD_USER_INPUT / CONFLICT with `extensions.field`,
 * `issues` or validationErrors land on the named fields (react-hook-form's setError, so the
 * next submit's validation clears them); anything else is the form's alert, led by its code.
 */
export function useServerErrors<T extends FieldValues, TOut>(form: UseFormReturn<T, unknown, TOut>): ServerErrors {
  const [alert, setAlert] = useState<FormErrors>(NO_ERRORS);
  const ref = useErrorFocus(alert);
  const { setError } = form;
  const apply = useCallback(
    (error: unknown, known: string[], rename?: (field: string) => string) => {
      const e = readErrors(error, known);
      for (const [field, message] of Object.entries(e.fields)) {
        // The server names paths of the input it received; the form's paths are the same by design.
        setError((rename ? rename(field) : field) as Path<T>, { type: 'server', message });
      }
      setAlert(e);
      return e;
    },
    [setError],
  );
  const clear = useCallback(() => setAlert(NO_ERRORS), []);
  return { alert, apply, clear, ref };
}

/** `''` and whitespace → null: optional text fields the API takes as absent. */
export function optionalText(value: string | undefined | null): string | null {
  const v = value?.trim();
  return v ? v : null;
}
