/** Suites that read ../shared (reference files, manifest schemas). They fail loudly when it is missing. */
const base = require("./jest.config.js");
module.exports = {
  ...base,
  roots: ["<rootDir>/test/reference"],
  testPathIgnorePatterns: ["/node_modules/"],
};
