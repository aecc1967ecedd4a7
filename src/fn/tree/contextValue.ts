// Builds a tree item's contextValue from tokens, so package.json menus can match one capability
// with `viewItem =~ /\btoken\b/` instead of enumerating every state. Pure.
import type { FnTreeNode } from './functionsTree';

export type ContextToken = 'app' | 'function' | 'message' | 'action' | 'invocable' | 'hasInvokeUrl' | 'retryable' | 'configurable';

export function contextTokens(node: FnTreeNode): ContextToken[] {
  switch (node.kind) {
    case 'app':
      return ['app'];
    case 'function':
      return node.invokeUrl ? ['function', 'invocable', 'hasInvokeUrl'] : ['function'];
    case 'message': {
      const tokens: ContextToken[] = ['message'];
      if (node.retryable && node.severity === 'error') {
        tokens.push('retryable');
      }
      if (node.configurable) {
        tokens.push('configurable');
      }
      return tokens;
    }
    case 'action':
      return ['action'];
  }
}

export function contextValueFor(node: FnTreeNode): string {
  return contextTokens(node).join(' ');
}
