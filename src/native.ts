/**
 * Loads the C++ addon built by node-gyp (`npm install` runs `node-gyp rebuild`).
 * Each concern's facade (src/walk, src/sgns) declares the typed shape of the
 * functions it uses; this module only finds and loads the binary.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphprofError } from './util/errors.js';

const require = createRequire(import.meta.url);

function packageRoot(): string {
  // Works from src/ (vitest) and from dist/src/ (built): walk up to package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new GraphprofError('native: cannot find the graphprof package root');
    dir = parent;
  }
  return dir;
}

let cached: unknown;

export function loadNative<T>(): T {
  if (cached === undefined) {
    const root = packageRoot();
    const candidates = ['build/Release/graphprof_native.node', 'build/Debug/graphprof_native.node'];
    const found = candidates.map((c) => join(root, c)).find((p) => existsSync(p));
    if (!found) {
      throw new GraphprofError(
        `native: the addon is not built (looked for ${candidates.join(', ')} under ${root}); run "npm run build:native"`,
      );
    }
    cached = require(found);
  }
  return cached as T;
}
