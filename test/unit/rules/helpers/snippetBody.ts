// Fills a VS Code snippet body with its defaults, as a user who tabs through it would get:
// ${1:default} -> default, ${1|a,b|} -> a, $1 / ${1} -> tabstop 1's value, $0 -> nothing.

type Lookup = (id: string) => string;

interface Parsed {
  readonly render: (value: Lookup) => string;
}

export function fillSnippet(body: string): string {
  const defaults = new Map<string, Parsed>();
  const root = parseSequence(body, 0, defaults, false).parsed;
  const values = new Map<string, string>();
  const resolving = new Set<string>();
  const valueOf: Lookup = (id) => {
    if (!values.has(id)) {
      if (resolving.has(id)) {
        throw new Error(`snippet tabstop $${id} refers to itself`);
      }
      resolving.add(id);
      values.set(id, defaults.get(id)?.render(valueOf) ?? '');
    }
    return values.get(id) ?? '';
  };
  return root.render(valueOf);
}

function parseSequence(text: string, start: number, defaults: Map<string, Parsed>, nested: boolean): { parsed: Parsed; end: number } {
  const parts: Parsed[] = [];
  let literal = '';
  let i = start;
  const flush = (): void => {
    const s = literal;
    parts.push({ render: () => s });
    literal = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      literal += text[i + 1];
      i += 2;
    } else if (nested && c === '}') {
      break;
    } else if (c === '$' && /[0-9]/.test(text[i + 1] ?? '')) {
      const id = /^[0-9]+/.exec(text.slice(i + 1))?.[0] ?? '';
      flush();
      parts.push({ render: (v) => v(id) });
      i += 1 + id.length;
    } else if (c === '$' && text[i + 1] === '{') {
      const m = /^\$\{([0-9]+)(:|\||\})/.exec(text.slice(i));
      if (!m) {
        throw new Error(`unsupported snippet syntax at ${i}: ${text.slice(i, i + 20)}`);
      }
      flush();
      const id = m[1];
      i += m[0].length;
      if (m[2] === '}') {
        parts.push({ render: (v) => v(id) });
      } else if (m[2] === '|') {
        const close = text.indexOf('|}', i);
        const first = text.slice(i, close).split(',')[0];
        defaults.set(id, defaults.get(id) ?? { render: () => first });
        parts.push({ render: (v) => v(id) });
        i = close + 2;
      } else {
        const inner = parseSequence(text, i, defaults, true);
        defaults.set(id, defaults.get(id) ?? inner.parsed);
        parts.push({ render: (v) => v(id) });
        i = inner.end + 1;
      }
    } else {
      literal += c;
      i++;
    }
  }
  flush();
  return { parsed: { render: (v) => parts.map((p) => p.render(v)).join('') }, end: i };
}
