/** The parameter table: defaults that pass their own checks, one flag per name in a command, resolution and refresh's inheritance. */
import { describe, expect, it } from 'vitest';
import { graphParamNames, inheritedParams, paramOf, params, profileParamNames, readParamNames, refreshParamNames, resolveParams, type ParamName } from '../src/params/index.js';
import { SGNS_DEFAULTS } from '../src/sgns/options.js';
import { walkDefaults } from '../src/walk/options.js';
import { OptionError } from '../src/util/errors.js';

const all = Object.keys(params) as ParamName[];

describe('the parameter table', () => {
  it('every default passes its own check', () => {
    for (const n of all) {
      const p = paramOf(n);
      if (p.default === undefined) continue;
      expect(p.check(p.default), n).toEqual({ ok: true, value: p.default });
    }
  });

  it('no two parameters of one command share a flag', () => {
    const commands = {
      train: ['files', ...readParamNames, ...profileParamNames],
      eval: ['files', ...readParamNames, ...profileParamNames, 'truth', 'textWeights', 'k'],
      refresh: ['files', ...readParamNames, 'run', 'refit', 'radius', ...refreshParamNames],
      'embed-graph': ['files', 'directed', 'skipInvalid', ...graphParamNames],
      profile: ['run', 'top'],
    } as Record<string, ParamName[]>;
    for (const [command, names] of Object.entries(commands)) {
      const flags = names.map((n) => paramOf(n).flag);
      expect(new Set(flags).size, command).toBe(flags.length);
    }
  });

  it('takes the walker\'s and the trainer\'s defaults from their modules', () => {
    const r = resolveParams(profileParamNames, {}, 'test');
    expect(r).toMatchObject({ dim: SGNS_DEFAULTS.dim, window: SGNS_DEFAULTS.window, alpha: SGNS_DEFAULTS.alpha, minAlpha: SGNS_DEFAULTS.minAlpha, sample: SGNS_DEFAULTS.sample, minCount: SGNS_DEFAULTS.minCount });
    expect(r).toMatchObject({ walkLength: walkDefaults.walkLength, walksPerNode: walkDefaults.walksPerNode, p: walkDefaults.p, q: walkDefaults.q });
    expect(r.threads).toBeUndefined();
    expect(r.clusters).toBe('auto');
  });

  it('reads flag text and JSON values alike, and names the function and the value of a bad one', () => {
    expect(resolveParams(['dim', 'clusters', 'p'], { dim: '64', clusters: '7', p: 0.25 }, 'test')).toMatchObject({ dim: 64, clusters: 7, p: 0.25 });
    expect(() => resolveParams(['textWeight'], { textWeight: 2 }, 'computeProfiles')).toThrow(new OptionError('computeProfiles', 'textWeight', 2, 'a number in [0, 1]'));
    expect(() => resolveParams(['clusters'], { clusters: 1 }, 'f')).toThrow(/one segment would hold every user/);
    expect(() => resolveParams(['alpha', 'minAlpha'], { alpha: 0.01, minAlpha: 0.02 }, 'f')).toThrow(/no larger than the starting one/);
    expect(resolveParams(['map'], { map: ['user_id=reviewer,rating=stars', 'timestamp=date'] }, 'f').map).toEqual({ user_id: 'reviewer', rating: 'stars', timestamp: 'date' });
  });

  it('refresh inherits what shaped the base run, but not machine settings, and refuses a stored value it cannot use', () => {
    const stored = { dim: 64, walkLength: 20, threads: 1, clusters: 5, textWeight: 0.3, refit: true, unrelated: 'x' };
    expect(inheritedParams(profileParamNames, stored, 3)).toEqual({ dim: 64, walkLength: 20, clusters: 5, textWeight: 0.3 });
    expect(() => inheritedParams(profileParamNames, { walkLength: -1 }, 3)).toThrow(/run 3 was made with walkLength = -1.*--walk-length/);
  });
});
