/**
 * A round-robin HTTP reverse proxy on loopback for the compare benchmark, in its own process (like the
 * fake upstream) so that its work is not counted as the bench client's. Each request goes to the next
 * backend of PROXY_BACKENDS (comma-separated base URLs); bodies stream through both ways without
 * buffering (SSE frames reach the client as the API writes them) and headers pass unchanged, except the
 * hop-by-hop ones. Every answer says which backend served it in `x-bench-backend` (its index), so the
 * bench can tell whether a run's start and its events were served by different processes.
 * The base URL is printed as the first line.
 */
import { Agent, createServer, type IncomingHttpHeaders, request } from 'node:http';
import { serveOnLoopback } from './lib/serve-on-loopback';

const backends = (process.env.PROXY_BACKENDS ?? '')
  .split(',')
  .filter(Boolean)
  .map((url) => new URL(url));
if (backends.length === 0) throw new Error('PROXY_BACKENDS must name at least one backend');

// Hop-by-hop headers describe one connection, not the message (RFC 9110 §7.6.1).
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer'];
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept = { ...headers };
  for (const name of HOP_BY_HOP) delete kept[name];
  return kept;
}

// Connections to the backends are kept and reused, as a load balancer's are.
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
let next = 0;

const server = createServer((req, res) => {
  const index = next;
  next = (next + 1) % backends.length;
  const backend = backends[index];
  if (!backend) {
    res.writeHead(502).end();
    return;
  }
  const upstream = request(
    {
      agent,
      host: backend.hostname,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers: endToEnd(req.headers),
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...endToEnd(answer.headers), 'x-bench-backend': index });
      // The headers go out now: a stream may stay quiet for a while after them.
      res.flushHeaders();
      answer.pipe(res);
    },
  );
  upstream.setNoDelay(true);
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: backend ${index} failed: ${error.message}`);
  });
  // A client that leaves closes its stream on the backend too (the API then stops following the run).
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
});
serveOnLoopback(server);
