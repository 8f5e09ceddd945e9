// pretext serve's server: 127.0.0.1 by default, CSP + isolation headers on every answer, only the built files,
// traversal refused however it is spelled, 404 for the rest; and the command around it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP, requestKey, startStaticServer, type StaticServer } from './static-server.js';

const main = join(__dirname, '..', 'dist', 'cli', 'main.js');
let tmp: string;
let server: StaticServer;

/** A raw request: the path goes on the wire as written (no URL normalisation). */
function get(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'pretext-serve-'));
  mkdirSync(join(tmp, 'web', 'assets'), { recursive: true });
  writeFileSync(join(tmp, 'web', 'index.html'), '<!doctype html><title>playground</title>');
  writeFileSync(join(tmp, 'web', 'assets', 'app.js'), 'export {};');
  writeFileSync(join(tmp, 'secret.txt'), 'SECRET');
  const ckpt = join(tmp, 'run', 'checkpoint-7');
  mkdirSync(ckpt, { recursive: true });
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'trainer-state.json'])
    writeFileSync(join(ckpt, f), `{"file":"${f}"}`);
  server = await startStaticServer({ root: join(tmp, 'web'), port: 0, host: '127.0.0.1', run: join(tmp, 'run') });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('static server', () => {
  it('serves index.html at / with the CSP and cross-origin isolation headers', async () => {
    const r = await get(server.address.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>playground</title>');
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['content-security-policy']).toBe(CSP);
    expect(CSP).toMatch(/default-src 'self'/);
    expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it('serves built files with their type', async () => {
    const r = await get(server.address.port, '/assets/app.js');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%00index.html',
    '/%E0%A4%A',
  ])('refuses %s', async (path) => {
    const r = await get(server.address.port, path);
    expect(r.status).toBe(400);
    expect(r.body).not.toContain('SECRET');
    expect(r.headers['content-security-policy']).toBe(CSP);
  });

  it.each(['/assets/', '/assets', '/nothing.html', '/%252e%252e/secret.txt', '/secret.txt', '/run/trainer-state.json'])(
    'answers 404 for %s (no listing, nothing outside the build)',
    async (path) => {
      const r = await get(server.address.port, path);
      expect(r.status).toBe(404);
      expect(r.body).toBe('not found\n');
      expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
    },
  );

  it('refuses other methods', async () => {
    expect((await get(server.address.port, '/', 'POST')).status).toBe(405);
  });

  it("offers --run's newest checkpoint under run/ and says so in run.json", async () => {
    const info = await get(server.address.port, '/run.json');
    expect(JSON.parse(info.body)).toEqual({ available: true, name: 'run' });
    const config = await get(server.address.port, '/run/config.json');
    expect(config.status).toBe(200);
    expect(config.body).toBe('{"file":"config.json"}');
  });

  it('maps request paths to keys', () => {
    expect(requestKey('/')).toBe('index.html');
    expect(requestKey('/a/b.js?x=1#y')).toBe('a/b.js');
    expect(requestKey('/a/./b.js')).toBe('bad');
  });
});

describe('pretext serve', () => {
  it('listens on 127.0.0.1 by default and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, [main, 'serve', '--port', '0', '--dir', join(tmp, 'web')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => resolve(String(d)));
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const url = new URL(line.match(/http:\/\/\S+/)![0]);
    expect(url.hostname).toBe('127.0.0.1');
    expect((await get(Number(url.port), '/')).status).toBe(200);
    const code = await new Promise((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });

  it('a folder without a build is a one-line error, exit 2', () => {
    const r = spawnSync(process.execPath, [main, 'serve', '--port', '0', '--dir', tmp], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^pretext: .*has no index\.html/);
  });
});
