import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/helpers/paths.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Real third-party data and models, beside the repository (never copied in). */
export const sharedDir = resolve(repoRoot, '../shared');
export const sharedData = (...parts: string[]): string => resolve(sharedDir, 'data', ...parts);
export const sharedModel = (...parts: string[]): string => resolve(sharedDir, 'models', ...parts);
