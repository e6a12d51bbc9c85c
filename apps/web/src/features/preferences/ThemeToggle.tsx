import type { TTheme } from '@compareintel/shared';
import { Icon, type IconName } from '../../components/Icon';
import { useThemeChoice } from './use-theme-choice';

const NEXT: Record<TTheme, TTheme> = { light: 'dark', dark: 'system', system: 'light' };
const ICON: Record<TTheme, IconName> = { light: 'sun', dark: 'moon', system: 'monitor' };
const LABEL: Record<TTheme, string> = { light: 'Light', dark: 'Dark', system: 'System' };

/** Quick theme switch in the header: light → dark → system. */
export function ThemeToggle() {
  const [theme, choose] = useThemeChoice();
  return (
    <button
      type="button"
      className="icon-button"
      onClick={() => choose(NEXT[theme])}
      aria-label={`Theme: ${LABEL[theme]}. Switch to ${LABEL[NEXT[theme]]}`}
      title={`Theme: ${LABEL[theme]}`}
      data-testid="theme-toggle"
    >
      <Icon name={ICON[theme]} />
    </button>
  );
}
