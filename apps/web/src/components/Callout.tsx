import type { ReactNode } from 'react';
import { Icon } from './Icon';

/** A message block in the page: info, warning or error, with optional actions. */
export function Callout({
  tone = 'info',
  title,
  children,
  actions,
  onDismiss,
  testId,
}: {
  tone?: 'info' | 'warning' | 'error' | 'success';
  title?: string;
  children?: ReactNode;
  actions?: ReactNode;
  onDismiss?: () => void;
  testId?: string;
}) {
  const urgent = tone === 'error' || tone === 'warning';
  return (
    <div className={`callout callout-${tone}`} role={urgent ? 'alert' : 'status'} data-testid={testId}>
      <Icon name={tone === 'info' || tone === 'success' ? 'info' : 'alert'} />
      <div className="callout-body">
        {title ? <p className="callout-title">{title}</p> : null}
        {children ? <div className="callout-text">{children}</div> : null}
        {actions ? <div className="callout-actions">{actions}</div> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss">
          <Icon name="x" size={16} />
        </button>
      ) : null}
    </div>
  );
}
