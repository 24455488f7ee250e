// Desk backend handlers for the cashier commands of the contract.
import type { CashierApi } from '../../contract/cashier';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';

export function createCashierHandlers(_deps: HandlerDeps): FeatureHandlers<CashierApi> {
  return {};
}
