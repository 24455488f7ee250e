// Tariffs: dated versions, quotient familial brackets, price lookup and grid checks.
export * from './lookup';
export * from './validate';
