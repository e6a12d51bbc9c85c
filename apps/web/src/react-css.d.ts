import 'react';

declare module 'react' {
  /** CSS custom properties set inline (e.g. `--avatar-hue`), typed instead of cast. */
  interface CSSProperties {
    [variable: `--${string}`]: string | number | undefined;
  }
}
