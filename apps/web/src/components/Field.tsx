import { PASSWORD_RULE } from '@compareintel/shared';
import { type InputHTMLAttributes, useId } from 'react';

/** A labelled input with its hint and its error sentences right under it (linked for screen readers). */
export function Field({
  label,
  hint,
  errors,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; errors?: readonly string[] }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        className="input"
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <div id={`${id}-error`} className="field-error">
          {errors.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** A field for choosing a password: hidden input, the password rule as its hint, new-password autofill. */
export function NewPasswordField(props: Omit<Parameters<typeof Field>[0], 'type' | 'hint' | 'autoComplete'>) {
  return <Field type="password" autoComplete="new-password" hint={PASSWORD_RULE} {...props} />;
}

type PresetFieldProps = Omit<Parameters<typeof Field>[0], 'type' | 'autoComplete'>;

export function EmailField(props: PresetFieldProps) {
  return <Field type="email" autoComplete="email" {...props} />;
}

/** A password typed to prove who you are (sign in, change password, delete account). */
export function CurrentPasswordField(props: PresetFieldProps) {
  return <Field type="password" autoComplete="current-password" {...props} />;
}
