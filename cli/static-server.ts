// The playground's server (pretext serve): node:http, only the files of the built folder (listed once at start, so
// a request path is looked up, never joined onto the disk path), plus a run's checkpoint under run/. Every answer
// carries the Content-Security-Policy and the cross-origin isolation headers (SharedArrayBuffer, engine threads).
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, extname, join, relative, sep } from 'node:path';
import { checkpointDir } from './train-run.js';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.safetensors': 'application/octet-stream',
};

/** The checkpoint files the page loads from run/. */
const RUN_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'];

export interface StaticServerOptions {
  /** the built playground (dist/web) */
  root: string;
  port: number;
  host: string;
  /** a `pretext train` run or checkpoint folder, offered to the page under run/ */
  run?: string;
}

export interface StaticServer {
  url: string;
  address: { address: string; port: number };
  close(): Promise<void>;
}

/** Relative paths (with '/') of the regular files under `root`. */
function listFiles(root: string): Set<string> {
  const out = new Set<string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.add(relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return out;
}

/** The request's path as a file key, or 'bad' for traversal, NUL, backslashes or undecodable escapes. */
export function requestKey(url: string | undefined): string | 'bad' {
  const raw = (url ?? '/').split(/[?#]/)[0];
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return 'bad';
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.')) return 'bad';
  const key = path.replace(/^\/+/, '');
  return key === '' ? 'index.html' : key;
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  head = false,
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

export function startStaticServer(o: StaticServerOptions): Promise<StaticServer> {
  const files = listFiles(o.root);
  const runName = o.run ? basename(o.run.replace(/[/\\]+$/, '')) : undefined;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) return send(res, 405, 'method not allowed\n');
    const key = requestKey(req.url);
    if (key === 'bad') return send(res, 400, 'bad path\n', undefined, head);
    if (key === 'run.json' && o.run)
      return send(res, 200, JSON.stringify({ available: true, name: runName }), TYPES['.json'], head);
    let body: Buffer;
    try {
      if (o.run && key.startsWith('run/') && RUN_FILES.includes(key.slice(4)))
        body = readFileSync(join(checkpointDir(o.run), key.slice(4)));
      else if (files.has(key)) body = readFileSync(join(o.root, ...key.split('/')));
      else return send(res, 404, 'not found\n', undefined, head);
    } catch {
      return send(res, 404, 'not found\n', undefined, head);
    }
    send(res, 200, body, TYPES[extname(key)] ?? 'application/octet-stream', head);
  };
  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      const a = server.address() as { address: string; port: number };
      const host = a.address.includes(':') ? `[${a.address}]` : a.address;
      resolve({
        url: `http://${host}:${a.port}/`,
        address: a,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
