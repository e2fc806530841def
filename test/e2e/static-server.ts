import { Worker } from 'node:worker_threads';
import { CONTENT_SECURITY_POLICY } from '../../main/app/security';

/**
 * The server, run in a thread of its own: in the app the renderer's files come from disk through
 * Electron's browser process, never waiting for the main process's JavaScript. On the harness's
 * own event loop they would wait behind every back-end call and start-up check the page's first
 * second makes (a file takes several turns of the loop to serve), and the screens' timings would
 * measure the harness. Plain JavaScript, because a worker given source runs it as it is.
 */
const SERVER_SOURCE = `
const { createReadStream, existsSync, statSync } = require('node:fs');
const { createServer } = require('node:http');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const base = path.resolve(workerData.root);
const server = createServer((req, res) => {
  const pathname = decodeURIComponent(new URL(req.url || '/', 'http://localhost').pathname);
  const file = path.resolve(base, '.' + (pathname === '/' ? '/index.html' : pathname));
  if (!file.startsWith(base + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('Not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[path.extname(file)] || 'application/octet-stream',
    'Content-Security-Policy': workerData.csp,
    'Cache-Control': 'no-store',
  });
  createReadStream(file).pipe(res);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'close') server.close(() => parentPort.close());
});
`;

/**
 * Serves the built renderer on 127.0.0.1 with the same Content-Security-Policy the app sends,
 * so a CSP violation fails the e2e tests just as it would break the app.
 */
export async function serveRenderer(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const worker = new Worker(SERVER_SOURCE, { eval: true, workerData: { root, csp: CONTENT_SECURITY_POLICY } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The renderer's file server stopped before it listened (exit ${code}).`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      // A browser keeping a connection open must not hold the test run: the thread ends regardless after a moment.
      const timer = setTimeout(() => void worker.terminate(), 1000);
      await exited;
      clearTimeout(timer);
    },
  };
}
