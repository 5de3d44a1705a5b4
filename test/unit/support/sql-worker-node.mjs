// Entry of the tests' SQL worker thread: TypeScript loads through tsx, registered in this thread.
import { register } from 'tsx/esm/api';

register();
await import('./sql-worker-node.ts');
