#!/usr/bin/env node
// Entry point of the `spoor` command: loads the TypeScript sources through tsx, so a checkout
// runs without a build step and never runs stale compiled code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
