/** Kept equal to package.json's version by a unit test; a constant keeps start-up free of file reads. */
export const VERSION = '0.1.0';
