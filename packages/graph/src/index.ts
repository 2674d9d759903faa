export * from "./document.ts";
export * from "./changes.ts";
export * from "./infer-ports.ts";
export * from "./bindings.ts";
export { tokenizePython, TokenizeError, type Token } from "./python-tokens.ts";
export * from "./execution-order.ts";
export * from "./run-plan.ts";
export * from "./special-ports.ts";
