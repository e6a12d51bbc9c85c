import type { Server } from 'node:http';

/** Listen on a free loopback port, print the base URL as the first line, and close on SIGTERM. */
export function serveOnLoopback(server: Server): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    console.log(`http://127.0.0.1:${port}`);
  });
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
