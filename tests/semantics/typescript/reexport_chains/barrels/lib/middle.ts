export { parse as parseText } from "./impl";
export * from "./impl";
