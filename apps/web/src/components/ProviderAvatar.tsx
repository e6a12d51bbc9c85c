/** A provider's initials on a colour derived from its name, so each provider is recognisable at a glance. */
function hueOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hash;
}

function initialsOf(provider: string): string {
  const words = provider.split(/[\s-]+/).filter(Boolean);
  const letters = words.length > 1 ? `${words[0]?.[0] ?? ''}${words[1]?.[0] ?? ''}` : provider.slice(0, 2);
  return letters.toUpperCase();
}

export function ProviderAvatar({ provider, size = 'md' }: { provider: string; size?: 'sm' | 'md' }) {
  return (
    <span className={`avatar avatar-${size}`} style={{ '--avatar-hue': hueOf(provider) }} aria-hidden="true">
      {initialsOf(provider)}
    </span>
  );
}
