export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="progressbar" aria-label={label} />;
}

/** A full-area loading state with words, for pages waiting on their first data. */
export function PageLoading({ label }: { label: string }) {
  return (
    <div className="page-loading">
      <Spinner label={label} />
      <span>{label}</span>
    </div>
  );
}
