// Family files: what an agent types (checked with the French rules), duplicate detection, family codes and
// access keys, ages, the QF history rule. Pure: no I/O.
export * from './age';
export * from './codes';
export * from './draft';
export * from './duplicates';
export * from './flags';
export * from './labels';
export * from './qf';
