/** Agent names: what is accepted, and the memorable names fanout makes up when none is given. */
import { describe, expect, it } from '@jest/globals';
import { generateName, isHarness, isStatus, nameProblem } from '../../src/core/agent.js';

/** A deterministic "random" that cycles through the given values. */
const cycle = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] as number;
};

describe('nameProblem', () => {
  it.each(['a', 'swift-otter', 'agent.2', 'x_y', '0day', 'a'.repeat(40)])('accepts %p', (name) => {
    expect(nameProblem(name)).toBeNull();
  });

  it.each(['', 'Bad Name!', 'UPPER', '-leading', '.hidden', '_under', 'has space', 'slash/name', 'a'.repeat(41), 'émile'])('rejects %p with a message that says what is allowed', (name) => {
    const problem = nameProblem(name);
    expect(problem).toContain(`invalid agent name "${name}"`);
    expect(problem).toMatch(/1-40 lowercase letters, digits/);
  });
});

describe('generateName', () => {
  it('makes an adjective-noun name that is itself valid', () => {
    const name = generateName(new Set(), cycle(0.5));
    expect(name).toMatch(/^[a-z]+-[a-z]+$/);
    expect(nameProblem(name)).toBeNull();
  });

  it('avoids names that are taken', () => {
    const first = generateName(new Set(), cycle(0));
    // The first pick collides; the next random values give another pair.
    const second = generateName(new Set([first]), cycle(0, 0, 0.99, 0.99));
    expect(second).not.toBe(first);
    expect(nameProblem(second)).toBeNull();
  });

  it('numbers the name when random picks keep colliding', () => {
    const base = generateName(new Set(), cycle(0));
    expect(generateName(new Set([base]), cycle(0))).toBe(`${base}-2`);
    expect(generateName(new Set([base, `${base}-2`, `${base}-3`]), cycle(0))).toBe(`${base}-4`);
  });

  it('gives many unique valid names in a row with Math.random', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const name = generateName(taken, Math.random);
      expect(taken.has(name)).toBe(false);
      expect(nameProblem(name)).toBeNull();
      taken.add(name);
    }
  });
});

describe('isStatus / isHarness', () => {
  it('know the closed sets', () => {
    expect(isStatus('idle')).toBe(true);
    expect(isStatus('exited')).toBe(true);
    expect(isStatus('bogus')).toBe(false);
    expect(isHarness('claude')).toBe(true);
    expect(isHarness('vim')).toBe(false);
  });
});
