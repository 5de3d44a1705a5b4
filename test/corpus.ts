// Where ../shared/corpus is: beside the repository, wherever the repository was cloned.
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
