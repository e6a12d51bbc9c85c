import { MAX_PROMPT_CHARS } from '@compareintel/shared';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { Icon } from '../../components/Icon';
import './card-actions.css';

/**
 * "Reply to <model>": a follow-up sent to this model alone, in the same conversation (the other columns
 * have no answer for that turn). Opens from the card's footer; a refused reply comes back as `restore`.
 */
export function ModelReplyBox({
  modelName,
  disabled,
  restore,
  onSend,
  onClose,
  estimate,
}: {
  modelName: string;
  /** A run is in flight: nothing can be sent until it ends. */
  disabled: boolean;
  /** A prompt the API refused, given back to the box it came from. */
  restore: string | null;
  onSend: (prompt: string) => void;
  onClose: () => void;
  /** What the reply would cost, for the prompt typed so far. */
  estimate?: ((prompt: string) => ReactNode) | undefined;
}) {
  const id = useId();
  const [text, setText] = useState(restore ?? '');
  useEffect(() => {
    if (restore) setText((current) => current || restore);
  }, [restore]);
  const prompt = text.trim();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!prompt || disabled) return;
    onSend(prompt);
    setText('');
  };

  return (
    <form className="model-reply" onSubmit={submit} aria-label={`Reply to ${modelName}`}>
      <label htmlFor={id} className="sr-only">
        Reply to {modelName} only
      </label>
      <textarea
        id={id}
        value={text}
        maxLength={MAX_PROMPT_CHARS}
        placeholder={`Reply to ${modelName} only…`}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
          if (event.key === 'Escape') onClose();
        }}
        // biome-ignore lint/a11y/noAutofocus: opened on purpose by "Reply to this model"
        autoFocus
      />
      <div className="model-reply-actions">
        {estimate ? <span className="model-reply-estimate">{estimate(text)}</span> : null}
        <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary btn-sm" disabled={!prompt || disabled}>
          <Icon name="send" size={14} />
          Send to {modelName}
        </button>
      </div>
    </form>
  );
}
