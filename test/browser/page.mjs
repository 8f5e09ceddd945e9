// The test page (main thread): loads the public API (dist/src/index.js), checks the objectives against Node's output,
// the wasm engine single-threaded here, and hands the threaded engine checks to worker.mjs. run.mjs calls
// window.runChecks(expected) and gets [{ name, ok, detail }].
import { put, relErr } from './compare.mjs';
import { objectiveOutputs } from './objectives.case.mjs';

const log = document.getElementById('log');
const results = [];
function record(name, ok, detail = '') {
  results.push({ name, ok: Boolean(ok), detail });
  log.textContent = results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail ? `: ${r.detail}` : ''}`).join('\n');
}
const message = (e) => String(e?.message ?? e);

async function objectiveChecks(api, expected) {
  const got = objectiveOutputs(api);
  for (const [id, want] of Object.entries(expected)) {
    const same = got[id] === want;
    const error = JSON.parse(want).error;
    record(`(c) objectives: ${id} transform equals Node's (same seed)`, same, same ? (error ? `same error: ${error}` : `${want.length} chars of JSON`) : difference(got[id] ?? '', want));
  }
}

/** Where two JSON strings first differ, with some context. */
function difference(got, want) {
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  const at = (t) => t.slice(Math.max(0, i - 40), i + 40);
  return `first difference at char ${i}: browser ...${at(got)}... Node ...${at(want)}...`;
}

// The main thread may not block: the default engine is single-threaded and asking for more threads is refused.
async function mainThreadChecks(api) {
  try {
    const engine = await api.createWasmEngine();
    const ref = api.createReferenceEngine();
    const [M, N, K] = [5, 7, 9];
    const draw = (n, i) => Float32Array.from({ length: n }, (_, j) => Math.sin(1 + i * 97 + j * 0.37));
    const run = (e) => {
      const C = e.alloc(M * N);
      e.matmul(C, put(e, draw(M * K, 1)), put(e, draw(K * N, 2)), M, N, K, false, false, 0);
      return Array.from(C);
    };
    const err = relErr(run(engine), run(ref));
    record('main thread: wasm engine (default options) runs single-threaded and matches the reference', engine.threads === 1 && err < 1e-4, `${engine.build}, ${engine.threads} thread, rel err ${err.toExponential(1)}`);
    engine.dispose();
  } catch (e) {
    record('main thread: wasm engine (default options) runs single-threaded and matches the reference', false, message(e));
  }
  const refused = await api.createWasmEngine({ threads: 2 }).then((e) => (e.dispose(), null), (e) => message(e));
  record('main thread: threads: 2 is refused with a pointer to a dedicated Worker', refused?.includes('dedicated Worker'), refused ?? 'it was not refused');
}

// Threaded engine checks run where Atomics.wait is allowed: a dedicated module worker.
function workerChecks() {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => {
      for (const r of e.data) record(r.name, r.ok, r.detail);
      worker.terminate();
      resolve();
    };
    worker.onerror = (e) => {
      record('worker: loads the engine and model modules', false, e.message || 'worker.mjs or one of its imports failed to load');
      worker.terminate();
      resolve();
    };
    worker.postMessage('run');
  });
}

window.runChecks = async (expected) => {
  record('page: cross-origin isolated (shared memory available)', globalThis.crossOriginIsolated === true);
  let api;
  try {
    api = await import('../../dist/src/index.js');
    record('page: public API dist/src/index.js loads', true, `${Object.keys(api).length} exports`);
  } catch (e) {
    record('page: public API dist/src/index.js loads', false, message(e));
  }
  if (api) {
    await objectiveChecks(api, expected);
    await mainThreadChecks(api);
  }
  await workerChecks();
  return results;
};
window.pageReady = true;
log.textContent = 'ready';
