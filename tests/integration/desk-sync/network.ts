// The shared test network (tests/support/network.ts).
export { Network } from '../../support/network';
