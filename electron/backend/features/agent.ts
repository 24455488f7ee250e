// Desk backend handlers for the agent commands of the contract.
import type { AgentApi } from '../../contract/agent';
import type { FeatureHandlers, HandlerDeps } from '../handler-deps';

export function createAgentHandlers(_deps: HandlerDeps): FeatureHandlers<AgentApi> {
  return {};
}
