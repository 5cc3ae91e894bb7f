#!/usr/bin/env node
// Serves the built designer (dist/) on 127.0.0.1 with a /config.json naming the API, so one build
// runs against any installation. `npm run start -w @tandem/web`; the end-to-end tests and the
// benchmark start it in-process with `startDesignerServer`.
//
//   TANDEM_WEB_PORT  (default 5173)              where the designer listens
//   TANDEM_WEB_HOST  (default 127.0.0.1)
//   TANDEM_API_URL   (default http://127.0.0.1:3000)  the API the browser talks to (CORS: the API's
//                    TANDEM_API_CORS_ORIGINS must list the designer's origin)
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Starts the static server. Resolves with `{ url, port, close() }` once it listens.
 * `apiUrl` may be a function, read per request (tests start the designer before the API it names).
 * @param {{ port?: number, host?: string, apiUrl?: string | (() => string), root?: string }} [options]
 */
function startDesignerServer(options = {}) {
  const root = path.resolve(options.root ?? path.join(__dirname, '..', 'dist'));
  const host = options.host ?? '127.0.0.1';
  const apiUrl = typeof options.apiUrl === 'function' ? options.apiUrl : () => options.apiUrl ?? 'http://127.0.0.1:3000';
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    return Promise.reject(new Error(`no built designer in ${root}: run \`npm run build -w @tandem/web\` first`));
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://designer');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' }).end(JSON.stringify({ apiUrl: apiUrl() }));
      return;
    }
    let file = path.join(root, decodeURIComponent(url.pathname));
    // Never serve outside dist/; unknown paths get the app (client-side screens).
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    const ext = path.extname(file);
    // Hashed assets never change; index.html must always be fresh so a new build is picked up.
    const cache = url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': cache, 'x-content-type-options': 'nosniff' });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({ url: `http://${host}:${port}`, port, close: () => new Promise((r) => server.close(() => r(undefined))) });
    });
  });
}

module.exports = { startDesignerServer };

if (require.main === module) {
  const port = Number(process.env.TANDEM_WEB_PORT ?? 5173);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`tandem-web: TANDEM_WEB_PORT must be a port number (got "${process.env.TANDEM_WEB_PORT}")\n`);
    process.exit(2);
  }
  startDesignerServer({ port, host: process.env.TANDEM_WEB_HOST ?? '127.0.0.1', apiUrl: process.env.TANDEM_API_URL ?? 'http://127.0.0.1:3000' }).then(
    ({ url, close }) => {
      process.stdout.write(`Tandem flow designer: ${url} (API ${process.env.TANDEM_API_URL ?? 'http://127.0.0.1:3000'})\n`);
      const stop = () => void close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (e) => {
      process.stderr.write(`tandem-web: ${e.code === 'EADDRINUSE' ? `port ${port} is taken: set TANDEM_WEB_PORT to another one` : e.message}\n`);
      process.exit(1);
    },
  );
}
