import type { z } from 'zod';

export type FieldErrors = Record<string, string[]>;

/** Check a form against the API's own input schema before sending, so errors show next to the fields. */
export function validateForm<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; data: T } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  return { ok: false, errors };
}
