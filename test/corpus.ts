// Where the third-party test data is: test/fixtures/corpus, copied with its licences (see its NOTICE.md).
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('./fixtures/corpus', import.meta.url));
