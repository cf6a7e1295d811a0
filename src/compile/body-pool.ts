import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compileLessonBody, type CompiledLessonBody, type LessonBodyInput } from '../source/lesson-body.js';

// Measured on the 2-core CI machine (npm run bench): its two cores are hyper-threads sharing one core, so a second
// thread adds ~20% throughput, and starting a worker (it loads the whole Markdown stack) costs ~0.3 s. Workers pay
// off only for large courses.
const MIN_LESSONS_FOR_WORKERS = 400;

export function workerCountFor(lessons: number): number {
  const env = process.env.HOCSO_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), lessons);
  if (lessons < MIN_LESSONS_FOR_WORKERS) return 0;
  return Math.min(availableParallelism(), Math.ceil(lessons / 200));
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
  // The lesson-id map is the same for every lesson of a course: send it once per worker, not once per lesson.
  const lessonIds: Record<string, string> = {};
  for (const map of new Set(inputs.map((i) => i.lessonIds))) Object.assign(lessonIds, map);
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./body-worker.js', import.meta.url), {
    workerData: { lessonIds },
    // Parsing allocates many short-lived objects; a larger young generation spends far less time collecting them.
    resourceLimits: { maxYoungGenerationSizeMb: 96 },
  }));
  try {
    await Promise.all(pool.map((worker) => new Promise<void>((resolve, reject) => {
      const send = (): void => {
        if (next >= inputs.length) return resolve();
        const index = next++;
        const { lessonIds: _shared, ...input } = inputs[index]!;
        worker.postMessage({ index, input });
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
