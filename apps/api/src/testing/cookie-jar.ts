import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../router';

interface StoredCookie {
  value: string;
  /** The whole Set-Cookie line that set it, for assertions on its attributes. */
  setCookie: string;
}

/** A browser's cookie store, reduced to what these tests need: one origin, expiry honoured on set. */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  get(name: string): StoredCookie | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, cookie]) => `${name}=${cookie.value}`).join('; ');
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const split = pair.indexOf('=');
      const name = pair.slice(0, split);
      const value = pair.slice(split + 1);
      const expired = attributes.some((attribute) => {
        const [key = '', raw = ''] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') return Number(raw) <= 0;
        if (key.toLowerCase() === 'expires') return new Date(raw).getTime() <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, setCookie: line });
    }
  }

  /** `fetch` that sends and stores this jar's cookies. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.header());
    const response = await fetch(input, { ...init, headers });
    this.store(response);
    return response;
  };
}

/** A typed tRPC client over real HTTP with its own cookie jar, like one browser. */
export function createBrowserClient(
  baseUrl: string,
  jar: CookieJar = new CookieJar(),
  headers: Record<string, string> = {},
) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/trpc`, fetch: jar.fetch, headers: () => headers })],
  });
}

export type BrowserClient = ReturnType<typeof createBrowserClient>;

/** A typed client for Node programs that sign in with `auth.createToken` and send the bearer token. */
export function createBearerClient(baseUrl: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) })],
  });
}
