// Guichet Famille's pure domain: rules and types shared by the desk, the portal and the server (no I/O here).
export * from './errors';
export * from './ids';
export * from './money';
export * from './activities';
export * from './calendar/index';
export * from './booking/index';
export * from './tariffs/index';
export * from './validation/index';
export * from './search/index';
