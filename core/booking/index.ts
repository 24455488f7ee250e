// Booking rules: units and day formulas, deadlines (délais), capacity and waiting list.
export * from './units';
export * from './deadline';
export * from './capacity';
