// Preloaded with `node --import` by the CLI start-up test: records every module URL the process resolves into the
// file named by $DEXNET_TRACE_IMPORTS, so the test can prove which packages a command loads.
import { register } from 'node:module';

register('./trace-imports-hooks.mjs', import.meta.url, { data: { file: process.env.DEXNET_TRACE_IMPORTS } });
