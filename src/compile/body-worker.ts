// Worker thread: compiles lesson bodies sent by the pool. Parsing is the cost of a build, so it runs on every core.
import { parentPort, workerData } from 'node:worker_threads';
import { compileLessonBody, type LessonBodyInput } from '../source/lesson-body.js';

const { lessonIds } = workerData as { lessonIds: Record<string, string> };

parentPort?.on('message', (message: { index: number; input: Omit<LessonBodyInput, 'lessonIds'> }) => {
  try {
    parentPort!.postMessage({ index: message.index, result: compileLessonBody({ ...message.input, lessonIds }) });
  } catch (error) {
    parentPort!.postMessage({ index: message.index, error: error instanceof Error ? error.message : String(error) });
  }
});
