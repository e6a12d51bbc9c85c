import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeWebsite, startFakeWebsite } from '../testing/fake-search-servers';
import {
  type FetchReadablePageOptions,
  fetchReadablePage,
  isPublicAddress,
  type ResolvedAddress,
} from './safe-fetch';
import { SearchError, UnsafeUrlError } from './types';

let site: FakeWebsite;
beforeAll(async () => {
  site = await startFakeWebsite();
});
beforeEach(() => {
  site.requests.length = 0;
});
afterAll(async () => {
  await site?.close();
});

/** A resolver for made-up names; it counts how often each was asked. */
function fakeDns(names: Record<string, string[] | (() => string[])>) {
  const asked: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    asked.push(hostname);
    const entry = names[hostname];
    const addresses = typeof entry === 'function' ? entry() : entry;
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, asked };
}

function read(url: string, options: Partial<FetchReadablePageOptions> = {}) {
  return fetchReadablePage(url, { signal: new AbortController().signal, timeoutMs: 2_000, ...options });
}

async function failureOf(reading: Promise<unknown>): Promise<unknown> {
  return reading.then(
    () => expect.fail('the page should not have been read'),
    (error: unknown) => error,
  );
}

describe('isPublicAddress', () => {
  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450::1'])(
    '%s is public',
    (ip) => expect(isPublicAddress(ip)).toBe(true),
  );

  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '2001:db8::1',
    'not-an-ip',
  ])('%s is not public', (ip) => expect(isPublicAddress(ip)).toBe(false));

  it('keeps 172.15 and 172.32 public (only 172.16/12 is private)', () => {
    expect(isPublicAddress('172.15.0.1')).toBe(true);
    expect(isPublicAddress('172.32.0.1')).toBe(true);
  });
});

