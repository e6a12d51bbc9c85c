/**
 * The floor of the compare benchmark: what any Node process in the path costs. A bare pass-through
 * proxy (node:http, its own process) that forwards every request to PROXY_UPSTREAM (an origin) and pipes
 * the answer back, parsing nothing: the bench streams the same models through it as through the API and
 * divides the CPU time of each process by the comparisons it served. Connections to the upstream are
 * kept alive (as the API's are). The base URL is printed as the first line.
 */
import { Agent, createServer, request } from 'node:http';
import { serveOnLoopback } from './lib/serve-on-loopback';

const upstream = new URL(process.env.PROXY_UPSTREAM ?? '');
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

const server = createServer((req, res) => {
  const forwarded = request(
    {
      agent,
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forwarded.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${error.message}`);
  });
  res.on('close', () => {
    if (!res.writableFinished) forwarded.destroy();
  });
  req.pipe(forwarded);
});
serveOnLoopback(server);
