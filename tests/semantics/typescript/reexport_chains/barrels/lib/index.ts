export * from "./middle";
