// Which editor documents the rule index counts, and what closing one means. Only documents that
// stand for workspace content (`file:` and `untitled:`) are workspace files: the extension's own
// previews (`fn-mesh:`) are checked, with their own objects, but no other file sees them; diff
// views (`git:` and other schemes) are neither checked nor indexed. Closing an editor falls back
// to the file on disk (the workspace scan's view), or drops what has no file.

/** How the index treats a document of a URI scheme. */
export type DocumentRole =
  /** Indexed as a workspace file: other files' checks see its objects. */
  | 'workspace'
  /** Checked with the workspace's objects and its own, invisible to other files (previews). */
  | 'private'
  /** Neither checked nor indexed (diff views, output, virtual documents of other extensions). */
  | 'ignored';

/** The scheme of Fn Mesh's preview documents (routing/ui/yamlDocuments.ts registers it). */
export const previewScheme = 'fn-mesh';

export function documentRole(scheme: string): DocumentRole {
  if (scheme === 'file' || scheme === 'untitled') {
    return 'workspace';
  }
  return scheme === previewScheme ? 'private' : 'ignored';
}

/** What the index does when an editor document closes. */
export type CloseAction =
  /** Read the file from disk again (the editor may have held unsaved text). */
  | 'reread'
  /** Drop the document (nothing on disk stands for it). */
  | 'drop'
  | 'nothing';

export function closeAction(scheme: string): CloseAction {
  switch (documentRole(scheme)) {
    case 'workspace':
      return scheme === 'file' ? 'reread' : 'drop';
    case 'private':
      return 'drop';
    default:
      return 'nothing';
  }
}
