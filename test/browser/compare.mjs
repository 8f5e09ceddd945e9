// Helpers shared by the page and the worker: tensors copied into an engine, and the relative error the engine tests use.

/** A tensor of engine e holding `data`. */
export function put(e, data, int = false) {
  const t = int ? e.allocInt(data.length) : e.alloc(data.length);
  t.set(data);
  return t;
}

/** max |got - want| / max |want| (src/engine/reference/check.case.ts). */
export function relErr(got, want) {
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    ref = Math.max(ref, Math.abs(want[i]));
  }
  if (Number.isNaN(diff)) return Infinity;
  return ref === 0 ? diff : diff / ref;
}
