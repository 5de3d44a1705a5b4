#!/usr/bin/env node
// The `tracedeck` command. The CLI is TypeScript run through tsx's loader, so the same source
// files serve the app, the tests and the command line without a separate build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
