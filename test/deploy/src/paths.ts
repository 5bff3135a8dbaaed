import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const repoPath = (...parts: string[]) => path.join(REPO, ...parts);
