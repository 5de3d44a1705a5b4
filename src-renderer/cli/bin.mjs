#!/usr/bin/env node
// The `tracedeck` command. The CLI is TypeScript run through tsx's loader, so the same source
// files serve the app, the tests and the command line without a separate build.
import { register } from 'tsx/esm/api';

// `tracedeck … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
