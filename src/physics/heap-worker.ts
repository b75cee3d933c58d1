// Worker-thread entry for the heap pool: one task = one heap; the plan arrives once per thread as workerData.
import { workerData } from 'piscina';
import { runHeapJob, type HeapJob, type HeapPlan, type HeapSummary } from './heap-job.js';

export default function task(job: HeapJob): Promise<HeapSummary> {
  return runHeapJob(job, workerData as HeapPlan);
}
