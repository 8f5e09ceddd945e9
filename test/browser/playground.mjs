// The playground's checks (run by run.mjs after the core checks): dist/web under the same server as `pretext serve`
// (cli/static-server.ts), against the CLI on the same inputs. Returns [{ name, ok, detail }]; screenshots go to
// test-results/. Needs `npm run build:web` (test:browser runs it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TEXT = 'The quick brown fox jumps over the lazy dog while the farmer watches from the porch. It was a sunny day. The dog slept by the door.';
const FILL = 'The man went to the [MASK] .';

export async function playgroundChecks(browser, root) {
  const results = [];
  const record = (name, ok, detail = '') => results.push({ name: `(d) playground: ${name}`, ok: Boolean(ok), detail });
  const cli = (...args) => execFileSync('node', [join(root, 'dist/cli/main.js'), ...args], { encoding: 'utf8' });
  const { startStaticServer } = await import(join(root, 'dist/cli/static-server.js'));
  const api = await import(join(root, 'dist/src/index.js'));
  const tmp = mkdtempSync(join(tmpdir(), 'pretext-web-'));
  const shots = join(root, 'test-results');
  mkdirSync(shots, { recursive: true });
  const server = await startStaticServer({ root: join(root, 'dist/web'), port: 0, host: '127.0.0.1', run: join(tmp, 'run') });
  const origin = server.url.replace(/\/$/, '');
  const outside = [];
  const errors = [];
  const watch = (page, own) => {
    page.on('request', (r) => !r.url().startsWith(own) && !r.url().startsWith(`blob:${own}`) && !r.url().startsWith('data:') && outside.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
  };
  const guard = async (name, f) => {
    try {
      await f();
    } catch (e) {
      record(name, false, String(e?.message ?? e).split('\n')[0]);
    }
  };
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  watch(page, origin);
  try {
    await guard('loads and starts the engine', async () => {
      const t0 = Date.now();
      await page.goto(`${origin}/`);
      await page.waitForSelector('body[data-ready=true]');
      const ms = Date.now() - t0;
      const status = page.locator('#engine-status');
      const ok = (await status.getAttribute('data-engine')) === 'wasm' && (await status.getAttribute('data-threads')) === '2';
      record('pretext serve: cross-origin isolated, the wasm engine on 2 threads in the worker', ok, `${await status.textContent()}; ready ${ms} ms after navigation (not a timed check)`);
    });
    await objectiveChecks(page, api, cli, record, guard, shots);
    await stateChecks(page, cli, record, guard);
    await modelChecks(page, cli, record, guard, tmp, origin);
    await guard('readable at phone width', async () => {
      await page.setViewportSize({ width: 360, height: 800 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: join(shots, 'playground-phone.png'), fullPage: false });
      record('readable at phone width: nothing wider than a 360 px screen', width <= 360, `scroll width ${width} px`);
      await page.setViewportSize({ width: 1100, height: 900 });
    });
    await guard('keyboard', async () => {
      await page.focus('#text');
      const seen = new Set();
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        seen.add(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
      }
      const want = ['objective', 'seed', 'resample', 'run-files', 'fill', 'train-start'];
      const missing = want.filter((id) => !seen.has(id));
      record('keyboard: Tab reaches the objective, seed, resample, run, fill-mask and train controls', missing.length === 0, missing.length ? `not reached: ${missing.join(', ')}` : `${seen.size} distinct stops`);
    });
    await modelKindChecks(page, root, record, guard, tmp);
    await fallbackCheck(browser, root, record, guard, watch);
  } finally {
    record('no request leaves the origin', outside.length === 0, outside.slice(0, 3).join(', '));
    record('the console has no error', errors.length === 0, errors.slice(0, 3).join(' | '));
    await context.close();
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

// T5 span filling, ELECTRA replaced-token scores and SimCSE similarity: small random-init checkpoints written by
// the core in Node, loaded by file picker; the page's answers equal the same src/eval code run in Node.
async function modelKindChecks(page, root, record, guard, tmp) {
  const m = await import(join(root, 'dist/src/model/index.js'));
  const { loadTokenizer } = await import(join(root, 'dist/src/tokenize/index.js'));
  const { createWasmEngine } = await import(join(root, 'dist/src/engine/wasm/index.js'));
  const { fillSentinels } = await import(join(root, 'dist/src/eval/fill-sentinels.js'));
  const { embedSentences } = await import(join(root, 'dist/src/eval/sentence-pairs.js'));
  const engine = await createWasmEngine({ threads: 1 });
  const tokJson = (f) => readFileSync(join(root, `assets/tokenizers/brown-${f}.json`), 'utf8');
  const save = (name, model, json) => {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    const { config, safetensors } = m.saveModel(model);
    writeFileSync(join(dir, 'config.json'), config);
    writeFileSync(join(dir, 'model.safetensors'), safetensors);
    writeFileSync(join(dir, 'tokenizer.json'), json);
    return ['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => join(dir, f));
  };
  const load = async (files, kind) => {
    await page.setInputFiles('#run-files', files);
    await page.waitForSelector(`#model-status[data-kind=${kind}]`);
  };
  try {
    await guard('t5 span filling', async () => {
      const tok = loadTokenizer(tokJson('t5'));
      const v = tok.vocabInfo();
      const model = m.createModel(m.t5Config({ vocab_size: v.vocabSize, d_model: 32, d_kv: 16, d_ff: 64, num_layers: 1, num_heads: 2, pad_token_id: v.padId, eos_token_id: v.eosId, decoder_start_token_id: v.padId, tie_word_embeddings: false }), engine, { seed: 3 });
      await load(save('t5', model, tokJson('t5')), 'span-fill');
      const text = await page.inputValue('#span-text');
      const named = new Set([v.padId, v.unkId, v.clsId, v.sepId, v.maskId, v.bosId, v.eosId]);
      const want = tok.decode(fillSentinels(model, tok.encode(text).ids, (id) => v.specialIds.includes(id) && !named.has(id)).output, { skipSpecialTokens: false });
      await page.click('#span-fill');
      await page.waitForSelector('#span-output[data-output]');
      const got = await page.getAttribute('#span-output', 'data-output');
      record('a T5 checkpoint fills the sentinels: the greedy output equals fillSentinels in Node', got === want, `${(await page.locator('#span-output p').count())} spans; output ${got.slice(0, 60)}`);
    });
    await guard('electra scores', async () => {
      const tok = loadTokenizer(tokJson('bert'));
      const v = tok.vocabInfo();
      const model = m.createModel(m.electraConfig({ vocab_size: v.vocabSize, embedding_size: 16, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 64, pad_token_id: v.padId }), engine, { seed: 4 });
      await load(save('electra', model, tokJson('bert')), 'replaced');
      const ids = tok.encode(await page.inputValue('#rtd-text')).ids;
      const logits = model.forward({ batchSize: 1, length: ids.length, input_ids: ids, attention_mask: new Uint8Array(ids.length).fill(1) }, { logits: true }).logits;
      await page.click('#rtd');
      await page.waitForSelector('#rtd-output .tok');
      const got = (await page.$$eval('#rtd-output .tok', (ts) => ts.map((t) => Number(t.dataset.score))));
      const err = Math.max(...got.map((g, i) => Math.abs(g - 1 / (1 + Math.exp(-logits[i])))));
      record('an ELECTRA discriminator scores each token: P(replaced) equals the sigmoid of its logits in Node', got.length === ids.length && err < 1e-4, `${got.length} tokens, max |diff| ${err.toExponential(1)}`);
    });
    await guard('simcse similarity', async () => {
      const tok = loadTokenizer(tokJson('bert'));
      const v = tok.vocabInfo();
      const model = m.createModel(m.simcseConfig({ ...m.bertConfig({ vocab_size: v.vocabSize, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 64 }), architectures: ['BertModel'] }, { pooler: 'avg', eval_pooler: 'avg' }), engine, { seed: 5 });
      await load(save('simcse', model, tokJson('bert')), 'similarity');
      const e = embedSentences(model, [tok.encode(await page.inputValue('#sim-a')).ids, tok.encode(await page.inputValue('#sim-b')).ids], v.padId);
      const C = e.length / 2;
      let [dot, na, nb] = [0, 0, 0];
      for (let c = 0; c < C; c++) [dot, na, nb] = [dot + e[c] * e[C + c], na + e[c] ** 2, nb + e[C + c] ** 2];
      const want = dot / Math.sqrt(na * nb);
      await page.click('#similarity');
      await page.waitForSelector('#sim-output[data-cosine]');
      const got = Number(await page.getAttribute('#sim-output', 'data-cosine'));
      record('a SimCSE model compares two sentences: the cosine equals embedSentences in Node', Math.abs(got - want) < 1e-4, `page ${got.toFixed(5)}, Node ${want.toFixed(5)}`);
    });
  } finally {
    engine.dispose();
  }
}

/** In the page: each view block as { kind, rows } (columns: one array of cells per position). */
function readBlocks(blocks) {
  const cell = (s) => ({ text: s.textContent, role: s.dataset.role });
  return blocks.map((b) => {
    if (b.dataset.block === 'columns') return { kind: 'columns', rows: [...b.querySelectorAll('.col:not(.labels)')].map((c) => [...c.children].map(cell)) };
    return { kind: b.dataset.block, rows: [...b.querySelectorAll('.tok')].map(cell) };
  });
}

/** Wait for the view after the last change (the page sets data-show-state=done-N after each answer). */
async function settle(page) {
  await page.waitForTimeout(150);
  await page.waitForFunction(() => document.body.dataset.showState?.startsWith('done'));
}

async function pageFields(page) {
  return page.$$eval('#output pre.json', (ps) => ps.map((p) => p.textContent));
}

// Every objective: the page's fields equal `pretext show --json` (the transform on the same text and seed), the
// input row shows those ids' tokens, and the labelled positions are the selected (or target) cells.
async function objectiveChecks(page, api, cli, record, guard, shots) {
  await page.fill('#text', TEXT);
  await page.fill('#seed', '3');
  for (const o of api.objectives) {
    await guard(`${o.id} matches the CLI`, async () => {
      await page.selectOption('#objective', o.id);
      await settle(page);
      const want = cli('show', TEXT, '--objective', o.id, '--seed', '3', '--json').trim().split('\n');
      const got = await pageFields(page);
      const same = JSON.stringify(got) === JSON.stringify(want);
      const tok = api.loadTokenizer(readFileSync(new URL(`../../assets/tokenizers/${api.tokenizerFileOf(api.familyOf(o.id).name)}`, import.meta.url), 'utf8'));
      const ex = JSON.parse(want[0]);
      const cells = await page.$$eval('#output article:first-child [data-block]', readBlocks);
      const tokens = (ids) => ids.map((id) => (id === -100 ? '·' : api.tokenText(tok, id)));
      let shown;
      let labelsOk;
      if (cells[0].kind === 'columns') {
        const input = cells[0].rows.map((col) => col[col.length > 1 ? 1 : 0]);
        const causal = cells[0].rows.every((col) => col[1]?.role === 'target' || col[1]?.text === '·');
        shown = JSON.stringify(causal ? cells[0].rows.map((c) => c[0].text) : input.map((c) => c.text)) === JSON.stringify(tokens(ex.input_ids));
        if (causal) labelsOk = JSON.stringify(cells[0].rows.map((c) => c[1].text)) === JSON.stringify(tokens([...ex.labels.slice(1), -100]));
        else labelsOk = !ex.labels || input.every((c, i) => ['masked', 'random', 'kept'].includes(c.role) === (ex.labels[i] !== -100));
      } else {
        shown = JSON.stringify(cells[0].rows.map((c) => c.text)) === JSON.stringify(tokens(ex.input_ids));
        labelsOk = JSON.stringify(cells[1].rows.map((c) => c.text)) === JSON.stringify(tokens(ex.labels));
      }
      const pair = await page.locator('#output [data-block=pair]').count();
      const pairOk = ex.next_sentence_label === undefined && ex.sentence_order_label === undefined ? pair === 0 : pair > 0;
      await page.screenshot({ path: join(shots, `playground-${o.id}.png`), fullPage: true });
      record(`${o.id}: fields equal pretext show --json (seed 3), the tokens and labels shown are those of the fields${pairOk && pair ? ', pair provenance shown' : ''}`, same && shown && labelsOk && pairOk, `${want.length} example(s); fields ${same ? 'equal' : 'DIFFER'}, tokens ${shown ? 'equal' : 'DIFFER'}, labels ${labelsOk ? 'equal' : 'DIFFER'}${pairOk ? '' : ', pair box wrong'}`);
    });
  }
}

// Options from the specs, the URL holding the state, Resample.
async function stateChecks(page, cli, record, guard) {
  await guard('options and URL state', async () => {
    await page.selectOption('#objective', 'mlm');
    await settle(page);
    await page.fill('#opt-maskProb', '0.4');
    await page.check('#opt-wholeWord');
    await page.selectOption('#opt-compat', 'hf');
    await settle(page);
    const want = cli('show', TEXT, '--objective', 'mlm', '--seed', '3', '--mask-prob', '0.4', '--whole-word', '--compat', 'hf', '--json').trim();
    const got = (await pageFields(page)).join('\n');
    const url = page.url();
    await page.goto('about:blank');
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]');
    await settle(page);
    const again = (await pageFields(page)).join('\n');
    record('mlm options (mask-prob 0.4, whole word, compat hf) equal the CLI with those flags; reloading the URL gives the same view', got === want && again === want, `url ${url.split('#')[1].slice(0, 80)}...`);
    await page.click('#resample');
    await settle(page);
    const seed = new URL(page.url()).hash.match(/seed=(\d+)/)?.[1];
    const resampled = (await pageFields(page)).join('\n');
    const wantNext = cli('show', TEXT, '--objective', 'mlm', '--seed', '4', '--mask-prob', '0.4', '--whole-word', '--compat', 'hf', '--json').trim();
    record('Resample draws the next seed (in the URL) and the view is the CLI\'s for it', seed === '4' && resampled === wantNext && resampled !== want);
  });
}

// Train 20 steps in the page, download the checkpoint, predict with the CLI, load it back by file picker and by
// the server's --run; fill-mask top-1 equal to pretext predict's.
async function modelChecks(page, cli, record, guard, tmp, origin) {
  await guard('train, download, load, fill-mask', async () => {
    await page.fill('#train-steps', '20');
    await page.click('#train-start');
    await page.waitForSelector('#train-status[data-state=done]', { timeout: 120_000 });
    const losses = JSON.parse((await page.getAttribute('#loss-chart', 'data-losses')) ?? '[]');
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    record('training 20 steps in the page lowers the loss (mean of the last 5 steps below the first 5)', losses.length === 20 && last < first, `${losses.length} steps, loss ${losses[0]?.toFixed(3)} -> ${losses.at(-1)?.toFixed(3)}; means ${first.toFixed(3)} -> ${last.toFixed(3)}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#train-download')]);
    const tar = join(tmp, 'checkpoint.tar');
    await download.saveAs(tar);
    await stopCheck(page, record);
    mkdirSync(join(tmp, 'run'), { recursive: true });
    execFileSync('tar', ['xf', tar, '-C', join(tmp, 'run')]);
    const dir = join(tmp, 'run', 'checkpoint-20');
    const want = JSON.parse(cli('predict', '--run', join(tmp, 'run'), FILL, '--json')).predictions[0].top[0];
    await page.setInputFiles('#run-files', ['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => join(dir, f)));
    await page.waitForSelector('#model-status[data-kind=fill-mask]');
    const got = await fillTop1(page);
    record('the downloaded checkpoint is a pretext train checkpoint: loaded by file picker, fill-mask top-1 equals pretext predict', got.token === want.token && Math.abs(got.prob - want.prob) < 1e-3, `page ${got.token} ${got.prob.toFixed(5)}, CLI ${want.token} ${want.prob.toFixed(5)}`);
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await page.click('#server-run');
    await page.waitForSelector('#model-status[data-kind=fill-mask]');
    const served = await fillTop1(page);
    record("the server's --run loads in the page; fill-mask top-1 equals pretext predict", served.token === want.token && Math.abs(served.prob - want.prob) < 1e-3, `${served.token} ${served.prob.toFixed(5)} from ${origin}/run/`);
  });
}

// A long run stops when asked, between steps, and its checkpoint is that step's.
async function stopCheck(page, record) {
  await page.fill('#train-steps', '100000');
  await page.click('#train-start');
  await page.waitForFunction(() => Number(document.getElementById('train-status')?.dataset.step) >= 3);
  await page.click('#train-stop');
  await page.waitForSelector('#train-status[data-state=done]');
  const status = await page.textContent('#train-status');
  const step = Number(status.match(/stopped at step (\d+)/)?.[1]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#train-download')]);
  record('Stop ends a 100000-step run between steps; the checkpoint downloaded is that step\'s', step >= 3 && step < 100000 && download.suggestedFilename() === `checkpoint-${step}.tar`, `${status.slice(-40)}; ${download.suggestedFilename()}`);
  await page.fill('#train-steps', '20');
}

async function fillTop1(page) {
  await page.fill('#fill-text', FILL);
  await page.click('#fill');
  const row = page.locator('#fill-output table.topk tr').first();
  await row.waitFor();
  return { token: await row.getAttribute('data-token'), prob: Number(await row.getAttribute('data-prob')) };
}

// A plain static host (no isolation headers): the page still works, on one thread, and says so.
async function fallbackCheck(browser, root, record, guard, watch) {
  await guard('plain static host', async () => {
    const dir = join(root, 'dist/web');
    const plain = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
      if (path.split('/').includes('..')) return res.writeHead(400).end();
      try {
        const body = readFileSync(join(dir, path));
        const type = { html: 'text/html', js: 'text/javascript', css: 'text/css', json: 'application/json', wasm: 'application/wasm' }[path.split('.').pop()] ?? 'application/octet-stream';
        res.writeHead(200, { 'Content-Type': type }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise((r) => plain.listen(0, '127.0.0.1', r));
    const own = `http://127.0.0.1:${plain.address().port}`;
    const page = await browser.newPage();
    watch(page, own);
    try {
      await page.goto(`${own}/#objective=span-corruption&seed=5`);
      await page.waitForSelector('body[data-ready=true]');
      const status = await page.textContent('#engine-status');
      const tokens = await page.locator('#output .tok').count();
      record('on a plain static host (no COOP/COEP) the page runs on one thread and says so', status.includes('1 thread') && status.includes('no cross-origin isolation') && tokens > 0, status.slice(0, 120));
    } finally {
      await page.close();
      await new Promise((r) => plain.close(r));
    }
  });
}