describe('fetchReadablePage refuses', () => {
  // Every one of these is the fake website (or would be, were it not refused): without the rule the
  // page would be read, or at least tried, instead of refused before any connection.
  it.each([
    ['loopback', () => `http://127.0.0.1:${site.port}/article`],
    ['loopback written as one decimal number', () => `http://2130706433:${site.port}/article`],
    ['loopback written in hex', () => `http://0x7f000001:${site.port}/article`],
    ['loopback written in octal', () => `http://0177.0.0.1:${site.port}/article`],
    ['IPv6 loopback', () => `http://[::1]:${site.port}/article`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${site.port}/article`],
    ['the unspecified address', () => `http://0.0.0.0:${site.port}/article`],
    ['a private network', () => 'http://10.0.0.1/'],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['carrier-grade NAT', () => 'http://100.64.0.1/'],
  ])('%s', async (_what, url) => {
    const dns = fakeDns({});
    const error = await failureOf(read(url(), { lookup: dns.lookup, timeoutMs: 500 }));
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect(String(error)).toMatch(
      /^UnsafeUrlError: Refused to read http:\/\/.+: it points to a private or local address\.$/,
    );
    expect(site.requests).toEqual([]);
  });

  it('says which address it refused', async () => {
    const error = await failureOf(read('http://127.0.0.1/'));
    expect(error).toEqual(
      new UnsafeUrlError('Refused to read http://127.0.0.1/: it points to a private or local address.'),
    );
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/file.txt', 'data:text/html,<p>hi</p>'])(
    '%s (only http and https)',
    async (url) => {
      const error = await failureOf(read(url));
      expect(error).toBeInstanceOf(UnsafeUrlError);
      expect(String(error)).toContain('only http and https addresses can be read.');
    },
  );

  it('an address with a user name and password, without repeating the password', async () => {
    const error = await failureOf(read(`http://admin:hunter2@example.com/`));
    expect(error).toEqual(
      new UnsafeUrlError(
        'Refused to read http://example.com/: addresses with a user name or password are not read.',
      ),
    );
  });

  it('something that is not a URL', async () => {
    expect(await failureOf(read('not a url'))).toEqual(
      new UnsafeUrlError('Refused to read "not a url": it is not a web address.'),
    );
  });

  it('localhost, which resolves to loopback', async () => {
    const error = await failureOf(read(`http://localhost:${site.port}/article`));
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect(site.requests).toEqual([]);
  });

  it('a name that resolves to loopback', async () => {
    const dns = fakeDns({ 'evil.test': ['127.0.0.1'] });
    const error = await failureOf(read(`http://evil.test:${site.port}/article`, { lookup: dns.lookup }));
    expect(error).toEqual(
      new UnsafeUrlError(
        `Refused to read http://evil.test:${site.port}/article: it points to a private or local address.`,
      ),
    );
    expect(site.requests).toEqual([]);
  });

  it('a name with a public and a private address (the connection could pick either)', async () => {
    const dns = fakeDns({ 'mixed.test': ['93.184.216.34', '127.0.0.1'] });
    const error = await failureOf(read(`http://mixed.test:${site.port}/article`, { lookup: dns.lookup }));
    expect(error).toBeInstanceOf(UnsafeUrlError);
  });

  it('a redirect from an allowed page to a private address', async () => {
    // site.test stands for a public site here; the redirect it sends points to 127.0.0.1 by its IP.
    const dns = fakeDns({ 'site.test': ['127.0.0.1'] });
    const error = await failureOf(
      read(`http://site.test:${site.port}/redirect-to-private`, {
        lookup: dns.lookup,
        allowPrivate: ['site.test'],
      }),
    );
    expect(error).toEqual(
      new UnsafeUrlError(
        `Refused to read http://127.0.0.1:${site.port}/article: it points to a private or local address.`,
      ),
    );
    expect(site.requests.map((request) => request.path)).toEqual(['/redirect-to-private']);
  });
});

describe('fetchReadablePage reads', () => {
  it('a page as its title and readable text', async () => {
    const page = await read(`${site.url}/article`, { allowPrivate: true });
    expect(page).toEqual({
      url: `${site.url}/article`,
      title: 'Tides & the Moon',
      text: [
        'Home',
        'Why tides happen',
        'The Moon’s gravity pulls the oceans — twice a day.',
        '• High tide',
        '• Low tide',
        'Read more about spring tides.',
      ].join('\n'),
    });
  });

  it('the same page sent gzipped', async () => {
    const page = await read(`${site.url}/gzip`, { allowPrivate: true });
    expect(page.title).toBe('Tides & the Moon');
    expect(page.text).toContain('The Moon’s gravity pulls the oceans — twice a day.');
  });

  it('plain text', async () => {
    const page = await read(`${site.url}/notes.txt`, { allowPrivate: true });
    expect(page).toEqual({ url: `${site.url}/notes.txt`, title: '', text: 'Plain notes.\n\nSecond line.' });
  });

  it('through redirects, reporting where it ended up', async () => {
    const page = await read(`${site.url}/redirect?to=/article`, { allowPrivate: true });
    expect(page.url).toBe(`${site.url}/article`);
    expect(page.title).toBe('Tides & the Moon');
  });

  it('from the address it checked, without asking DNS again, and names the host to the site', async () => {
    // The second answer would be a rebinding attack; the connection must not ask for it.
    let answers = 0;
    const dns = fakeDns({ 'pinned.test': () => (answers++ === 0 ? ['127.0.0.1'] : ['10.255.255.1']) });
    const page = await read(`http://pinned.test:${site.port}/article`, {
      lookup: dns.lookup,
      allowPrivate: ['pinned.test'],
    });
    expect(page.title).toBe('Tides & the Moon');
    expect(dns.asked).toEqual(['pinned.test']);
    expect(site.requests[0]?.headers.host).toBe(`pinned.test:${site.port}`);
  });
});

describe('fetchReadablePage limits', () => {
  it('stops reading after maxBytes', async () => {
    const page = await read(`${site.url}/large`, {
      allowPrivate: true,
      maxBytes: 50_000,
      maxChars: 10_000_000,
    });
    expect(page.text).toContain('Paragraph 1 of a very long page.');
    expect(page.text).not.toContain('The very end.');
    expect(page.text.length).toBeLessThan(50_000);
  });

  it('keeps at most maxChars of text, marking the cut', async () => {
    const page = await read(`${site.url}/article`, { allowPrivate: true, maxChars: 40 });
    expect(page.text.length).toBeLessThanOrEqual(40);
    expect(page.text).toMatch(/^Home\nWhy tides happen\nThe Moon’s.*…$/);
  });

  it('refuses what is not a web page', async () => {
    const error = await failureOf(read(`${site.url}/report.pdf`, { allowPrivate: true }));
    expect(error).toEqual(new SearchError(`${site.url}/report.pdf is not a web page (application/pdf).`));
  });

  it('gives up after five redirects', async () => {
    const error = await failureOf(read(`${site.url}/loop/0`, { allowPrivate: true }));
    expect(error).toEqual(
      new SearchError(`Could not read ${site.url}/loop/5: it redirects more than 5 times.`),
    );
    expect(site.requests).toHaveLength(6);
  });

  it('says what the site answered when it is not a page', async () => {
    const error = await failureOf(read(`${site.url}/missing`, { allowPrivate: true }));
    expect(error).toEqual(new SearchError(`Could not read ${site.url}/missing: the site answered HTTP 404.`));
  });

  it('gives up when the site does not answer in time', async () => {
    const error = await failureOf(read(`${site.url}/slow`, { allowPrivate: true, timeoutMs: 300 }));
    expect(error).toEqual(
      new SearchError(`Could not read ${site.url}/slow: the site did not answer within 0.3 s.`),
    );
  });

  it("throws the caller's own abort as it is", async () => {
    const controller = new AbortController();
    const reading = fetchReadablePage(`${site.url}/slow`, { signal: controller.signal, allowPrivate: true });
    const reason = new Error('the comparison was stopped');
    setTimeout(() => controller.abort(reason), 50);
    expect(await failureOf(reading)).toBe(reason);
  });

  it('says when a name does not exist', async () => {
    const dns = fakeDns({});
    const error = await failureOf(read('https://nowhere.test/', { lookup: dns.lookup }));
    expect(error).toEqual(
      new SearchError('Could not read https://nowhere.test/: the name nowhere.test was not found.'),
    );
  });
});
