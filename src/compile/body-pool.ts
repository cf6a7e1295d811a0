import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compileLessonBody, type CompiledLessonBody, type LessonBodyInput } from '../source/lesson-body.js';

// Below this many lessons, starting workers (each loads the Markdown stack) costs more than it saves.
const MIN_LESSONS_FOR_WORKERS = 48;

export function workerCountFor(lessons: number): number {
  const env = process.env.HOCSO_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), lessons);
  if (lessons < MIN_LESSONS_FOR_WORKERS) return 0;
  return Math.min(availableParallelism(), Math.ceil(lessons / 16));
}

/** Compiles every body, in parallel on worker threads when there are enough; results keep the input order. */
export async function compileBodies(inputs: readonly LessonBodyInput[], onDone?: (done: number) => void): Promise<CompiledLessonBody[]> {
  const workers = workerCountFor(inputs.length);
  if (workers === 0) {
    return inputs.map((input, i) => {
      const result = compileLessonBody(input);
      onDone?.(i + 1);
      return result;
    });
  }
  const results: CompiledLessonBody[] = new Array(inputs.length);
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./body-worker.js', import.meta.url)));
  try {
    await Promise.all(pool.map((worker) => new Promise<void>((resolve, reject) => {
      const send = (): void => {
        if (next >= inputs.length) return resolve();
        const index = next++;
        worker.postMessage({ index, input: inputs[index] });
      };
      worker.on('message', (message: { index: number; result?: CompiledLessonBody; error?: string }) => {
        if (message.error !== undefined) return reject(new Error(`${inputs[message.index]?.displayFile}: ${message.error}`));
        results[message.index] = message.result!;
        onDone?.(++done);
        send();
      });
      worker.on('error', reject);
      send();
    })));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
