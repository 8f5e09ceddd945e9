// Vitest's worker answers the runner over an RPC whose replies time out after 60 s, and it reads replies only when
// the event loop turns. Tests that spawn the CLI synchronously (spawnSync) never let it turn, so a file of them that
// runs past 60 s on a loaded machine fails the run ("Timeout calling onTaskUpdate") though every test passed.
// Turning the loop once after each test bounds the wait by the longest single test instead of the whole file.
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
