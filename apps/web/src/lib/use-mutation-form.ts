import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { readError } from './errors';
import { type FieldErrors, validateForm } from './form';

interface FormMutation<T> {
  mutate(variables: T): void;
  reset(): void;
  error: unknown;
}

/**
 * The life of a form that sends one mutation: validate with the API's own schema before sending,
 * show field errors next to the fields (ours or the API's), clear them as soon as the user types, and
 * show any other failure as one sentence.
 */
export function useMutationForm() {
  const [errors, setErrors] = useState<FieldErrors>({});
  return {
    errors,
    setErrors,
    /** Pass as the mutation's `onError`: the API's field errors go next to the fields. */
    showServerErrors: (error: unknown) => setErrors(readError(error).fieldErrors),
    /** Props for the <form>; `onValid` defaults to sending the mutation. */
    formProps<T>(
      schema: z.ZodType<T>,
      read: () => unknown,
      mutation: FormMutation<T>,
      onValid: (data: T) => void = (data) => mutation.mutate(data),
    ) {
      return {
        noValidate: true,
        onChange: () => {
          setErrors({});
          mutation.reset();
        },
        onSubmit: (event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          const checked = validateForm(schema, read());
          setErrors(checked.ok ? {} : checked.errors);
          if (checked.ok) onValid(checked.data);
        },
      };
    },
    /** The mutation's failure as one sentence, unless it is already shown next to the fields. */
    errorMessage(mutation: { error: unknown }): string | null {
      return mutation.error && Object.keys(errors).length === 0 ? readError(mutation.error).message : null;
    },
  };
}
