// The one rule for container image references (Register Image, the proxies' nginx image): the
// grammar of the OCI distribution reference, `[host[:port]/]path[:tag][@algorithm:digest]`, with
// lowercase path components and the name at most 255 characters. Pure: no `vscode`.

const host = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?`;
const component = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const tag = String.raw`[\w][\w.-]{0,127}`;
const digest = String.raw`[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}`;
const reference = new RegExp(`^((?:${host}/)?${component}(?:/${component})*)(?::${tag})?(?:@${digest})?$`);

/** Why `image` is not an image reference (one line, quoting it), or undefined when it is one. */
export function imageReferenceProblem(image: string): string | undefined {
  const match = reference.exec(image);
  const example = 'expected e.g. registry.example.com/team/hello:0.0.2';
  if (!match) {
    return `${JSON.stringify(image)} is not an image reference (${example})`;
  }
  if ((match[1] ?? '').length > 255) {
    return `${JSON.stringify(image.slice(0, 40))}… is not an image reference: the name is longer than 255 characters`;
  }
  return undefined;
}
