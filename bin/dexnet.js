#!/usr/bin/env node
// Entry point of the `dexnet` command: runs the compiled CLI (built by `npm install` via `prepare`).
import { main } from '../dist/cli/index.js';
import { cliErrorReport } from '../dist/cli/error-report.js';

main(process.argv).catch((err) => {
  console.error(cliErrorReport(err, { debug: process.env.DEXNET_DEBUG === '1' }));
  process.exit(1);
});
