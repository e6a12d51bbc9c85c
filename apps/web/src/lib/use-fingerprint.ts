import { useEffect, useState } from 'react';
import { browserFingerprint } from './fingerprint';

/** The browser fingerprint once computed (undefined before, or where Web Crypto is missing). */
export function useFingerprint(): string | undefined {
  const [fingerprint, setFingerprint] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void browserFingerprint().then((value) => {
      if (live && value) setFingerprint(value);
    });
    return () => {
      live = false;
    };
  }, []);
  return fingerprint;
}
