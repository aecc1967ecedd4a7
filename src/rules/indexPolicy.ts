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

/**
 * Why Apply Rule File must not apply a document of `scheme`, or undefined for a workspace file.
 * A preview (`origin`: the command it was opened for) shows objects as that command saw them and
 * applying it later would write that old state; a view of another scheme (a git revision in a
 * diff) is not what the workspace holds.
 */
export function applyRefusal(scheme: string, origin?: string): string | undefined {
  switch (documentRole(scheme)) {
    case 'workspace':
      return undefined;
    case 'private':
      return (
        `this is a preview Fn Mesh opened${origin ? ` for ${origin}` : ''}, not a rule file: it holds the objects as they were when it was made, ` +
        `and applying it now could undo changes made since. To apply it, ${origin ? 'run that command again' : 'run the command that opened it again'}; ` +
        'to apply your own version, save it as a file first'
      );
    default:
      return `this is a read-only view (${scheme}:), not a file of the workspace: open the file itself to apply it`;
  }
}
