#!/usr/bin/env node
// Entry point of the `dexnet` command: runs the compiled CLI (built by `npm install` via `prepare`).
import { main } from '../dist/cli/index.js';

main(process.argv).catch((err) => {
  console.error(`dexnet: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
