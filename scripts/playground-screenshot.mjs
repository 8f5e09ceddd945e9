// docs/playground.png, the README's picture of the playground: dist/web served as `pretext serve` serves it, causal LM
// on two sentences with its attention matrix open. Run after `npm run build && npm run build:web`.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startStaticServer } = await import(join(ROOT, 'dist/cli/static-server.js'));
const server = await startStaticServer({ root: join(ROOT, 'dist/web'), port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--font-render-hinting=none',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1000 }, deviceScaleFactor: 1 });
  const text = 'The cat sat on the mat. It purred softly.';
  await page.goto(`${server.url}#${new URLSearchParams({ objective: 'clm', seed: '5', epoch: '0', text })}`);
  await page.waitForSelector('body[data-ready=true]');
  await page.evaluate(() => document.querySelector('details.attention')?.setAttribute('open', ''));
  const box = await page.locator('main section').first().boundingBox();
  await page.screenshot({
    path: join(ROOT, 'docs/playground.png'),
    clip: { x: 0, y: 0, width: 1000, height: Math.min(1400, Math.ceil(box.y + box.height)) },
  });
  console.log('wrote docs/playground.png');
} finally {
  await browser.close();
  await server.close();
}
