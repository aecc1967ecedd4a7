// Deterministic mutations of YAML texts for the fuzz test and bench/rules/fuzz.mjs: small edits
// that break structure the way typing, pasting and bad merges do, plus hostile tokens.

export { seededRandom } from '../../../helpers/seededRandom';

const tokens = [
  ': ', '- ', '[', ']', '{', '}', '\t', '&a ', '*a', '<<: *a\n', '"', "'", '# ', '\n', '---\n', '...\n', '? ', '|\n', '>-\n',
  '!!binary ', '!custom ', '%YAML 1.1\n', '\uFEFF', '\uD800', 'é', '\r\n', '0x1F', '-1', '1e400', '.nan', 'null', '~', 'yes',
  'weight: -5', 'weight: "50"', 'subset: v9', 'host: ', 'gateways: [nowhere]', 'fault: {}', 'timeout: 1x', 'mirrorPercentage: {value: 500}',
  'apiVersion: networking.istio.io/v1\nkind: VirtualService\n', '[[[[[[[[[[', '- - - - - - - -', '\u0000',
];

export function mutate(text: string, random: () => number, rounds = 1 + Math.floor(random() * 4)): string {
  let out = text;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const at = () => Math.floor(random() * (out.length + 1));
  for (let i = 0; i < rounds; i++) {
    const lines = out.split('\n');
    const line = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 8)) {
      case 0: {
        const start = at();
        out = out.slice(0, start) + out.slice(start + Math.floor(random() * 20));
        break;
      }
      case 1: {
        const p = at();
        out = out.slice(0, p) + pick(tokens) + out.slice(p);
        break;
      }
      case 2:
        lines.splice(line, 0, lines[line] ?? '');
        out = lines.join('\n');
        break;
      case 3: {
        const other = Math.floor(random() * lines.length);
        [lines[line], lines[other]] = [lines[other], lines[line]];
        out = lines.join('\n');
        break;
      }
      case 4:
        lines[line] = random() < 0.5 ? `  ${lines[line]}` : lines[line].replace(/^ {1,2}/, '');
        out = lines.join('\n');
        break;
      case 5:
        out = out.replace(/\d+/, () => String(Math.floor(random() * 400) - 100));
        break;
      case 6:
        out = out.slice(0, at());
        break;
      default:
        out = out.repeat(1 + Math.floor(random() * 3));
    }
  }
  return out;
}
