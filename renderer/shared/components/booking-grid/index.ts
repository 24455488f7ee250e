// The booking grid shared by the desk and the portal: the grid (week / month, Tout cocher, périodicité,
// siblings), the récapitulatif, and their pure helpers. Data shapes and rules live in core/booking/grid.ts.
export { default as BookingGrid } from './BookingGrid.vue';
export { default as BookingRecap } from './BookingRecap.vue';
export { default as PeriodicityDialog } from './PeriodicityDialog.vue';
export { recapEntry } from './recap';
export type { RecapEntry } from './recap';
export { frGrid } from './fr';
