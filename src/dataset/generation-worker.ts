// Worker-thread entry for the generation pool: one task = one object job.
import { runObjectJob, type ObjectJob, type ObjectJobResult } from './generation-job.js';

export default function task(job: ObjectJob): Promise<ObjectJobResult> {
  return runObjectJob(job);
}
