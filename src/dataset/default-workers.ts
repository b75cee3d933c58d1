// How many generation workers to start by default, apart from the pipeline so the CLI can show it cheaply.
import { availableParallelism } from 'node:os';

export const defaultWorkers = () => Math.max(1, availableParallelism());
