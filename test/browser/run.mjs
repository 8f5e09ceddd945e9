// `npm run test:browser` (after `npm run build`): serve dist/ cross-origin isolated, open test/browser/index.html in
// headless Chromium, run the page's checks (page.mjs, worker.mjs) and the playground's (playground.mjs, on dist/web), print one line per check and the closing line
// "N passed, N failed"; exit 1 on any failure. Options: --screenshot FILE. Env: CHROMIUM (default /usr/bin/chromium).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { objectiveOutputs } from './objectives.case.mjs';
import { playgroundChecks } from './playground.mjs';
import { startServer } from './server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const TIMEOUT_MS = 180_000;

function finish(results) {
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail ? `: ${r.detail}` : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

async function main() {
  const built = ['dist/src/index.js', 'dist/src/engine/wasm/engine.simd.wasm', 'dist/web/index.html'].filter((f) => !existsSync(join(ROOT, f)));
  if (built.length) return [{ name: 'setup: dist/ is built', ok: false, detail: `missing ${built.join(', ')}; run \`npm run build && npm run build:web\`` }];
  if (!existsSync(CHROMIUM)) return [{ name: 'setup: Chromium is installed', ok: false, detail: `no ${CHROMIUM}; apt-get install chromium, or set CHROMIUM` }];
  const expected = objectiveOutputs(await import(join(ROOT, 'dist/src/index.js')));

  const server = await startServer(ROOT);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${server.origin}/test/browser/index.html`);
    await page.waitForFunction(() => window.pageReady === true, null, { timeout: 30_000 });
    const results = await page.evaluate((exp) => window.runChecks(exp), expected);
    const screenshot = process.argv.indexOf('--screenshot');
    if (screenshot > 0) await page.screenshot({ path: process.argv[screenshot + 1], fullPage: true });
    if (errors.length) console.log(errors.join('\n'));
    await page.close();
    return [...results, ...(await playgroundChecks(browser, ROOT))];
  } catch (e) {
    return [{ name: 'the page ran its checks', ok: false, detail: [String(e?.message ?? e).split('\n')[0], ...errors].join('; ') }];
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(finish, (e) => finish([{ name: 'the runner started Chromium and the server', ok: false, detail: String(e?.message ?? e) }]));
