// Worker thread of the decode fuzz: runs the cases off the test's thread, so that a case that never ends can
// be stopped (worker.terminate() interrupts running JavaScript; a test timeout cannot interrupt a synchronous
// loop). Posts the outcomes; a failed assertion is the worker's error.
import { parentPort, workerData } from 'node:worker_threads';
import { runFuzz } from './decode-fuzz.ts';

const { seed, cases, progress } = workerData as { seed: number; cases: number; progress: SharedArrayBuffer };
parentPort?.postMessage(runFuzz(seed, cases, new Int32Array(progress)));
