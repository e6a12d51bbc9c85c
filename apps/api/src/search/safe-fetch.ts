import { lookup as systemLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, request } from 'undici';
import { isPublicAddress } from './public-address';
import { capText, collapseWhitespace, htmlToReadableText } from './readable-text';
import { formatSeconds } from './search-api-request';
import { type ReadablePage, SearchError, UnsafeUrlError } from './types';

export { isPublicAddress } from './public-address';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** How a hostname becomes addresses (default: the system resolver, like every other connection). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface FetchReadablePageOptions {
  signal: AbortSignal;
  /** For the whole read, redirects included. Default: 10 s. */
  timeoutMs?: number;
  /** Bytes read at most (after decompression); the rest of the page is never downloaded. Default: 1 MB. */
  maxBytes?: number;
  /** Characters of readable text kept. Default: 12,000. */
  maxChars?: number;
  /** Tests only: true lets every hostname lead to a private address, a list only these hostnames. */
  allowPrivate?: boolean | readonly string[];
  lookup?: HostLookup;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const READABLE_TYPES = new Set(['text/html', 'application/xhtml+xml', 'text/plain']);

const defaultLookup: HostLookup = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

/** The URL as a sentence shows it: never a user name or password, never endless. */
function shown(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return capText(copy.href, 200);
}

function errorCode(error: unknown): string | null {
  const code = error instanceof Error && 'code' in error ? error.code : null;
  return typeof code === 'string' ? code : null;
}

/** Waits for `promise` unless `signal` aborts first (the DNS resolver takes no signal). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * The addresses `url` may be read from: http(s) only, no credentials, and every address its hostname
 * resolves to public (one private answer among public ones is enough to refuse: the connection could
 * pick it).
 */
async function checkedAddresses(url: URL, options: FetchReadablePageOptions): Promise<ResolvedAddress[]> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsafeUrlError(`Refused to read ${shown(url)}: only http and https addresses can be read.`);
  }
  if (url.username || url.password) {
    throw new UnsafeUrlError(
      `Refused to read ${shown(url)}: addresses with a user name or password are not read.`,
    );
  }
  // The URL parser has already turned 2130706433, 0x7f000001 and 0177.0.0.1 into 127.0.0.1.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (isIP(hostname)) addresses = [{ address: hostname, family: isIP(hostname) }];
  else {
    try {
      addresses = await (options.lookup ?? defaultLookup)(hostname);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOTFOUND' || code === 'ENODATA') {
        throw new SearchError(`Could not read ${shown(url)}: the name ${hostname} was not found.`);
      }
      throw new SearchError(`Could not read ${shown(url)}: the name ${hostname} could not be looked up.`);
    }
  }
  if (addresses.length === 0) {
    throw new SearchError(`Could not read ${shown(url)}: the name ${hostname} was not found.`);
  }
  const allowed = options.allowPrivate === true || (options.allowPrivate || []).includes(hostname);
  if (!allowed && addresses.some((resolved) => !isPublicAddress(resolved.address))) {
    throw new UnsafeUrlError(`Refused to read ${shown(url)}: it points to a private or local address.`);
  }
  return addresses;
}

/** A connection pool that reaches only the addresses already checked: no second lookup to rebind. */
function pinnedAgent(addresses: ResolvedAddress[]): Agent {
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : null;
    const usable = addresses.filter((resolved) => family === null || resolved.family === family);
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('No checked address of that family'), { code: 'ENOTFOUND' }), '');
    } else if (lookupOptions.all) callback(null, usable);
    else callback(null, first.address, first.family);
  };
  return new Agent({ connect: { lookup }, connections: 1 });
}

function decompressed(body: Readable, encoding: string | undefined): Readable {
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null;
  // pipeline destroys every stream when one fails, so an aborted download also ends the reading.
  return decoder ? pipeline(body, decoder, () => undefined) : body;
}

/** At most `maxBytes` of the body; reading stops there and the connection is dropped. */
async function readCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(bytes);
    size += bytes.length;
    if (size >= maxBytes) break;
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

function decodeText(bytes: Buffer, contentType: string): string {
  const head = bytes.subarray(0, 2048).toString('latin1');
  const charset =
    /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads a web page for a model (the `fetch_url` tool) without letting it reach what the server can but
 * the public cannot (SSRF): see `checkedAddresses`. Redirects are followed by hand, each target checked
 * the same way; time and size are capped. Failures are `SearchError`s with a sentence the model reads.
 */
export async function fetchReadablePage(
  url: string,
  options: FetchReadablePageOptions,
): Promise<ReadablePage> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 1_000_000;
  const maxChars = options.maxChars ?? 12_000;
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new UnsafeUrlError(`Refused to read "${capText(url, 200)}": it is not a web address.`);
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  try {
    for (let redirects = 0; ; redirects++) {
      const addresses = await untilAborted(checkedAddresses(current, options), signal);
      const agent = pinnedAgent(addresses);
      try {
        const answer = await request(current, {
          dispatcher: agent,
          method: 'GET',
          headers: {
            accept: 'text/html, application/xhtml+xml, text/plain;q=0.9, */*;q=0.1',
            'accept-encoding': 'gzip, deflate, br',
            'user-agent': 'Mozilla/5.0 (compatible; CompareIntel/1.0; reads pages for model answers)',
          },
          signal,
        });
        // A body left unread (a redirect, a refused type, the rest of a capped page) still errors when
        // the signal aborts later; nobody is reading it any more.
        answer.body.on('error', () => undefined);
        const location = headerText(answer.headers.location);
        if (REDIRECT_STATUSES.has(answer.statusCode) && location) {
          answer.body.destroy();
          if (redirects === MAX_REDIRECTS) {
            throw new SearchError(
              `Could not read ${shown(current)}: it redirects more than ${MAX_REDIRECTS} times.`,
            );
          }
          current = new URL(location, current);
          continue;
        }
        if (answer.statusCode < 200 || answer.statusCode >= 300) {
          answer.body.destroy();
          throw new SearchError(
            `Could not read ${shown(current)}: the site answered HTTP ${answer.statusCode}.`,
          );
        }
        const contentType = headerText(answer.headers['content-type']) ?? '';
        const mediaType = contentType.split(';')[0]?.trim().toLowerCase() || 'no content type';
        if (!READABLE_TYPES.has(mediaType)) {
          answer.body.destroy();
          throw new SearchError(`${shown(current)} is not a web page (${mediaType}).`);
        }
        const encoding = headerText(answer.headers['content-encoding'])?.trim().toLowerCase();
        const text = decodeText(await readCapped(decompressed(answer.body, encoding), maxBytes), contentType);
        const page =
          mediaType === 'text/plain'
            ? { title: '', text: collapseWhitespace(text) }
            : htmlToReadableText(text);
        return { url: shown(current), title: capText(page.title, 300), text: capText(page.text, maxChars) };
      } finally {
        agent.destroy().catch(() => undefined);
      }
    }
  } catch (error) {
    if (error instanceof SearchError) throw error;
    if (options.signal.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new SearchError(
        `Could not read ${shown(current)}: the site did not answer within ${formatSeconds(timeoutMs)}.`,
      );
    }
    if (error instanceof TypeError && errorCode(error) === 'ERR_INVALID_URL') {
      throw new SearchError(
        `Could not read ${shown(current)}: it redirects to an address that is not valid.`,
      );
    }
    const code = errorCode(error);
    throw new SearchError(
      `Could not read ${shown(current)}: the site could not be reached${code ? ` (${code})` : ''}.`,
    );
  }
}
