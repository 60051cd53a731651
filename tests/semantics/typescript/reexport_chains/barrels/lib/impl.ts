export function parse(text: string) {
  return text;
}
export class Parser {
  run() {}
}
