/** The version the CLI and server report is the package's. */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { VERSION } from '../../src/version.js';

describe('VERSION', () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
