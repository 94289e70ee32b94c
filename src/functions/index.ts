/**
 * Every custom function in one namespace, for tests and benchmarks. The build does not use this
 * file: webpack.config.js lists the family files themselves (the metadata plugin reads their JSDoc
 * and registers each function in the file that declares it).
 */
export * from "./guide";
export * from "./catalog";
export * from "./kvcache";
export * from "./operating-point";
export * from "./performance";
export * from "./capacity";
export * from "./compare";
