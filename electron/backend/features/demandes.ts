// Desk backend handlers for the demandes commands of the contract.
import type { DemandesApi } from '../../contract/demandes';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';

export function createDemandesHandlers(_deps: HandlerDeps): FeatureHandlers<DemandesApi> {
  return {};
}
